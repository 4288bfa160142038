"""The project's own Prefect server, listening on 127.0.0.1: embedded SQLite under .prefect/ by
default, or a PostgreSQL database (`gaitops server start --database-url`, or
GAITOPS_PREFECT_DATABASE_URL) that runs from several processes and machines write to."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from gaitops.database_urls import masked
from gaitops.errors import PrefectServerError

PORT_ENV = "GAITOPS_PREFECT_PORT"
HOME_ENV = "GAITOPS_PREFECT_HOME"
DATABASE_ENV = "GAITOPS_PREFECT_DATABASE_URL"
POSTGRES_SCHEMES = ("postgresql", "postgres")
QUIET_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_SHOW_PROMOTIONAL_CONTENT": "false",
}


@dataclass(frozen=True)
class ServerSpec:
    home: Path
    port: int = 4200
    host: str = "127.0.0.1"
    database_url: str | None = None  # None: Prefect's SQLite file under `home`

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def pid_file(self) -> Path:
        """gaitops' record of the server it started (Prefect keeps its own server.pid)."""
        return self.home / "gaitops-server.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @property
    def database_file(self) -> Path:
        """Which database the server gaitops started uses (password masked)."""
        return self.home / "gaitops-server.database"

    @property
    def database(self) -> str:
        """The database, for people: the URL without its password, or the SQLite file."""
        if self.database_url is None:
            return f"SQLite {self.home / 'prefect.db'}"
        return masked(self.database_url)


def prefect_database_url(url: str) -> str:
    """`url` with the driver Prefect's server uses for PostgreSQL (asyncpg): any
    postgresql[+driver]:// URL names the same database for Optuna and Prefect."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in POSTGRES_SCHEMES or not parts.hostname or not parts.path.strip("/"):
        raise PrefectServerError(
            f"database URL {masked(url)!r}: use postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE "
            "(the database must exist), or leave it unset for the project's SQLite file."
        )
    return urlunsplit(parts._replace(scheme="postgresql+asyncpg"))


def default_spec(root: Path = Path("."), database_url: str | None = None) -> ServerSpec:
    """The project's server: home .prefect/ (GAITOPS_PREFECT_HOME), port 4200
    (GAITOPS_PREFECT_PORT), database `database_url`, else GAITOPS_PREFECT_DATABASE_URL, else SQLite."""
    home = Path(os.environ.get(HOME_ENV, root / ".prefect")).resolve()
    database = database_url or os.environ.get(DATABASE_ENV) or None
    return ServerSpec(home=home, port=int(os.environ.get(PORT_ENV, "4200")), database_url=database)


def is_healthy(api_url: str, timeout_s: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=timeout_s).status_code == 200
    except httpx.HTTPError:
        return False


def _prefect_executable() -> list[str]:
    script = Path(sys.executable).parent / "prefect"
    return [str(script)] if script.exists() else [sys.executable, "-m", "prefect"]


def server_env(spec: ServerSpec) -> dict[str, str]:
    """The server's environment: its home, and the UI pointed at this server's own API (not
    Prefect's default port, where another project's server may answer)."""
    env = {**os.environ, **QUIET_ENV, "PREFECT_HOME": str(spec.home)}
    env.pop("PREFECT_API_URL", None)
    env["PREFECT_SERVER_UI_API_URL"] = spec.api_url
    env["PREFECT_SERVER_API_HOST"] = spec.host
    env["PREFECT_SERVER_API_PORT"] = str(spec.port)
    env.pop("PREFECT_API_DATABASE_CONNECTION_URL", None)  # the older name of the setting below
    if spec.database_url is None:
        env.pop("PREFECT_SERVER_DATABASE_CONNECTION_URL", None)
    else:
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = prefect_database_url(spec.database_url)
    return env


def start(spec: ServerSpec, timeout_s: float = 90.0) -> str:
    """Start the server in the background unless it already answers; return its API URL.

    The pid file is written only once the new server answers, so a failed start (port taken)
    never replaces the record of a running one."""
    if is_healthy(spec.api_url):
        return spec.api_url
    env = server_env(spec)  # a malformed database URL stops here, before anything starts
    spec.home.mkdir(parents=True, exist_ok=True)
    with open(spec.log_file, "ab") as log:
        process = subprocess.Popen(
            [
                *_prefect_executable(),
                "server",
                "start",
                "--host",
                spec.host,
                "--port",
                str(spec.port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PrefectServerError(
                f"the Prefect server exited with code {process.returncode}; see {spec.log_file} "
                f"({_likely_cause(spec)})."
            )
        if is_healthy(spec.api_url):
            spec.pid_file.write_text(str(process.pid))
            spec.database_file.write_text(spec.database + "\n")
            return spec.api_url
        time.sleep(0.5)
    _terminate(process.pid, timeout_s=20.0)
    raise PrefectServerError(
        f"the Prefect server did not answer within {timeout_s:.0f} s; see {spec.log_file} "
        f"({_likely_cause(spec)})."
    )


def _likely_cause(spec: ServerSpec) -> str:
    cause = f"is port {spec.port} taken? set {PORT_ENV} to another port"
    if spec.database_url is not None:
        cause += f"; does {spec.database} exist and accept this user?"
    return cause


def running_database(spec: ServerSpec) -> str | None:
    """The database of the server gaitops started in `spec.home`, as recorded when it started."""
    if not spec.database_file.exists():
        return None
    return spec.database_file.read_text().strip()


def is_project_server(pid: int, spec: ServerSpec) -> bool:
    """Whether `pid` is a `prefect server start` process whose PREFECT_HOME is this project's."""
    proc = Path("/proc") / str(pid)
    try:
        command = (proc / "cmdline").read_bytes().split(b"\0")
        environ = (proc / "environ").read_bytes().split(b"\0")
    except OSError:
        return False
    is_server = (
        b"server" in command and b"start" in command and any(b"prefect" in c for c in command)
    )
    home = f"PREFECT_HOME={spec.home}".encode()
    return is_server and home in environ


def _terminate(pid: int, timeout_s: float) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        # started by this very process (a test, a flow): reap it, or its zombie keeps the group
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(pid, signal.SIGKILL)


def stop(spec: ServerSpec, timeout_s: float = 20.0) -> bool:
    """Stop the server this project started; True if one was running. A pid file naming any
    other process (the pid reused, a stale file) is removed and that process left alone."""
    if not spec.pid_file.exists():
        return False
    try:
        pid = int(spec.pid_file.read_text().strip())
    except ValueError:
        pid = -1
    spec.pid_file.unlink(missing_ok=True)
    spec.database_file.unlink(missing_ok=True)
    if pid <= 0 or not is_project_server(pid, spec):
        return False
    _terminate(pid, timeout_s)
    return True


def ensure_api_url(root: Path = Path(".")) -> str:
    """PREFECT_API_URL if set (it must answer), else the project's server (started if needed)."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        if not is_healthy(configured):
            raise PrefectServerError(
                f"PREFECT_API_URL={configured} does not answer. Start that server, or unset "
                "PREFECT_API_URL to use the project's own (`gaitops server start`)."
            )
        return configured
    return start(default_spec(root))
