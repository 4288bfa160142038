import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.data.sources import uci
from gaitops.data.sources.synthetic import UCI_LIKE, generate
from gaitops.data.sources.uci import read_uci, write_uci
from gaitops.errors import ChecksumMismatch, DataSourceError

SMALL_UCI = UCI_LIKE.model_copy(
    update={"subjects_per_group": 3, "cycles_per_session": 2, "seed": 5}
)


@pytest.fixture(scope="module")
def uci_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("uci") / "gait.csv"
    write_uci(generate(SMALL_UCI), path)
    return path


def test_written_file_has_exactly_the_uci_layout(uci_file):
    lines = uci_file.read_text().splitlines()
    assert lines[0] == "subject,condition,replication,leg,joint,time,angle"
    assert lines[1].startswith("1,1,1,1,1,0,")
    assert len(lines) - 1 == 3 * 3 * 2 * 2 * 3 * 101
    frame = pd.read_csv(uci_file)
    assert frame.equals(
        frame.sort_values(["subject", "condition", "replication", "leg", "joint", "time"])
    )


def test_adapter_accepts_it_with_names_for_the_codes(uci_file):
    table = read_uci(uci_file)
    assert set(table["condition"]) == {"unbraced", "knee_brace", "ankle_brace"}
    assert set(table["joint"]) == {"ankle", "knee", "hip"} and set(table["side"]) == {"L", "R"}
    assert table["subject"].nunique() == 3 and table["group"].unique().tolist() == ["control"]
    assert table.groupby(["session", "cycle", "side", "joint"]).size().eq(101).all()


def test_knee_brace_reduces_right_knee_range_in_the_file(uci_file):
    table = read_uci(uci_file)
    knee = table[(table.joint == "knee") & (table.side == "R")]
    rom = (
        knee.groupby(["session", "cycle", "condition"])["angle"]
        .agg(lambda a: a.max() - a.min())
        .groupby("condition")
        .mean()
    )
    assert rom["knee_brace"] < 0.85 * rom["unbraced"]


def test_wrong_hash_is_an_error_that_says_so(uci_file, tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "uci").mkdir()
    (tmp_path / "uci" / "gait.csv").write_bytes(uci_file.read_bytes())
    with pytest.raises(
        ChecksumMismatch, match=r"git_blob_sha1 .* differs from the pinned c88a2eef"
    ):
        uci.load(Settings(), tmp_path)


def test_missing_column_is_named(uci_file, tmp_path):
    path = tmp_path / "g.csv"
    pd.read_csv(uci_file).drop(columns=["leg"]).to_csv(path, index=False)
    with pytest.raises(
        DataSourceError, match=r"without the column 'leg'\n  where:    .*g\.csv, line 1"
    ):
        read_uci(path)


def test_truncated_cycle_is_named(uci_file, tmp_path):
    path = tmp_path / "g.csv"
    frame = pd.read_csv(uci_file)
    cut = (
        (frame.subject == 2)
        & (frame.condition == 3)
        & (frame.replication == 1)
        & (frame.leg == 2)
        & (frame.joint == 1)
        & (frame.time > 95)
    )
    frame[~cut].to_csv(path, index=False)
    with pytest.raises(
        DataSourceError,
        match=r"a cycle has 96 rows(.|\n)*value:    \{'subject': 2, 'condition': 3, 'replication': 1, 'leg': 2, 'joint': 1\}",
    ):
        read_uci(path)
