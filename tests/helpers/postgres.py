"""A private PostgreSQL cluster on 127.0.0.1 in a temporary directory, for the tests and the
benchmarks that need a database several processes write to (Optuna, Prefect).

Debian's `postgresql` package provides the binaries (`make test` installs it when missing);
the cluster is the test's own: trust authentication on loopback only, removed afterwards.
The server refuses to run as root, so as root it runs as the `postgres` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from helpers.project import free_port

REQUIRE_ENV = "GAITOPS_REQUIRE_SERVICES"  # set by CI: a service that cannot start fails the run


@dataclass(frozen=True)
class Cluster:
    port: int
    directory: Path
    host: str = "127.0.0.1"
    user: str = "postgres"

    def url(self, database: str, driver: str = "psycopg2") -> str:
        """A SQLAlchemy URL for `database` (psycopg2 for Optuna, asyncpg for Prefect)."""
        return f"postgresql+{driver}://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create `name` and return its psycopg2 URL."""
        import psycopg2

        connection = psycopg2.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres"
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return self.url(name)

    def query(self, database: str, sql: str) -> list[tuple]:
        import psycopg2

        connection = psycopg2.connect(
            host=self.host, port=self.port, user=self.user, dbname=database
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            connection.close()


def binaries() -> Path | None:
    """The directory of initdb and pg_ctl: Debian's newest /usr/lib/postgresql/N/bin, or PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if debian:
        return debian[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable_reason() -> str | None:
    """Why a private cluster cannot start here, or None."""
    if binaries() is None:
        return "PostgreSQL is not installed (`make test` installs it: apt-get install postgresql)"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root without runuser: the PostgreSQL server refuses to run as root"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root with no `postgres` user to run the PostgreSQL server as"
    return None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """Start a throwaway cluster (under a second), yield it, stop and remove it."""
    reason = unavailable_reason()
    if reason is not None:
        raise RuntimeError(reason)
    bin_dir = binaries()
    assert bin_dir is not None
    directory = Path(tempfile.mkdtemp(prefix="gaitops-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(directory, user="postgres")
    data, port = directory / "data", free_port()
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
        ),
        **run,
    )
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        _as_server_user([*pg_ctl, "-o", options, "-l", str(directory / "log"), "-w", "start"]),
        **run,
    )
    try:
        yield Cluster(port=port, directory=directory)
    finally:
        subprocess.run(_as_server_user([*pg_ctl, "-m", "fast", "-w", "stop"]), **run)
        shutil.rmtree(directory, ignore_errors=True)
