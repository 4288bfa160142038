"""Find a pinned data file in the data directory, or download it; verify its hash either way."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gaitops.errors import ChecksumMismatch, DataSourceError
from gaitops.io import atomic_path, sha256_of

DATA_DIR_ENV = "GAITOPS_DATA_DIR"
CACHE_DIR_ENV = "GAITOPS_CACHE_DIR"


@dataclass(frozen=True)
class PinnedFile:
    """A public file known by its relative path, download URL and digest.

    ``digest_kind`` is ``sha256`` (of the bytes) or ``git_blob_sha1`` (what `git hash-object`
    prints). ``archive_member``: the URL is a zip archive holding the file under that name.
    """

    relative_path: str
    url: str
    digest: str
    digest_kind: str = "sha256"
    archive_member: str | None = None


def git_blob_sha1(path: Path) -> str:
    """The id git gives the file's content (`git hash-object`)."""
    content = Path(path).read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def digest_of(path: Path, kind: str) -> str:
    return git_blob_sha1(path) if kind == "git_blob_sha1" else sha256_of(path)


def data_dir_from_env() -> Path | None:
    value = os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV, Path.home() / ".cache" / "gaitops")).expanduser()


def verify(path: Path, expected: str, kind: str = "sha256") -> str:
    """Return the file's digest, or raise if it is not the pinned one."""
    actual = digest_of(path, kind)
    if actual != expected:
        raise ChecksumMismatch(
            f"{path}: {kind} {actual} differs from the pinned {expected}. "
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
            return candidate, verify(candidate, pinned.digest, pinned.digest_kind)
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
    _download(pinned.url, cached, pinned.archive_member)
    try:
        return cached, verify(cached, pinned.digest, pinned.digest_kind)
    except ChecksumMismatch:
        cached.unlink(missing_ok=True)  # never keep a bad download
        raise


def _download(url: str, target: Path, archive_member: str | None, timeout_s: float = 30.0) -> None:
    try:
        with (
            atomic_path(target) as tmp,
            urllib.request.urlopen(url, timeout=timeout_s) as response,
            tempfile.TemporaryFile() as raw,
        ):
            while chunk := response.read(1 << 20):
                raw.write(chunk)
            raw.seek(0)
            with open(tmp, "wb") as out:
                if archive_member is None:
                    shutil.copyfileobj(raw, out)
                else:
                    with zipfile.ZipFile(raw) as archive, archive.open(archive_member) as member:
                        shutil.copyfileobj(member, out)
    except (urllib.error.URLError, OSError, TimeoutError, zipfile.BadZipFile, KeyError) as exc:
        raise DataSourceError(
            f"could not download {url}: {exc}. Without network access, set {DATA_DIR_ENV} "
            "to a directory that holds the file."
        ) from exc
