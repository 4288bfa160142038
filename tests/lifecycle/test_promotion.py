"""The promotion gate: not worse by more than the tolerance, on the same task and protocol."""

from dataclasses import replace

from gaitops.lifecycle.history import Retrain
from gaitops.lifecycle.promotion import decide

CHAMPION = Retrain(
    when="2026-12-01T02:00:00+00:00",
    trigger="schedule",
    flow_run="run-1",
    data_sha256="d1",
    task="group_classification",
    model="multirocket",
    metric="balanced_accuracy",
    mean=0.90,
    sd=0.03,
    protocol="subject_kfold",
    model_sha256="m1",
    promoted=True,
    reason="promoted: the first model",
    version="v1.0.0",
)


def candidate(**changes) -> Retrain:
    return replace(CHAMPION, model_sha256="m2", promoted=False, version=None, **changes)


def test_the_first_model_is_promoted():
    assert decide(candidate(), None, 0.01).promote


def test_a_better_or_slightly_worse_candidate_is_promoted():
    assert decide(candidate(mean=0.95), CHAMPION, 0.01).promote
    assert decide(candidate(mean=0.895), CHAMPION, 0.01).promote


def test_a_worse_candidate_is_refused_with_both_figures():
    decision = decide(candidate(mean=0.70, sd=0.10), CHAMPION, 0.01)
    assert not decision.promote
    assert decision.reason.startswith("not promoted: worse by 0.200")
    assert "0.700 ± 0.100" in decision.reason and "0.900 ± 0.030" in decision.reason
    assert "v1.0.0" in decision.reason and "tolerance 0.01" in decision.reason


def test_figures_on_another_protocol_or_task_are_not_compared():
    leaking = decide(candidate(protocol="paper", mean=0.99), CHAMPION, 0.01)
    assert not leaking.promote and "cannot be compared" in leaking.reason
    other = decide(candidate(task="angle_regression", metric="r2"), CHAMPION, 0.01)
    assert not other.promote and "cannot be compared" in other.reason


def test_the_promoted_model_itself_is_unchanged_not_refused():
    decision = decide(replace(CHAMPION, version=None), CHAMPION, 0.0)
    assert not decision.promote and decision.reason.startswith("unchanged")
