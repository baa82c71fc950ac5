"""Reading and writing the `.safetensors` files of Contract 1 and 2 (see shared DESIGN.md).

A model file holds the reference module's `state_dict()` under its own names, with
`__metadata__` = {"module": ..., hyperparameters...}, every value a string. Input and
output files hold F32 tensors only.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Mapping

import torch
from safetensors import safe_open

_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
           torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8"}


def save_file(tensors: Mapping[str, torch.Tensor], path: str, metadata: Mapping[str, str] | None = None) -> None:
    """A byte-reproducible safetensors writer (the `safetensors` package orders the header
    keys at random): `__metadata__` first, tensors sorted by name, data in that order,
    header padded with spaces to a multiple of 8. Read back with the official reader."""
    header: dict[str, object] = {}
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    chunks, offset = [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in chunks:
            f.write(raw)


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
