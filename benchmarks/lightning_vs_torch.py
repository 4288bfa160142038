"""Lightning training throughput versus a plain PyTorch loop: same model, data, batches, epochs.

Prints samples per second for both and their ratio (Lightning / plain), for a curve model
(ResNet-1D on synthetic cycles) and a tabular one (SDNN on the paper's one-hot rows).
Both loops are measured in this run, alternately, and the best of the repeats is kept.

    python benchmarks/lightning_vs_torch.py           # 60 cycles x 20 epochs, 3 repeats
    python benchmarks/lightning_vs_torch.py --smoke   # a tiny cohort and network, one epoch, one repeat
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np
import pytorch_lightning as pl
import torch

from gaitops.data.cycles import build_cycles
from gaitops.data.dataset import GaitDataset
from gaitops.data.encode import encode_angle_regression
from gaitops.data.sources.synthetic import UCI_LIKE, generate
from gaitops.models.components.resnet1d import ResNet1DSettings
from gaitops.models.components.sdnn import SDNNSettings
from gaitops.models.training import (
    _quiet_lightning,
    build_module,
    make_loader,
    make_trainer,
)
from gaitops.settings.synthetic import SyntheticSettings

REPEATS = 3


@dataclass(frozen=True)
class Scale:
    """How much the benchmark trains: cohort sizes, the two models' settings, repeats."""

    subjects_per_group: int  # synthetic curve cohort (one cycle per subject)
    uci: SyntheticSettings  # the tabular rows' cohort
    resnet1d: ResNet1DSettings
    sdnn: SDNNSettings
    repeats: int


FULL = Scale(
    20,
    UCI_LIKE.model_copy(update={"subjects_per_group": 3}),
    ResNet1DSettings(max_epochs=20),
    SDNNSettings(max_epochs=2),
    REPEATS,
)
SMOKE = Scale(
    4,
    UCI_LIKE.model_copy(update={"subjects_per_group": 2, "cycles_per_session": 1}),
    ResNet1DSettings(filters=8, blocks=1, kernel_size=5, batch_size=4, max_epochs=1),
    SDNNSettings(width=8, blocks=1, max_epochs=1),
    1,
)


def lightning_seconds(data: GaitDataset, architecture: str, settings) -> float:
    pl.seed_everything(0, verbose=False)
    index = np.arange(len(data.y))
    module = build_module(data, index, architecture, settings)
    trainer = make_trainer(settings.max_epochs)
    start = time.perf_counter()
    trainer.fit(module, make_loader(data, index, settings.batch_size, seed=0))
    return time.perf_counter() - start


def plain_seconds(data: GaitDataset, architecture: str, settings) -> float:
    pl.seed_everything(0, verbose=False)
    index = np.arange(len(data.y))
    module = build_module(data, index, architecture, settings)  # same network and loss
    optimiser = module.configure_optimizers()
    torch.use_deterministic_algorithms(True)
    start = time.perf_counter()
    module.train()
    for _ in range(settings.max_epochs):
        for batch in make_loader(data, index, settings.batch_size, seed=0):
            optimiser.zero_grad()
            loss, _ = module.model_step(batch)
            loss.backward()
            optimiser.step()
    return time.perf_counter() - start


def compare(name: str, data: GaitDataset, architecture: str, settings, repeats: int) -> None:
    samples = (len(data.y) // settings.batch_size) * settings.batch_size * settings.max_epochs
    lightning, plain = [], []
    for _ in range(repeats):
        lightning.append(lightning_seconds(data, architecture, settings))
        plain.append(plain_seconds(data, architecture, settings))
    best_l, best_p = min(lightning), min(plain)
    print(
        f"{name:<28} Lightning {samples / best_l:>9.0f} samples/s   plain {samples / best_p:>9.0f} samples/s   "
        f"throughput ratio (Lightning / plain) {best_p / best_l:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny cohort and network (seconds)")
    scale = SMOKE if parser.parse_args().smoke else FULL
    _quiet_lightning()
    torch.set_num_threads(1)
    synthetic = SyntheticSettings(subjects_per_group=scale.subjects_per_group, seed=1)
    curves = build_cycles(generate(synthetic), "group")
    compare(f"resnet1d, {len(curves.y)} cycles", curves, "resnet1d", scale.resnet1d, scale.repeats)
    rows = encode_angle_regression(generate(scale.uci))
    compare(f"sdnn, {len(rows.y)} rows", rows, "sdnn", scale.sdnn, scale.repeats)


if __name__ == "__main__":
    main()
