"""JupyterHub for a class on one machine: every student gets a Jupyter server with the MicroPython
kernel (the simulated board needs no hardware), as a process of this machine's user, with a home
folder of their own (where their notebooks, and the simulated board's persistent flash, live).

Run it (JupyterHub 6 and npm's configurable-http-proxy installed, see README "A class on JupyterHub"):
    CLASS_DIR=/srv/class jupyterhub -f hub/jupyterhub_config.py
Settings come from the environment so that the benchmark and the tests run hubs side by side:
    CLASS_DIR            hub database, cookie secret and students' homes (default ./class)
    CLASS_URL            where students open the hub (default http://127.0.0.1:8000)
    CLASS_HUB_PORT       the hub's internal API port (default 8081)
    CLASS_PROXY_PORT     the proxy's API port (default 8001)
    CLASS_TEACHER_TOKEN  a token for the "teacher" service, allowed to add students and start their
                         servers through the hub's REST API (benchmarks/class_hub.py uses it)
Students log in with any name. This is for a classroom machine or a test: put a real authenticator
(e.g. the school's OAuth) in front before the hub faces the internet.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

state = Path(os.environ.get("CLASS_DIR", "class")).resolve()
(state / "home").mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = os.environ.get("CLASS_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('CLASS_HUB_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('CLASS_PROXY_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "dummy"  # any name, any password (see above)
c.Authenticator.allow_all = True

# Each student: `jupyterhub-singleuser` (JupyterLab) as a local process, HOME = their own folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.default_url = "/lab"
# (The simulated board's persistent flash lives in the user's data folder, so in the student's home: it
# survives their server's restarts. MICROPYTHON_KERNEL_FLASH is left unset, so a headless run from a
# student's server, such as nbgrader's validate, starts from a clean flash.)
# A student's server runs JupyterLab and the kernel; the server extensions a class does not use are off.
# nbgrader's are the teacher's (formgrader) or need its exchange set up: turn them on again if used.
# Unique memory of a student's server, measured side by side (docs/architecture.md, "The hub"):
# jupyterhub-singleuser with every extension 125 MB, with these off 103 MB (`jupyter lab`: 106 -> 64 MB;
# the 39 MB more under the hub is jupyterhub's singleuser code importing the hub's own side, SQLAlchemy,
# Alembic, aiohttp: no setting avoids it), and 87 MB run by jupyterhub-singleuser-student.py.
STUDENT_SERVER_OFF = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.validate_assignment",
    "jupyter_lsp",
    "jupyter_server_terminals",
    "notebook",
)
# jupyterhub-singleuser, less the 15 MB and ~2 s of CPU jsonschema's optional IRI checker costs each
# server (see that file), with this Python: the hub's, whose JupyterLab and kernel the students use.
c.Spawner.cmd = [sys.executable, str(Path(__file__).resolve().parent / "jupyterhub-singleuser-student.py")]
c.Spawner.args = [
    "--ServerApp.jpserver_extensions=" + repr({name: False for name in STUDENT_SERVER_OFF}),
]
if os.geteuid() == 0:  # (a container or CI running as root: Jupyter servers refuse root unless told)
    c.Spawner.args.append("--allow-root")
# A whole class logging in at once on a small machine: servers take longer than one alone.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.JupyterHub.concurrent_spawn_limit = 50

token = os.environ.get("CLASS_TEACHER_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "teacher", "api_token": token}]
    c.JupyterHub.load_roles = [
        {
            "name": "teacher",
            "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
            "services": ["teacher"],
        }
    ]
