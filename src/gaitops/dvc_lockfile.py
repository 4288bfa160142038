"""DVC's record of each stage, written at a fraction of the cost and to the same bytes.

After every stage DVC rewrites the whole of dvc.lock: it parses the file with ruamel's
round-trip loader (pure Python, kept so that comments in a hand-written YAML file survive), sets
the stage's entry and dumps it all again. dvc.lock is written by DVC alone and holds no comments,
yet that parse cost 0.8 s of the 1.2 s each stage spent recording itself in gaitops' own
3,000-line lock (every stage lists each source file it imports), the largest part of what DVC
adds to a stage. `lockfile_writes_parsed_in_c` makes DVC read dvc.lock with the C YAML loader for
the rewrite; DVC's own dumper still writes it, so the file is byte for byte what DVC writes
(tests/test_dvc_lockfile.py). dvc.yaml, which people do comment, is still parsed round-trip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LOCKFILE_NAME = "dvc.lock"


def _parse_plain(text: str, path: Any) -> dict[str, Any]:
    """dvc.lock as plain dicts and lists, read by libyaml (through ruamel's C loader, with the
    error DVC raises for a corrupt YAML file)."""
    from dvc.utils.serialize._yaml import parse_yaml

    return parse_yaml(text, path, typ="safe")


@contextmanager
def lockfile_writes_parsed_in_c() -> Iterator[None]:
    """While inside, DVC's rewrites of dvc.lock parse it with the C loader; other files keep
    DVC's round-trip parse. Nothing is changed where DVC's internals are not where expected."""
    import dvc.dvcfile as dvcfile
    from dvc.utils.serialize import _common, _yaml

    original = getattr(dvcfile, "modify_yaml", None)
    dumper = getattr(_yaml, "_dump", None)
    modify_data = getattr(_common, "_modify_data", None)
    if original is None or dumper is None or modify_data is None:
        yield
        return

    @contextmanager
    def modify_yaml(path: Any, fs: Any = None) -> Iterator[Any]:
        if os.path.basename(os.fspath(path)) != LOCKFILE_NAME:
            with original(path, fs=fs) as data:
                yield data
            return
        with modify_data(path, _parse_plain, dumper, fs=fs) as data:
            yield data

    dvcfile.modify_yaml = modify_yaml
    try:
        yield
    finally:
        dvcfile.modify_yaml = original
