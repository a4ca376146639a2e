"""JupyterHub for Nodes & Nations: `make hub` starts it (chipcourse/hub.py says what it sets up).

Everything comes from the hub's folder (``CHIPCOURSE_HUB_STATE``, written by ``make hub``
from ``hub/roster.csv`` and ``hub/courses.csv``): listen on 127.0.0.1 only, PAM login,
one Unix account per person (LocalProcessSpawner), the groups and roles of nbgrader's
multiple-classes demo and one formgrader service per course.
"""

import os

from chipcourse.hub import configure

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
configure(c, os.environ.get("CHIPCOURSE_HUB_STATE", os.getcwd()))
