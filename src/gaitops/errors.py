"""The errors a gaitops user can act on: each says what is wrong, where, and the fix."""

from __future__ import annotations


class GaitopsError(Exception):
    """Base of every error gaitops raises for a problem the user can fix."""


class ConfigError(GaitopsError):
    """params.yaml (or an override) is invalid."""


class DataSourceError(GaitopsError):
    """A data source cannot be found, downloaded, verified or parsed."""


class ChecksumMismatch(DataSourceError):
    """A data file's hash differs from the pinned one."""


class ValidationFailed(GaitopsError):
    """The canonical table failed the Great Expectations gate."""


class PipelineStateError(GaitopsError):
    """A stage was asked to run on inputs an earlier stage did not produce (or rejected)."""


class PrefectServerError(GaitopsError):
    """The project's Prefect server could not be started or reached."""
