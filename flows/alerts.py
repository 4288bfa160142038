"""Alerts: the retrain flow's state hooks tell the team through a Prefect notification block.

A retrain that fails, crashes, is not promoted or sees drift past its thresholds sends one
message to `alerts.webhook` (a Slack-compatible incoming webhook, through Prefect's
CustomWebhookNotificationBlock) or to the saved block `alerts.block` (any of Prefect's
notification blocks: Slack, Teams, email, ...). `alerts.events` picks the events.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from prefect.blocks.abstract import NotificationBlock
from prefect.blocks.core import Block
from prefect.blocks.notifications import CustomWebhookNotificationBlock

from gaitops.config import load_settings
from gaitops.errors import GaitopsError
from gaitops.settings.alerts import AlertSettings

log = logging.getLogger("gaitops")


def notifier(alerts: AlertSettings) -> NotificationBlock | None:
    """The block alerts go through, or None when none is configured."""
    if alerts.block:
        block = Block.load(alerts.block)
        if not isinstance(block, NotificationBlock):
            raise GaitopsError(f"alerts.block {alerts.block!r} is not a notification block")
        return block
    if alerts.webhook:
        return CustomWebhookNotificationBlock(
            name="gaitops alert",
            url=alerts.webhook,
            json_data={"text": "{{subject}}\n{{body}}"},  # what Slack's incoming webhooks read
            allow_private_urls=True,  # the team's own webhook may live on its own network
        )
    return None


def events_of(state: Any) -> list[str]:
    """What a finished retrain's state calls for: failed, crashed, not_promoted, drift."""
    if state.is_crashed():
        return ["crashed"]
    if state.is_failed():
        return ["failed"]
    message = state.message or ""
    return [
        event
        for event, mark in (("not_promoted", "not promoted"), ("drift", "DRIFT"))
        if mark in message
    ]


def alert_message(flow_run: Any, state: Any, events: list[str]) -> tuple[str, str]:
    """(subject, body) of the alert."""
    subject = f"gaitops retrain {flow_run.name}: {', '.join(e.replace('_', ' ') for e in events)}"
    root = _root_run_id()
    within = f" (in flow run {root})" if root and root != str(flow_run.id) else ""
    body = (
        f"{state.type.value}: {state.message or '(no message)'}\n"
        f"project: {Path.cwd()}\nPrefect flow run: {flow_run.id}{within}"
    )
    return subject, body


def _root_run_id() -> str | None:
    """The top-level run (a scheduled deployment's run) when the hook runs inside one."""
    from prefect.runtime import flow_run as current

    root = current.root_flow_run_id
    return str(root) if root else None


def _send(alerts: AlertSettings, subject: str, body: str, events: list[str]) -> None:
    try:
        block = notifier(alerts)
        if block is None:
            return
        block.notify(body, subject)
        log.info("alert sent (%s)", ", ".join(events))
    except Exception as exc:  # a webhook that does not answer must not hide the retrain's state
        log.warning("the alert could not be sent: %s", exc)


def alert_abandoned(alerts: AlertSettings, crashed: list[str]) -> None:
    """Runs whose process was killed (no hook of theirs could run), found and marked CRASHED
    by the next retrain: said now."""
    if crashed and "crashed" in alerts.events:
        died = ", ".join(crashed)
        body = f"marked CRASHED, their process had died: {died}\nproject: {Path.cwd()}"
        _send(alerts, "gaitops: a retrain crashed", body, ["crashed"])


def send_alert(flow: Any, flow_run: Any, state: Any) -> None:
    """The retrain flow's state hook: notify when the state calls for it. An alert that cannot
    be sent is logged, never turned into a failure of the retrain."""
    try:
        alerts = load_settings(Path("params.yaml")).alerts
    except GaitopsError:
        return  # the failure itself says what is wrong with params.yaml
    events = [e for e in events_of(state) if e in alerts.events]
    if events:
        _send(alerts, *alert_message(flow_run, state, events), events)
