"""Every attribution method finds an effect planted in one angle and one phase of the cycle."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from gaitops.explain.base import ExplainContext
from gaitops.explain.ranking import angle_ranking
from gaitops.explain.registry import all_explainers
from gaitops.explain.segments import segment_values, segments_for
from gaitops.models.components.standardise import Standardise
from gaitops.scoring.base import ScoreInputs
from gaitops.scoring.localisation import Localisation
from gaitops.tasks import TASKS

EXPLAINERS = all_explainers()
CHANNEL, PHASE = 2, slice(31, 41)  # angle 2, window 3 of 10 (31-40 % of the cycle)
WINDOWS = 10
CURVES = [
    name
    for name, cls in sorted(EXPLAINERS.items())
    if cls.applies_to(TASKS["group_classification"]) and cls.gives_attributions
]
QUICK = {"n_steps": 16, "n_samples": 300, "steps": 100, "draws": 4}


class PlantedWindow(nn.Module):
    """Class 1 when angle 2 is raised within 31-40 % of the cycle; nothing else is looked at."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = 3.0 * torch.tanh(x[:, CHANNEL, PHASE].mean(dim=1))
        return torch.stack([-score, score], dim=1)


def cohort(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 2
    x = torch.randn(n, 4, 101, generator=generator) * 0.5
    x += torch.randn(n, 4, 1, generator=generator)  # offsets unrelated to the class
    x[:, CHANNEL, PHASE] += torch.where(labels == 1, 1.5, -1.5)[:, None]
    return x, labels


@pytest.fixture(scope="module")
def planted() -> tuple[nn.Module, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    reference, reference_labels = cohort(80, seed=0)
    model = nn.Sequential(Standardise.fit(reference), PlantedWindow()).eval()
    x, labels = cohort(24, seed=1)
    return model, reference, reference_labels, x, labels


def _explain(name: str, planted) -> np.ndarray:
    model, reference, reference_labels, x, labels = planted
    explainer = EXPLAINERS[name](
        {k: v for k, v in QUICK.items() if k in EXPLAINERS[name].options_model.model_fields}
    )
    context = ExplainContext(
        baseline=reference.mean(dim=0),
        segments=segments_for((4, 101), explainer.grouping, WINDOWS),
        reference_inputs=reference,
        reference_targets=reference_labels,
    )
    attributions = explainer.explain(model, x, labels, context).attributions
    assert attributions is not None
    return attributions.numpy()


def truth(n: int) -> np.ndarray:
    mask = np.zeros((n, 4, 101), dtype=np.float32)
    mask[:, CHANNEL, PHASE] = 1.0
    return mask


@pytest.mark.parametrize("name", CURVES)
def test_every_attribution_method_ranks_the_planted_angle_first(name, planted):
    attributions = _explain(name, planted)
    assert angle_ranking(attributions, planted[4].numpy())[0] == CHANNEL


@pytest.mark.parametrize(
    "name",
    [n for n in CURVES if EXPLAINERS[n]().grouping != "angle" and n != "nearest_unlike_swap"],
)
def test_methods_finer_than_an_angle_find_the_planted_phase_and_localise_it(name, planted):
    attributions = _explain(name, planted)
    per_segment = segment_values(
        torch.from_numpy(np.abs(attributions)), segments_for((4, 101), "angle_phase", WINDOWS)
    ).mean(dim=0)
    assert int(per_segment.argmax()) == CHANNEL * WINDOWS + 3
    labels = planted[4].numpy()
    score = Localisation().evaluate(
        ScoreInputs(planted[3].numpy(), labels, attributions, np.empty(0), truth=truth(len(labels)))
    )
    assert score.value > 0.5 > 10 * score.details["chance"]


def test_localisation_of_random_attributions_is_near_chance():
    rng = np.random.default_rng(0)
    attributions = rng.normal(size=(24, 4, 101))
    score = Localisation().evaluate(
        ScoreInputs(attributions, np.zeros(24), attributions, np.empty(0), truth=truth(24))
    )
    assert abs(score.value - score.details["chance"]) < 0.02
    assert score.details["rank_accuracy"] < 0.2


def test_feature_ablation_gives_an_unused_angle_exactly_zero(planted):
    attributions = _explain("feature_ablation", planted)
    unused = [c for c in range(4) if c != CHANNEL]
    assert np.abs(attributions[:, unused]).max() == 0.0
    assert np.abs(attributions[:, CHANNEL, PHASE]).min() > 0.0


def test_integrated_gradients_is_complete(planted):
    model, reference, _, x, labels = planted
    explainer = EXPLAINERS["integrated_gradients"]({"n_steps": 64})
    context = ExplainContext(reference.mean(dim=0), segments_for((4, 101), "angle"))
    explanation = explainer.explain(model, x, labels, context)
    with torch.no_grad():
        gap = (
            model(x).gather(1, labels[:, None]).squeeze(1)
            - model(context.baseline[None]).squeeze(0)[labels]
        )
    assert torch.allclose(explanation.attributions.sum(dim=(1, 2)), gap, atol=1e-3)
    assert explanation.convergence_error.max() < 1e-3
