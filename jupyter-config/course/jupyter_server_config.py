"""JupyterLab settings for the course, for learners (make lab) and teachers (make teach) alike.

Loads ``custom/custom.css`` beside this file into JupyterLab (``LabApp.custom_css``; the
server looks for it in ``static_custom_path``, which this points here): see that file.
"""

import os

c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

c.LabApp.custom_css = True
c.ServerApp.tornado_settings = {"static_custom_path": [os.path.join(os.path.dirname(os.path.abspath(__file__)), "custom")]}
