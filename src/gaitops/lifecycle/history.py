"""Every retrain kept as a git commit on its own branch, without touching the user's branch.

A retrain commit holds the tree of HEAD with the retrain's record over it: `dvc.lock`,
`params.yaml`, `metrics/`, `records/`, `plots/` (but `plots/tune` and `plots/select`, which
DVC caches), the data files git tracks (`data/raw`, `data/external.json`) and any tracked file
the workspace has changed (the code that ran). Its first parent is the previous retrain, its
second the user's HEAD, so `git log --first-parent gaitops/retrains` is the history and each
commit names the code it ran. The models, explanations and those two plot folders stay in DVC's
cache (and remote): `dvc get . data/models/final.pt --rev COMMIT` brings any retrain's model
back byte for byte.

A commit rather than a DVC experiment ref: a branch is pushed, fetched, logged and checked out
by every git tool and survives `dvc exp gc`, and GTO's version tags can point at it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gaitops.lifecycle.git import GitError, git, head_commit, identity

KEPT = ("dvc.yaml", "dvc.lock", "params.yaml", "metrics", "records", "plots", "data/raw")
KEPT_FILES = ("data/external.json",)
MARKER = "gaitops-retrain: "


@dataclass(frozen=True)
class Retrain:
    """One retrain as its commit records it."""

    when: str  # ISO 8601, UTC
    trigger: str  # schedule | manual
    flow_run: str | None  # the Prefect flow run id
    data_sha256: str | None  # the canonical table the model was trained on
    task: str
    model: str
    metric: str  # the task's headline metric, cross-validated
    mean: float
    sd: float
    protocol: str
    model_sha256: str  # data/models/final.pt
    promoted: bool
    reason: str
    version: str | None = None  # the registry version of its model (None: same as an earlier one)
    drift: dict[str, Any] = field(default_factory=dict)
    commit: str = ""  # filled in when read back

    def summary(self) -> str:
        verdict = "promoted" if self.promoted else "not promoted"
        return (
            f"retrain {self.when} ({self.trigger}): {self.model} {self.metric} "
            f"{self.mean:.3f} ± {self.sd:.3f}, {verdict}"
        )


def tip(root: Path, branch: str) -> str | None:
    """The branch's last commit, or None before the first retrain."""
    found = git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)
    return found or None


def record_retrain(root: Path, retrain: Retrain, branch: str) -> str:
    """Commit the workspace's record of `retrain` on `branch` (HEAD and the index untouched);
    returns the commit id."""
    head = head_commit(root)
    if head is None:
        raise GitError(
            f"{root} has no git commit, so a retrain cannot be kept in its history. "
            "Fix: commit the project (git add -A && git commit -m baseline)."
        )
    previous = tip(root, branch)
    with tempfile.TemporaryDirectory() as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git(root, "read-tree", head, env=index)
        git(root, "add", "-u", env=index)
        present = [p for p in (*KEPT, *KEPT_FILES) if (root / p).exists()]
        if present:
            git(root, "add", "-A", "--", *present, env=index)
        tree = git(root, "write-tree", env=index)
    name, email = identity(root)
    people = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    record = {k: v for k, v in asdict(retrain).items() if k != "commit"}
    message = f"{retrain.summary()}\n\n{retrain.reason}\n\n{MARKER}{json.dumps(record)}\n"
    parents = [*(["-p", previous] if previous else []), "-p", head]
    commit = git(root, "commit-tree", tree, *parents, "-m", message, env=people)
    # compare-and-swap: a concurrent writer makes this fail rather than lose a retrain
    git(root, "update-ref", f"refs/heads/{branch}", commit, previous or "0" * 40)
    return commit


def read_history(root: Path, branch: str) -> list[Retrain]:
    """The retrains on `branch`, oldest first."""
    if tip(root, branch) is None:
        return []
    log = git(root, "log", "--first-parent", "--reverse", "--format=%H%x1f%B%x1e", branch)
    retrains = []
    for entry in log.split("\x1e"):
        if "\x1f" not in entry:
            continue
        commit, body = entry.strip().split("\x1f", 1)
        for line in body.splitlines():
            if line.startswith(MARKER):
                retrains.append(Retrain(**json.loads(line[len(MARKER) :]), commit=commit))
    return retrains


def find_retrain(root: Path, branch: str, rev: str) -> Retrain:
    """The retrain whose commit is `rev` (an id or its prefix, a registry tag, or `vN`)."""
    retrains = read_history(root, branch)
    for retrain in retrains:
        if retrain.version and rev in (retrain.version, retrain.version.split(".")[0]):
            return retrain
    commit = git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    for retrain in retrains:
        if commit and retrain.commit == commit:
            return retrain
    raise GitError(
        f"{rev!r} is not a retrain of this project. `gaitops history` lists them "
        "(give a commit, or a model version such as v2)."
    )
