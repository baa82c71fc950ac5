#!/usr/bin/env python3
"""Writes the safetensors fixtures of Tests/TensorCoreTests/Fixtures/safetensors/.

Run from the repository root with the project's Python venv (torch, numpy, safetensors):

    python tools/make_safetensors_fixtures.py

Files written (all small):
  torch_mixed.safetensors   safetensors.torch.save_file: F32, F16, BF16, I64, U8, metadata
  numpy_mixed.safetensors   safetensors.numpy.save_file: F32, F64, U16, U8, I64, I32, I8, BOOL,
                            one metadata key (so the header bytes are deterministic)
  torch_rounding.safetensors F32 values cast by torch to F16 and BF16 (round to nearest even),
                            saved with one metadata key; the Swift writer must reproduce it
                            byte for byte from the F32 source values
  values.json               for every file: metadata, and per tensor dtype, shape and values
                            (floats as the IEEE Float32 bit patterns of what Python reads back,
                            integers as numbers); for torch_rounding also the F32 sources
"""
import json
import struct
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import load_file as load_torch
from safetensors.torch import save_file as save_torch

OUT = Path(__file__).resolve().parent.parent / "Tests/TensorCoreTests/Fixtures/safetensors"


def float_bits(array):
    """Float32 bit patterns of a float array (exact, NaN-safe)."""
    return [int(b) for b in np.asarray(array, dtype=np.float32).view(np.uint32).ravel()]


def describe(path, metadata):
    """Reads a file back with safetensors.torch and records dtypes, shapes and values."""
    names = {
        torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
        torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
        torch.uint8: "U8", torch.uint16: "U16", torch.bool: "BOOL",
    }
    entry = {"metadata": metadata, "tensors": {}}
    for name, tensor in load_torch(str(path)).items():
        item = {"dtype": names[tensor.dtype], "shape": list(tensor.shape)}
        if tensor.is_floating_point():
            item["float32_bits"] = float_bits(tensor.to(torch.float32).numpy())
        else:
            item["ints"] = [int(v) for v in tensor.to(torch.int64).ravel().tolist()]
        entry["tensors"][name] = item
    return entry


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    generator = torch.Generator().manual_seed(7)
    values = {}

    metadata = {"module": "patch_embed", "patch_size": "16", "note": "quote \" backslash \\ é"}
    tensors = {
        "proj.weight": torch.randn(2, 3, generator=generator),
        "half": torch.tensor([0.1, -2.5, 65504.0, 1e-6], dtype=torch.float16),
        "brain": (torch.randn(2, 2, generator=generator) * 1000).to(torch.bfloat16),
        "bn1.num_batches_tracked": torch.tensor([3, -1, 2**40], dtype=torch.int64),
        "image": torch.arange(12, dtype=torch.uint8).reshape(2, 2, 3) * 21,
        "scalar": torch.tensor(1.25),
        "empty": torch.zeros(0, 4),
    }
    path = OUT / "torch_mixed.safetensors"
    save_torch(tensors, str(path), metadata=metadata)
    values[path.name] = describe(path, metadata)

    metadata = {"module": "glimpse"}
    arrays = {
        "a.f32": np.array([[1.5, -0.0, 3.25], [1e-30, 7e30, -2.0]], dtype=np.float32),
        "b.f64": np.array([np.pi, -1e-300], dtype=np.float64),
        "c.u16": np.array([0, 1, 65535], dtype=np.uint16),
        "d.u8": np.array([0, 128, 255, 7, 9], dtype=np.uint8),
        "e.i64": np.array([-(2**62), 5], dtype=np.int64),
        "f.i32": np.array([[-7], [2**31 - 1]], dtype=np.int32),
        "g.i8": np.array([-128, 127], dtype=np.int8),
        "h.bool": np.array([True, False, True]),
    }
    path = OUT / "numpy_mixed.safetensors"
    save_numpy(arrays, str(path), metadata=metadata)
    values[path.name] = describe(path, metadata)

    # F32 sources chosen to exercise rounding: ties, subnormals, overflow, signed zero. No NaN:
    # torch's vectorised BF16 cast writes 0xFFFF for it, its scalar cast 0x7FC0.
    sources = np.array([
        0.0, -0.0, 1.0 / 3.0, -2.0 / 3.0, 65504.0, 65519.0, 65520.0, 1e30, -np.inf,
        1e-8, 5.96e-8, 2.98e-8, 6.1e-5, 1.0009765625 + 2**-11, 1.0 + 2**-11, 1.0 + 3 * 2**-11,
        1.0 + 2**-8, 1.0 + 3 * 2**-8, 3.0e38, 1e-40, -123.456,
    ], dtype=np.float32)
    source = torch.from_numpy(sources)
    metadata = {"module": "rounding"}
    path = OUT / "torch_rounding.safetensors"
    save_torch({"as_f16": source.to(torch.float16), "as_bf16": source.to(torch.bfloat16),
                "as_f32": source.clone()}, str(path), metadata=metadata)
    values[path.name] = describe(path, metadata)
    values[path.name]["source_float32_bits"] = float_bits(sources)

    (OUT / "values.json").write_text(json.dumps(values, indent=1, sort_keys=True) + "\n")
    for file in sorted(OUT.iterdir()):
        print(f"{file.name}: {file.stat().st_size} bytes")


if __name__ == "__main__":
    main()
