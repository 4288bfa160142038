"""The `alerts` section: who is told when a retrain fails or is not promoted."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict

AlertEvent = Literal["failed", "crashed", "not_promoted", "drift"]


class AlertSettings(Strict):
    """Who is told when a retrain fails, crashes, is not promoted or sees drift (flows/alerts.py)."""

    webhook: str | None = None  # a Slack-compatible incoming webhook URL: POST {"text": ...}
    block: str | None = (
        None  # or a Prefect notification block, "TYPE/NAME" (e.g. slack-webhook/team)
    )
    events: list[AlertEvent] = Field(
        default_factory=lambda: ["failed", "crashed", "not_promoted", "drift"]
    )
