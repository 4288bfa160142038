"""LIME (Ribeiro et al. 2016) on interpretable segments, with Captum's Lime.

Each perturbed sample keeps a random half of the segments and sets the others to the baseline;
a ridge regression (the `lime` package's default surrogate) weighted by an exponential kernel
on the cosine distance of the on/off vector fits the explained output. A segment's coefficient
is shared evenly by its elements. ``grouping: scalar`` gives every point its own feature, as
Lan et al. ran it (then use thousands of samples).
"""

from __future__ import annotations

import warnings

import torch
from captum._utils.models.linear_model import SkLearnRidge
from captum.attr import Lime as CaptumLime
from captum.attr._core.lime import get_exp_kernel_similarity_function
from pydantic import Field
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, Explanation, SegmentOptions
from gaitops.explain.segments import segment_values, spread_over_segments


def _probabilities(model: nn.Module) -> nn.Module:
    return nn.Sequential(model, nn.Softmax(dim=1))


class LimeOptions(SegmentOptions):
    """explain.options.lime."""

    n_samples: int = Field(500, ge=1)  # perturbed samples per input
    ridge_alpha: float = Field(1.0, gt=0)  # the surrogate's L2 strength
    kernel_width: float = Field(0.75, gt=0)  # of the exponential kernel on cosine distance
    perturbations_per_eval: int = Field(250, ge=1)  # perturbed samples per forward pass


class Lime(Explainer):
    """A local linear surrogate over the segments, fitted to `n_samples` perturbations per input."""

    name = "lime"
    needs_gradients = False
    description = "LIME (Captum): ridge surrogate on angle x phase segments, `n_samples` per input"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    options_model = LimeOptions

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        forward = _probabilities(model) if targets is not None else model
        lime = CaptumLime(
            forward,
            interpretable_model=SkLearnRidge(alpha=self.options["ridge_alpha"]),
            similarity_func=get_exp_kernel_similarity_function(
                "cosine", kernel_width=self.options["kernel_width"]
            ),
        )
        with torch.random.fork_rng(), warnings.catch_warnings():
            # one surrogate per sample is what LIME is; Captum warns about it for batches
            warnings.filterwarnings("ignore", message="You are providing multiple inputs")
            torch.manual_seed(context.seed)
            with torch.no_grad():
                attributions = lime.attribute(
                    inputs,
                    baselines=context.baseline.expand_as(inputs),
                    target=targets,
                    feature_mask=context.batch_mask(len(inputs)),
                    n_samples=self.options["n_samples"],
                    perturbations_per_eval=self.options["perturbations_per_eval"],
                )
        # Captum repeats a segment's coefficient on each element; share it evenly instead
        sizes = torch.bincount(context.segments.reshape(-1)).to(attributions.dtype)
        coefficients = segment_values(attributions, context.segments) / sizes
        return Explanation(attributions=spread_over_segments(coefficients, context.segments))


EXPLAINER = Lime
