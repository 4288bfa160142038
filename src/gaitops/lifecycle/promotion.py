"""The promotion gate: a candidate replaces the promoted model only when it is not worse.

Both are judged by their cross-validated headline metric on the same protocol; the candidate
may trail by at most `promote.tolerance`. The first model is promoted. A candidate trained for
another task, metric or protocol cannot be compared and is not promoted (the reason says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from gaitops.lifecycle.history import Retrain
from gaitops.tasks import TASKS


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str


def decide(candidate: Retrain, champion: Retrain | None, tolerance: float) -> Decision:
    """Promote `candidate` over `champion` (the promoted retrain, if any)?"""
    figure = f"{candidate.metric} {candidate.mean:.3f} ± {candidate.sd:.3f} ({candidate.protocol})"
    if champion is None:
        return Decision(True, f"promoted: the first model ({figure})")
    if candidate.model_sha256 == champion.model_sha256:
        return Decision(False, f"unchanged: the same model as the promoted {champion.version}")
    same = (candidate.task, candidate.metric, candidate.protocol) == (
        champion.task,
        champion.metric,
        champion.protocol,
    )
    if not same:
        return Decision(
            False,
            f"not promoted: it cannot be compared with the promoted {champion.version} "
            f"({candidate.task} / {candidate.metric} / {candidate.protocol} against "
            f"{champion.task} / {champion.metric} / {champion.protocol}); "
            "promote it by hand with gto assign if that change is intended",
        )
    sign = 1.0 if TASKS[candidate.task].higher_is_better else -1.0
    gain = sign * (candidate.mean - champion.mean)
    against = (
        f"{figure} against {champion.mean:.3f} ± {champion.sd:.3f} of the promoted "
        f"{champion.version}, tolerance {tolerance:g}"
    )
    if gain >= -tolerance:
        return Decision(True, f"promoted: not worse, {against}")
    return Decision(False, f"not promoted: worse by {-gain:.3f}, {against}")
