"""The project's Prefect server: its UI talks to itself, and stopping it never kills another process."""

from __future__ import annotations

import socket
import subprocess

import httpx
import pytest

from gaitops.errors import PrefectServerError
from gaitops.prefect_server import ServerSpec, is_project_server, start, stop
from helpers.project import free_port

pytestmark = pytest.mark.integration


def test_the_ui_of_a_server_on_any_port_uses_that_servers_api(prefect_api_url):
    settings = httpx.get(prefect_api_url.removesuffix("/api") + "/ui-settings", timeout=10).json()
    assert settings["api_url"] == prefect_api_url  # not Prefect's default 127.0.0.1:4200


def test_stop_leaves_a_process_that_is_not_the_projects_server_alone(tmp_path):
    spec = ServerSpec(home=tmp_path, port=free_port())
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        spec.pid_file.write_text(str(bystander.pid))
        assert not is_project_server(bystander.pid, spec)
        assert stop(spec) is False
        assert bystander.poll() is None  # still running
        assert not spec.pid_file.exists()  # the stale record is gone
    finally:
        bystander.kill()


def test_a_failed_start_keeps_the_record_of_the_running_server(tmp_path):
    spec = ServerSpec(home=tmp_path, port=free_port())
    spec.pid_file.parent.mkdir(parents=True, exist_ok=True)
    spec.pid_file.write_text("4242")  # the record of a server started earlier
    with socket.socket() as taken:  # the port is held by something that is not a Prefect server
        taken.bind(("127.0.0.1", spec.port))
        taken.listen()
        with pytest.raises(PrefectServerError, match=r"is port \d+ taken"):
            start(spec, timeout_s=60)
    assert spec.pid_file.read_text() == "4242"
    assert spec.pid_file.name != "server.pid"  # Prefect's own file name


def test_stop_stops_the_server_the_project_started(tmp_path):
    spec = ServerSpec(home=tmp_path, port=free_port())
    url = start(spec)
    pid = int(spec.pid_file.read_text())
    assert is_project_server(pid, spec)
    assert stop(spec) is True
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{url}/health", timeout=2)
