"""Reading and writing the `.safetensors` files of Contract 1 and 2 (see shared DESIGN.md).

A model file holds the reference module's `state_dict()` under its own names, with
`__metadata__` = {"module": ..., hyperparameters...}, every value a string. Input and
output files hold F32 tensors only.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import torch
from safetensors import safe_open
from safetensors.torch import save_file


def _contiguous(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {name: t.detach().contiguous().cpu() for name, t in tensors.items()}


def save_model(path: Path, module: str, hyper: Mapping[str, object],
               state_dict: Mapping[str, torch.Tensor], float_dtype=torch.float32) -> None:
    """Writes a model file. Floating tensors are stored as `float_dtype`; others unchanged."""
    metadata = {"module": module}
    for key, value in hyper.items():
        metadata[key] = str(value).lower() if isinstance(value, bool) else str(value)
    tensors = {
        name: (t.to(float_dtype) if t.is_floating_point() else t)
        for name, t in state_dict.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(_contiguous(tensors), str(path), metadata=metadata)


def save_tensors(path: Path, tensors: Mapping[str, torch.Tensor]) -> None:
    """Writes an input or output file: every tensor as F32."""
    for name, t in tensors.items():
        if not t.is_floating_point():
            raise ValueError(f"tensor {name} is {t.dtype}, input/output files hold F32 only")
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(_contiguous({n: t.float() for n, t in tensors.items()}), str(path))


def load(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Returns (tensors as stored, metadata). Floating tensors keep their stored dtype."""
    with safe_open(str(path), framework="pt") as f:
        metadata = dict(f.metadata() or {})
        tensors = {name: f.get_tensor(name) for name in f.keys()}
    return tensors, metadata


def as_float32(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Floating tensors widened to float32 (F16/BF16 values are exact in F32); others unchanged."""
    return {n: (t.float() if t.is_floating_point() else t) for n, t in tensors.items()}


def round_through(state_dict: Mapping[str, torch.Tensor], dtype) -> dict[str, torch.Tensor]:
    """Floating tensors rounded to `dtype` and back to float32 (what a reader of that file sees)."""
    return {n: (t.to(dtype).float() if t.is_floating_point() else t.clone())
            for n, t in state_dict.items()}
