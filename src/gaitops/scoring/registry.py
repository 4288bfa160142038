"""Every explanation score, by name. Adding one: a module with a Score subclass, plus one line here."""

from __future__ import annotations

from gaitops.errors import ConfigError, registered
from gaitops.scoring.base import Score
from gaitops.scoring.counterfactual import (
    GenerationTime,
    Plausibility,
    Proximity,
    Sparsity,
    Validity,
)
from gaitops.scoring.deletion import Deletion
from gaitops.scoring.faithfulness_correlation import FaithfulnessCorrelation
from gaitops.scoring.fidelity import ChannelFidelity
from gaitops.scoring.infidelity import Infidelity
from gaitops.scoring.lan import LanFidelity, LanRobustness
from gaitops.scoring.localisation import Localisation
from gaitops.scoring.randomisation import ModelRandomisation
from gaitops.scoring.robustness import WithinClassDispersion
from gaitops.scoring.sensitivity import LocalLipschitz, MaxSensitivity
from gaitops.scoring.sparseness import Sparseness
from gaitops.scoring.stability import SubjectStability

SCORES: dict[str, type[Score]] = {
    cls.name: cls
    for cls in (
        LanFidelity,
        LanRobustness,
        Deletion,
        FaithfulnessCorrelation,
        Infidelity,
        MaxSensitivity,
        LocalLipschitz,
        ModelRandomisation,
        Localisation,
        SubjectStability,
        ChannelFidelity,
        WithinClassDispersion,
        Sparseness,
        Validity,
        Proximity,
        Sparsity,
        Plausibility,
        GenerationTime,
    )
}


def get_score(name: str) -> type[Score]:
    """The score `name`; a ConfigError naming score.scores when it is not registered."""
    return registered(SCORES, name, "score.scores")


def check_score_options(scores: list[str], options: dict[str, dict[str, object]]) -> None:
    """Each listed score is registered, each ``score.options`` entry names a registered score and
    fits its options model (the first problem as a ConfigError), before any stage runs."""
    for name in scores:
        get_score(name)
    for name, given in options.items():
        if name not in SCORES:
            raise ConfigError(f"score.options: {name!r} is not one of {sorted(SCORES)}.")
        SCORES[name].validated_options(dict(given))
