"""Lightning training throughput versus a plain PyTorch loop: same model, data, batches, epochs.

Prints samples per second for both and their ratio (Lightning / plain), for a curve model
(ResNet-1D on synthetic cycles) and a tabular one (SDNN on the paper's one-hot rows).
Both loops are measured in this run, alternately, and the best of the repeats is kept.
"""

from __future__ import annotations

import time

import numpy as np
import pytorch_lightning as pl
import torch

from gaitops.config import ResNet1DSettings, SDNNSettings, SyntheticSettings
from gaitops.data.cycles import build_cycles
from gaitops.data.dataset import GaitDataset
from gaitops.data.encode import encode_angle_regression
from gaitops.data.sources.synthetic import UCI_LIKE, generate
from gaitops.models.training import (
    _quiet_lightning,
    build_module,
    make_loader,
    make_trainer,
)

REPEATS = 3


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


def compare(name: str, data: GaitDataset, architecture: str, settings) -> None:
    samples = (len(data.y) // settings.batch_size) * settings.batch_size * settings.max_epochs
    lightning, plain = [], []
    for _ in range(REPEATS):
        lightning.append(lightning_seconds(data, architecture, settings))
        plain.append(plain_seconds(data, architecture, settings))
    best_l, best_p = min(lightning), min(plain)
    print(
        f"{name:<28} Lightning {samples / best_l:>9.0f} samples/s   plain {samples / best_p:>9.0f} samples/s   "
        f"throughput ratio (Lightning / plain) {best_p / best_l:.2f}"
    )


def main() -> None:
    _quiet_lightning()
    torch.set_num_threads(1)
    cycles = build_cycles(generate(SyntheticSettings(subjects_per_group=20, seed=1)), "group")
    curves = cycles
    compare(
        f"resnet1d, {len(curves.y)} cycles", curves, "resnet1d", ResNet1DSettings(max_epochs=20)
    )
    encoded = encode_angle_regression(
        generate(UCI_LIKE.model_copy(update={"subjects_per_group": 3}))
    )
    rows = encoded
    compare(f"sdnn, {len(rows.y)} rows", rows, "sdnn", SDNNSettings(max_epochs=2))


if __name__ == "__main__":
    main()
