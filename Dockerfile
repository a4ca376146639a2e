# The Nodes & Nations course image for JupyterHub on Kubernetes (docs/teaching.md, docs/k8s/).
# Built from the same pyproject.toml as `make lab`; its steps are hub/image/install.sh, which
# tests/test_deploy.py runs. JUPYTERHUB_VERSION must match the hub's (the chart's appVersion).
FROM python:3.11-slim-bookworm
ARG JUPYTERHUB_VERSION=5.5.0
RUN useradd --create-home --uid 1000 --gid 100 --shell /bin/bash jovyan
COPY . /srv/course
RUN bash /srv/course/hub/image/install.sh /srv/course /opt/course-env /opt/course-config \
        "jupyterhub==${JUPYTERHUB_VERSION}" \
    && chmod -R a+rX /srv/course /opt/course-env /opt/course-config
ENV PATH=/opt/course-env/bin:$PATH \
    JUPYTER_CONFIG_PATH=/opt/course-config/student
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888
CMD ["jupyterhub-singleuser"]
