"""Every data source, by name (``data.source`` in params.yaml), as a descriptor: how it is read
and what kind of data it gives. Adding a source is its module (gaitops/data/sources/NAME.py, a
``load(settings, data_dir)`` returning the canonical table) plus one descriptor here.

The names are checked here, when ingest starts and when ``gaitops run`` starts, not when
params.yaml is read: every stage reads params.yaml, and a registry read there would make every
stage depend on this file, so adding a source would re-run the whole pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gaitops.data.fetch import PinnedFile
from gaitops.data.sources import SourceLoader, fgdi, long_csv, synthetic, uci
from gaitops.errors import ConfigError, registered
from gaitops.settings.data import DataSettings

# built_in: a public data set under GAITOPS_DATA_DIR or downloaded, checked against its pinned
# hash (a machine may lack it: only these may fall back); user_file: the team's own file at
# data.csv_path (never replaced by other data); generated: made from params (synthetic cohorts)
SourceKind = Literal["built_in", "user_file", "generated"]


@dataclass(frozen=True)
class SourceDescriptor:
    name: str
    description: str
    kind: SourceKind
    load: SourceLoader  # (settings, data directory) -> the canonical table and its provenance
    pinned: PinnedFile | None = None  # built_in: the file it reads, with its hash

    @property
    def may_fall_back(self) -> bool:
        """Whether a machine without it may run the fallback instead (a user's file: never)."""
        return self.kind == "built_in"


SOURCES: dict[str, SourceDescriptor] = {
    d.name: d
    for d in (
        SourceDescriptor(
            "fgdi",
            "clinical 3D gait kinematics (controls, Parkinson's off/on, amputees)",
            "built_in",
            fgdi.load,
            fgdi.KINEMATICS,
        ),
        SourceDescriptor(
            "uci",
            "UCI Multivariate Gait Data: 10 subjects, unbraced / knee brace / ankle brace",
            "built_in",
            uci.load,
            uci.GAIT_CSV,
        ),
        SourceDescriptor(
            "uci_format", "a file of yours in the UCI layout", "user_file", uci.load_file
        ),
        SourceDescriptor(
            "long_csv",
            "a CSV file of yours, long or wide, mapped by data.columns",
            "user_file",
            long_csv.load,
        ),
        SourceDescriptor(
            "synthetic",
            "a synthetic cohort drawn from the synthetic section",
            "generated",
            synthetic.load,
        ),
    )
}


def get_source(name: str, key: str = "data.source") -> SourceDescriptor:
    """The source `name`; a ConfigError naming `key` when it is not registered."""
    return registered(SOURCES, name, key)


def check_data_source(data: DataSettings) -> None:
    """``data.source`` and ``data.fallback`` are registered, and a source that reads a file of
    yours has ``data.csv_path`` (the first problem as a ConfigError)."""
    source = get_source(data.source)
    if data.fallback is not None:
        get_source(data.fallback, "data.fallback")
    if source.kind == "user_file" and not data.csv_path:
        raise ConfigError(
            f"data.source is {data.source} but data.csv_path is not set; set it to your file."
        )
