"""Every explanation score, by name. Adding one: a module with a Score subclass, plus one line here."""

from __future__ import annotations

from gaitops.scoring.base import Score
from gaitops.scoring.fidelity import ChannelFidelity
from gaitops.scoring.robustness import WithinClassDispersion
from gaitops.scoring.sparseness import Sparseness

SCORES: dict[str, type[Score]] = {
    WithinClassDispersion.name: WithinClassDispersion,
    ChannelFidelity.name: ChannelFidelity,
    Sparseness.name: Sparseness,
}
