"""The project's Prefect server settings: which database it uses and how that is shown."""

from __future__ import annotations

import pytest

from gaitops.database_urls import masked
from gaitops.errors import PrefectServerError
from gaitops.prefect_server import (
    DATABASE_ENV,
    ServerSpec,
    default_spec,
    prefect_database_url,
    server_env,
)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://gait:secret@db.example.org:5432/prefect",
        "postgresql+psycopg2://gait:secret@db.example.org:5432/prefect",
        "postgres://gait:secret@db.example.org:5432/prefect",
    ],
)
def test_any_postgresql_url_names_the_same_database_for_prefects_driver(url):
    assert (
        prefect_database_url(url) == "postgresql+asyncpg://gait:secret@db.example.org:5432/prefect"
    )


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql://u@h", "postgresql:///db"])
def test_a_url_that_is_not_a_postgresql_database_is_refused_with_the_form_to_use(url):
    with pytest.raises(PrefectServerError, match=r"use postgresql://USER\[:PASSWORD\]@HOST"):
        prefect_database_url(url)


def test_the_password_never_appears_in_what_is_shown():
    url = "postgresql://gait:s3cr3t@db:5432/prefect"
    assert masked(url) == "postgresql://gait:***@db:5432/prefect"
    with pytest.raises(PrefectServerError) as refused:
        prefect_database_url("mysql://gait:s3cr3t@db/prefect")
    assert "s3cr3t" not in str(refused.value)


def test_the_server_env_names_the_database_or_leaves_sqlite(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:///elsewhere.db")
    sqlite = server_env(ServerSpec(home=tmp_path))
    assert "PREFECT_SERVER_DATABASE_CONNECTION_URL" not in sqlite
    assert "PREFECT_API_DATABASE_CONNECTION_URL" not in sqlite  # no other project's database
    postgres = server_env(ServerSpec(home=tmp_path, database_url="postgresql://u@h:5/db"))
    assert postgres["PREFECT_SERVER_DATABASE_CONNECTION_URL"] == "postgresql+asyncpg://u@h:5/db"


def test_the_database_comes_from_the_option_then_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(DATABASE_ENV, "postgresql://u@env:5/db")
    assert default_spec(tmp_path).database_url == "postgresql://u@env:5/db"
    assert (
        default_spec(tmp_path, "postgresql://u@opt:5/db").database_url == "postgresql://u@opt:5/db"
    )
    monkeypatch.delenv(DATABASE_ENV)
    assert default_spec(tmp_path).database_url is None
    assert default_spec(tmp_path).database.startswith("SQLite ")
