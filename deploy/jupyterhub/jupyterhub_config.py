"""JupyterHub for a cxsim course on one machine, and the hub of the smoke test.

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py      (what `make hub` runs)

One hub, one configurable-http-proxy (installed by scripts/install_proxy.sh), one
Jupyter server per trainee (JupyterLab, and the dashboards under Voila at
``/user/NAME/voila/render/app/03_courtesy.ipynb``), and the class's standings as a hub
service at ``/services/standings/`` (cxsim.classroom.hub_service). A course of hundreds
runs the same pieces on Kubernetes instead: values.yaml (Zero to JupyterHub), README.md.

Settings come from the environment (the Makefile's `make hub` passes them):

CXSIM_HUB_BIND            public address, default http://127.0.0.1:8000/ (this machine
                          only; a room: http://0.0.0.0:8000/, better https:// with
                          CXSIM_HUB_SSL_CERT and CXSIM_HUB_SSL_KEY)
CXSIM_HUB_STATE           the hub's files: database, cookie secret, class store, logs
                          (default .hub/state in the repository)
CXSIM_HUB_INTERNAL_PORT   the hub's own port behind the proxy (default 8081)
CXSIM_HUB_PROXY_API_PORT  the proxy's control port (default: public port + 1)
CXSIM_HUB_PROXY           the configurable-http-proxy program (default .hub/proxy/...)
CXSIM_HUB_SERVICE_PORT    the standings service's port on 127.0.0.1 (default 8765)
CXSIM_CLASS_CODE          the class code word (default: a new one, printed)
CXSIM_INSTRUCTOR_KEY      the instructor's key for the standings (default: a new one)
CXSIM_HUB_ADMINS          admin user names, comma-separated (they see every server)
CXSIM_HUB_EXTRA_CONFIG    a Python file loaded last: the course's authenticator etc.
CXSIM_HUB_SMOKE=1         the smoke test (tests/test_jupyterhub.py): any user name logs
                          in (DummyAuthenticator), servers run as this account
                          (SimpleLocalProcessSpawner). Refused unless CXSIM_HUB_BIND is
                          on loopback: never a way into a real machine.

Without CXSIM_HUB_SMOKE, users are the machine's accounts (JupyterHub's defaults: PAM
passwords, one process per Unix user); JupyterHub 5+ lets nobody in until allowed:
put e.g. ``c.Authenticator.allowed_users = {...}`` or ``c.PAMAuthenticator.allowed_groups
= {"trainees"}`` in CXSIM_HUB_EXTRA_CONFIG.
"""

import ipaddress
import os
import pwd
import secrets
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

c = get_config()  # noqa: F821 - JupyterHub's config loader provides it

REPO = Path(__file__).resolve().parents[2]
#: The Python of cxsim's environment: the hub, every trainee's server and the service.
PYTHON = sys.executable
STATE = Path(os.environ.get("CXSIM_HUB_STATE") or REPO / ".hub" / "state").resolve()
STATE.mkdir(parents=True, exist_ok=True)
SMOKE = os.environ.get("CXSIM_HUB_SMOKE") == "1"

# --- the hub and its proxy ----------------------------------------------------------------
bind_url = os.environ.get("CXSIM_HUB_BIND") or "http://127.0.0.1:8000/"
public = urlsplit(bind_url)
c.JupyterHub.bind_url = bind_url
if os.environ.get("CXSIM_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = os.environ["CXSIM_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = os.environ["CXSIM_HUB_SSL_KEY"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('CXSIM_HUB_INTERNAL_PORT', 8081)}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# the servers end with the hub (Ctrl+C on `make hub`, the end of the smoke test)
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

proxy = os.environ.get("CXSIM_HUB_PROXY") or str(
    REPO / ".hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
)
if not Path(proxy).exists() and not shutil.which(proxy):
    sys.exit(
        f"cxsim hub: configurable-http-proxy not found at {proxy}; "
        "install it with: bash scripts/install_proxy.sh (or set CXSIM_HUB_PROXY)"
    )
c.ConfigurableHTTPProxy.command = [proxy]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{}".format(
    os.environ.get("CXSIM_HUB_PROXY_API_PORT") or (public.port or 8000) + 1
)
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
# a trainee's first visit spawns their server; wait for it rather than show a
# "server starting" page after 10 s (a class logging in at once is slow to spawn)
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 60}

