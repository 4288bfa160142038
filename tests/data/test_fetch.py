import hashlib

import pytest

from gaitops.data.fetch import PinnedFile, locate
from gaitops.errors import ChecksumMismatch, DataSourceError


def pinned(content: bytes) -> PinnedFile:
    return PinnedFile(
        "src/file.csv", "http://127.0.0.1:9/unreachable.csv", hashlib.sha256(content).hexdigest()
    )


def test_found_in_data_dir_and_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "file.csv").write_bytes(b"a,b\n1,2\n")
    path, digest = locate(pinned(b"a,b\n1,2\n"), tmp_path, allow_download=False)
    assert path == tmp_path / "src" / "file.csv"
    assert digest == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_edited_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "file.csv").write_bytes(b"a,b\n1,3\n")
    with pytest.raises(ChecksumMismatch, match="differs from the pinned"):
        locate(pinned(b"a,b\n1,2\n"), tmp_path, allow_download=False)


def test_missing_without_download_says_which_variable_to_set(tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(DataSourceError, match="GAITOPS_DATA_DIR"):
        locate(pinned(b"x"), tmp_path, allow_download=False)


def test_failed_download_leaves_nothing_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(DataSourceError, match="could not download"):
        locate(pinned(b"x"), None, allow_download=True)
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))
