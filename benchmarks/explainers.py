"""The cost of explaining and scoring, on the default pipeline's fold-0 model and data.

1. Integrated Gradients against its raw work: the same number of forward + backward passes
   (n_steps x samples, in the same internal batches) timed in the same run; the ratio is IG's
   overhead (goal: at most 1.25).
2. Seconds per explained sample for every registered explainer that applies.
3. Seconds per score (one fold's explanations of Integrated Gradients).

Run `gaitops demo` (or `gaitops run`) first: it reads data/canonical, data/models/fold_0.pt.

    python benchmarks/explainers.py           # the demo's model, 64 samples, best of 3
    python benchmarks/explainers.py --smoke   # a tiny synthetic workspace made first, 8 samples, once
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from explain_defaults import smoke_settings, smoke_workspace  # benchmarks/
from gaitops.config import Settings, load_settings
from gaitops.paths import Paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = 64
REPEATS = 3
SMOKE_SAMPLES = 8


def _best_of(function, repeats: int = REPEATS) -> float:
    """The fastest of `repeats` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny synthetic workspace (seconds)")
    if parser.parse_args(argv).smoke:
        with tempfile.TemporaryDirectory(prefix="gaitops-bench-") as folder:
            settings = smoke_settings()
            return measure(settings, smoke_workspace(Path(folder), settings), SMOKE_SAMPLES, 1)
    return measure(load_settings(ROOT / "params.yaml"), Paths(ROOT), SAMPLES, REPEATS)


def measure(settings: Settings, paths: Paths, samples: int, repeats: int) -> int:
    """Time IG against its raw passes, every explainer and every score on fold 0's model."""
    from gaitops.config import task_of
    from gaitops.explain.folds import explainer_for, fold_context
    from gaitops.explain.registry import all_explainers
    from gaitops.models.store import load_model
    from gaitops.scoring.base import ScoreInputs
    from gaitops.scoring.registry import SCORES
    from gaitops.stages.validated import held_out, validated_dataset
    from gaitops.subsets import evenly_spaced

    explainers = all_explainers()
    torch.set_num_threads(1)
    if not paths.fold_model(0).exists():
        print("run `gaitops demo` first: no data/models/fold_0.pt", file=sys.stderr)
        return 2
    task = task_of(settings)
    data, source = validated_dataset(settings, paths)
    held = held_out(data, paths)[0]
    index = evenly_spaced(held, samples)
    model, _ = load_model(paths.fold_model(0))
    x = torch.from_numpy(data.x[index])
    targets = torch.from_numpy(data.y[index]) if task.is_classification else None
    print(
        f"{source['name']}, {task.name}, {settings.train.model}: {len(index)} held-out samples of fold 0, one thread"
    )

    ig = explainer_for("integrated_gradients", settings)
    context = fold_context(data, model, held, ig, settings, 0)
    steps, batch = ig.options["n_steps"], ig.options["internal_batch_size"]

    def raw_passes() -> None:
        path = x.repeat_interleave(steps, dim=0)
        for start in range(0, len(path), batch):
            chunk = path[start : start + batch].clone().requires_grad_()
            output = model(chunk)
            picked = (
                output
                if targets is None
                else output.gather(1, targets.repeat_interleave(steps)[start : start + batch, None])
            )
            torch.autograd.grad(picked.sum(), chunk)

    raw = _best_of(raw_passes, repeats)
    integrated = _best_of(lambda: ig.explain(model, x, targets, context), repeats)
    print(
        f"\nIntegrated Gradients ({steps} steps, batches of {batch}): {integrated:.3f} s; "
        f"the same forward+backward passes alone: {raw:.3f} s; ratio {integrated / raw:.2f}"
    )

    print("\nseconds per explained sample:")
    attributions = {}
    for name in sorted(explainers):
        explainer_class = explainers[name]
        if not explainer_class.applies_to(task):
            continue
        explainer = (
            explainer_for(name, settings) if name in settings.explain.options else explainer_class()
        )
        context = fold_context(data, model, held, explainer, settings, 0)
        start = time.perf_counter()
        explanation = explainer.explain(model, x, targets, context)
        seconds = time.perf_counter() - start
        attributions[name] = explanation.attributions
        print(f"  {name:22s} {seconds / len(index):.4f}")

    print("\nseconds per score (Integrated Gradients' explanations of these samples):")

    def explain_ig(m, inputs, t):
        return ig.explain(m, inputs, t, fold_context(data, m, held, ig, settings, 0)).attributions

    given = ScoreInputs(
        inputs=data.x[index],
        targets=data.y[index],
        attributions=attributions["integrated_gradients"].numpy(),
        baseline=context.baseline.numpy(),
        model=model,
        explain=explain_ig,
        seed=settings.score.seed,
        subjects=np.asarray(data.subjects)[index],
    )
    for name in sorted(SCORES):
        score = SCORES[name]()
        if not score.applies_to(task) or not score.can_score(
            frozenset({"attributions", "explain"})
        ):
            continue
        seconds = _best_of(lambda s=score: s.evaluate(given), 1)
        print(f"  {name:26s} {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
