"""Alerts go through Prefect's webhook block to a real receiver; only the events asked for."""

from pathlib import Path
from types import SimpleNamespace

from flows.alerts import alert_abandoned, events_of, send_alert
from prefect.states import Completed, Crashed, Failed

from gaitops.settings.alerts import AlertSettings
from helpers.http_receiver import http_receiver

RUN = SimpleNamespace(name="nightly-otter", id="0b5e-run")


def test_each_state_names_its_events():
    assert events_of(Failed(message="bad data")) == ["failed"]
    assert events_of(Crashed(message="killed")) == ["crashed"]
    assert events_of(Completed(message="not promoted: worse by 0.2; DRIFT: knee")) == [
        "not_promoted",
        "drift",
    ]
    assert events_of(Completed(message="All states completed.")) == []


def test_a_refused_retrain_reaches_the_webhook_and_a_good_one_does_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with http_receiver() as receiver:
        Path("params.yaml").write_text(f"alerts: {{webhook: {receiver.url}}}\n")
        send_alert(None, RUN, Completed(message="not promoted: worse by 0.300, ..."))
        send_alert(None, RUN, Completed(message="All states completed."))
        alert_abandoned(AlertSettings(webhook=receiver.url), ["retrain/old-run"])
    texts = [body["text"] for body in receiver.received]
    assert len(texts) == 2
    assert texts[0].startswith("gaitops retrain nightly-otter: not promoted")
    assert "not promoted: worse by 0.300" in texts[0] and "0b5e-run" in texts[0]
    assert "marked CRASHED" in texts[1] and "retrain/old-run" in texts[1]


def test_events_left_out_of_alerts_events_are_not_sent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with http_receiver() as receiver:
        Path("params.yaml").write_text(f"alerts: {{webhook: {receiver.url}, events: [failed]}}\n")
        send_alert(None, RUN, Completed(message="not promoted: worse"))
        send_alert(None, RUN, Failed(message="the data failed validation"))
    subjects = [body["text"].splitlines()[0] for body in receiver.received]
    assert subjects == ["gaitops retrain nightly-otter: failed"]


def test_a_webhook_that_does_not_answer_never_fails_the_retrain(tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    Path("params.yaml").write_text("alerts: {webhook: 'http://127.0.0.1:9/none'}\n")
    send_alert(None, RUN, Failed(message="x"))
    assert "the alert could not be sent" in caplog.text
