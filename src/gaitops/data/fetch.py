"""Find a pinned data file in the data directory, or download it; verify its hash either way."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from gaitops.errors import ChecksumMismatch, DataSourceError
from gaitops.io import atomic_path, sha256_of

DATA_DIR_ENV = "GAITOPS_DATA_DIR"
CACHE_DIR_ENV = "GAITOPS_CACHE_DIR"


@dataclass(frozen=True)
class PinnedFile:
    """A public file known by its relative path, download URL and sha256."""

    relative_path: str
    url: str
    sha256: str


def data_dir_from_env() -> Path | None:
    value = os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV, Path.home() / ".cache" / "gaitops")).expanduser()


def verify(path: Path, expected_sha256: str) -> str:
    """Return the file's sha256, or raise if it is not the pinned one."""
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ChecksumMismatch(
            f"{path}: sha256 {actual} differs from the pinned {expected_sha256}. "
            "The file is not the published one (edited, truncated or a different release): "
            "replace it with the original, or remove it so gaitops downloads it."
        )
    return actual


def locate(pinned: PinnedFile, data_dir: Path | None, allow_download: bool) -> tuple[Path, str]:
    """The verified local path of `pinned` and its sha256.

    Looks in `data_dir` first, then in the download cache, then downloads (if allowed).
    """
    candidates = []
    if data_dir is not None:
        candidates.append(data_dir / pinned.relative_path)
    cached = cache_dir() / pinned.relative_path
    candidates.append(cached)
    for candidate in candidates:
        if candidate.is_file():
            return candidate, verify(candidate, pinned.sha256)
    if not allow_download:
        where = (
            data_dir / pinned.relative_path
            if data_dir
            else f"${DATA_DIR_ENV}/{pinned.relative_path}"
        )
        raise DataSourceError(
            f"{where}: not found and downloading is off (data.download: false). "
            f"Set {DATA_DIR_ENV} to the directory holding {pinned.relative_path}."
        )
    _download(pinned.url, cached)
    return cached, verify(cached, pinned.sha256)


def _download(url: str, target: Path, timeout_s: float = 30.0) -> None:
    try:
        with (
            atomic_path(target) as tmp,
            urllib.request.urlopen(url, timeout=timeout_s) as response,
            open(tmp, "wb") as out,
        ):
            while chunk := response.read(1 << 20):
                out.write(chunk)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise DataSourceError(
            f"could not download {url}: {exc}. Without network access, set {DATA_DIR_ENV} "
            "to a directory that holds the file."
        ) from exc
