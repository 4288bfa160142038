"""The few git commands the lifecycle needs, with one error a user can act on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gaitops.errors import GaitopsError

# Who a retrain commit or a registry tag is by, when git has no identity configured (a fresh
# service account): the commit still says which Prefect run made it.
DEFAULT_NAME = "gaitops retrain"
DEFAULT_EMAIL = "gaitops@localhost"


class GitError(GaitopsError):
    """A git command the lifecycle needs failed."""


def git(root: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    """Run git in `root`; its stdout, stripped. GitError with git's own message on failure."""
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if check and result.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed in {root}: {result.stderr.strip()}")
    return result.stdout.strip()


def identity(root: Path) -> tuple[str, str]:
    """The configured git user, or gaitops' own when none is set."""
    name = git(root, "config", "user.name", check=False) or DEFAULT_NAME
    email = git(root, "config", "user.email", check=False) or DEFAULT_EMAIL
    return name, email


def head_commit(root: Path) -> str | None:
    """HEAD's commit, or None in a repository without commits (or not a repository)."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") or None
    except GitError:
        return None


def resolve(root: Path, rev: str) -> str:
    """The full commit id of `rev`; GitError naming it when git does not know it."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError as exc:
        raise GitError(
            f"{rev!r} is not a commit, tag or branch of {root}. "
            "`gaitops history` lists the retrains and their commits."
        ) from exc


def dvc_command() -> str:
    """The dvc beside this interpreter (the project's venv), whatever PATH says."""
    return str(Path(sys.executable).with_name("dvc"))