# --- who logs in, where their servers run -------------------------------------------------
if SMOKE:
    host = public.hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        sys.exit(f"cxsim hub: CXSIM_HUB_SMOKE=1 lets anyone in; refused on {bind_url}")
    from jupyterhub.auth import DummyAuthenticator
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    c.JupyterHub.authenticator_class = DummyAuthenticator
    c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
    c.Authenticator.allow_all = True

admins = {name.strip() for name in os.environ.get("CXSIM_HUB_ADMINS", "").split(",")}
c.Authenticator.admin_users = admins - {""}

# each trainee's server: Jupyter Server from cxsim's environment, with JupyterLab and
# Voila (a server extension: /voila/render/...) and the offline dashboard template
c.Spawner.cmd = [PYTHON, "-m", "jupyterhub.singleuser"]
c.Spawner.args = [
    # the dashboards as `make app` shows them: template cxsim (no CDN), code hidden
    "--VoilaConfiguration.template=cxsim",
    "--VoilaConfiguration.strip_sources=True",
]
if os.geteuid() == 0 and SMOKE:  # the smoke test's servers run as root (CI machines)
    c.Spawner.args.append("--allow-root")
c.Spawner.environment = {"JUPYTER_PATH": str(REPO / "share" / "jupyter")}
c.Spawner.notebook_dir = "~/cxsim"
c.Spawner.default_url = "/lab/tree/00_start_here.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

#: What each trainee gets a copy of (their own, to edit): the lessons, both languages,
#: the dashboards; not the sources, the instructor's notes or the facts of the prose.
COURSE_IGNORE = shutil.ignore_patterns("src", "instructor", "facts.yaml", ".ipynb_checkpoints")


def home_of(spawner) -> Path:
    """The trainee's home: the smoke test's folder, else their Unix account's."""
    home = getattr(spawner, "home_dir", "")
    return Path(home) if home else Path(pwd.getpwnam(spawner.user.name).pw_dir)


def copy_course(spawner) -> None:
    """Give a trainee their own copy of the notebooks (~/cxsim) on their first start;
    later starts keep their work. Their account owns it (the hub may run as root)."""
    home = home_of(spawner)
    course = home / "cxsim"
    if course.exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "notebooks", course, ignore=COURSE_IGNORE)
    if not SMOKE and os.geteuid() == 0:
        account = pwd.getpwnam(spawner.user.name)
        for folder, _folders, files in os.walk(course):
            for name in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(name, account.pw_uid, account.pw_gid)


c.Spawner.pre_spawn_hook = copy_course

# --- the standings, a service of the hub at /services/standings/ --------------------------
code = os.environ.get("CXSIM_CLASS_CODE", "").strip()
if not code:
    from cxsim.classroom.room import new_code

    code = new_code()
key = os.environ.get("CXSIM_INSTRUCTOR_KEY", "").strip() or secrets.token_urlsafe(9)
service_port = int(os.environ.get("CXSIM_HUB_SERVICE_PORT", 8765))
c.JupyterHub.services = [
    {
        "name": "standings",
        "url": f"http://127.0.0.1:{service_port}",
        "command": [PYTHON, "-m", "cxsim.classroom.hub_service"],
        "environment": {
            "CXSIM_CLASS_CODE": code,
            "CXSIM_INSTRUCTOR_KEY": key,
            "CXSIM_CLASS_STORE": os.environ.get("CXSIM_CLASS_STORE")
            or str(STATE / "classroom.sqlite"),
            # one evaluation process beside the trainees' servers (the hub's machine
            # runs everything); CXSIM_CLASS_WORKERS=4 on a big machine
            "CXSIM_CLASS_WORKERS": os.environ.get("CXSIM_CLASS_WORKERS", "1"),
        },
        # listed in the hub's Services menu for everyone logged in
        "display": True,
    }
]
site = f"{public.scheme}://{public.hostname}:{public.port or 8000}"
print(
    f"cxsim hub: {site}/  standings: {site}/services/standings/  "
    f"instructor: {site}/services/standings/instructor (key: {key})\n"
    f"  in each notebook: classroom.connect({site + '/services/standings'!r}, code={code!r})",
    flush=True,
)

extra = os.environ.get("CXSIM_HUB_EXTRA_CONFIG")
if extra:
    load_subconfig(extra)  # noqa: F821 - JupyterHub's config loader provides it
