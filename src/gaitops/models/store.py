"""Save and load models: a plain dict of tensors and lists, loaded with weights_only=True."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from gaitops.io import atomic_path
from gaitops.models.factory import build_network


def save_model(
    path: Path,
    spec: dict[str, Any],
    state_dict: dict[str, torch.Tensor],
    classes: list[str] | None,
    inputs: list[str],
    about: dict[str, Any] | None = None,
) -> None:
    """`inputs`: channel names (curves) or feature names (tabular); `about`: what a user of the
    model needs beside its weights (task, source conventions, data hash, params), plain JSON.

    The record is rebuilt from JSON text before it is pickled: pickle links objects it meets
    twice, so a string this process happens to share (interned here, not when the fold came
    back from a worker process) would otherwise change the file's bytes.
    """
    record = json.loads(
        json.dumps({"spec": spec, "classes": classes, "inputs": inputs, "about": about or {}})
    )
    names = json.loads(json.dumps(list(state_dict)))
    record["state_dict"] = dict(zip(names, state_dict.values(), strict=True))
    buffer = (
        io.BytesIO()
    )  # torch.save names the archive after the file: a buffer gives the same bytes
    torch.save(record, buffer)
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue())


def load_model(path: Path) -> tuple[nn.Module, dict[str, Any]]:
    """The network in eval mode, and the stored record (spec, classes, inputs, about)."""
    record = torch.load(path, map_location="cpu", weights_only=True)
    network = build_network(record["spec"])
    network.load_state_dict(record["state_dict"])
    network.eval()
    return network, record
