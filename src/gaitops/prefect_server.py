"""The project's own Prefect server: embedded SQLite under .prefect/, listening on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from gaitops.errors import PrefectServerError

PORT_ENV = "GAITOPS_PREFECT_PORT"
HOME_ENV = "GAITOPS_PREFECT_HOME"
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


def default_spec(root: Path = Path(".")) -> ServerSpec:
    home = Path(os.environ.get(HOME_ENV, root / ".prefect")).resolve()
    return ServerSpec(home=home, port=int(os.environ.get(PORT_ENV, "4200")))


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
    return env


def start(spec: ServerSpec, timeout_s: float = 90.0) -> str:
    """Start the server in the background unless it already answers; return its API URL.

    The pid file is written only once the new server answers, so a failed start (port taken)
    never replaces the record of a running one."""
    if is_healthy(spec.api_url):
        return spec.api_url
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
            env=server_env(spec),
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
                f"(is port {spec.port} taken? set {PORT_ENV} to another port)."
            )
        if is_healthy(spec.api_url):
            spec.pid_file.write_text(str(process.pid))
            return spec.api_url
        time.sleep(0.5)
    _terminate(process.pid, timeout_s=20.0)
    raise PrefectServerError(
        f"the Prefect server did not answer within {timeout_s:.0f} s; see {spec.log_file}."
    )


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
