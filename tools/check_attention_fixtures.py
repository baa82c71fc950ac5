#!/usr/bin/env python3
"""Re-runs the PyTorch references on the committed fixtures and checks every expected tensor.

    /work/venv/bin/python tools/check_attention_fixtures.py [--fixtures Tests/AttentionTests/Fixtures]

For every <module>/<case>/ folder: rebuilds the reference from model.safetensors alone
(metadata + state_dict names, F16 widened to float32), runs it on input.safetensors and
checks, to |got - ref| <= 1e-6·(1 + |ref|):
  1. the captured maps' forward output equals the reference module's own forward output;
  2. every tensor of expected.safetensors (and expected_xw.safetensors for glimpse);
  3. the module's extra checks (timm's fused attention path, at 1e-5).
Then it checks, by running the references, the conventions the README states (which axial
index attends along which axis, no residual, the retina's H-for-x quirk and padding).
Exits 1 on the first group of failures, printing each.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import MODULES, axial_attention, glimpse  # noqa: E402
from safetensors_files import as_float32, load  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-6


def compare(label: str, got: torch.Tensor, ref: torch.Tensor, tol: float, failures: list[str]) -> float:
    if got.shape != ref.shape:
        failures.append(f"{label}: shape {tuple(got.shape)} != expected {tuple(ref.shape)}")
        return float("inf")
    diff = (got - ref).abs()
    excess = float((diff - tol * (1 + ref.abs())).max()) if diff.numel() else 0.0
    if excess > 0:
        failures.append(f"{label}: max |diff| {float(diff.max()):.3g} exceeds {tol:g}·(1+|ref|)")
    return float(diff.max()) if diff.numel() else 0.0


def check_case(folder: Path, failures: list[str]) -> str:
    model_tensors, metadata = load(folder / "model.safetensors")
    module = MODULES[metadata["module"]]
    inputs, input_meta = load(folder / "input.safetensors")
    expected, _ = load(folder / "expected.safetensors")
    for name, t in {**inputs, **expected}.items():
        if t.dtype != torch.float32:
            failures.append(f"{folder}: {name} is {t.dtype}, not F32")
    dtypes = sorted({str(t.dtype).removeprefix("torch.") for t in model_tensors.values()})
    ref = module.from_file(metadata, as_float32(model_tensors))
    got = module.forward_with_maps(ref, inputs)
    label = f"{metadata['module']}/{folder.name}"
    if sorted(got) != sorted(expected):
        failures.append(f"{label}: outputs {sorted(got)} != expected {sorted(expected)}")
        return label
    first_name = next(iter(got))
    own = module.reference_forward(ref, inputs)
    compare(f"{label} captured vs reference forward", got[first_name].reshape(own.shape), own,
            TOLERANCE, failures)
    worst = max(compare(f"{label} {name}", got[name], expected[name], TOLERANCE, failures)
                for name in expected)
    for extra_label, a, b, tol in getattr(module, "extra_checks", lambda *_: [])(ref, inputs, got):
        compare(f"{label} {extra_label}", a, b, tol, failures)
    if module is glimpse:
        xw_expected, _ = load(folder / "expected_xw.safetensors")
        xw = glimpse.foveate_xw(ref, inputs)
        compare(f"{label} glimpses (xw)", xw["glimpses"], xw_expected["glimpses"], TOLERANCE, failures)
    return f"{label}: ok (weights {','.join(dtypes) or 'none'}, max |diff| {worst:.2g})"


def check_conventions(fixtures: Path, failures: list[str]) -> list[str]:
    notes = []
    torch.manual_seed(0)
    # Axial: which index attends along which axis. Perturb one pixel and see which outputs move.
    ref = axial_attention.build(8, 2, None, True)
    x = torch.randn(1, 8, 5, 6)
    y = x.clone()
    y[:, :, 2, 3] += 1.0
    with torch.no_grad():
        moved0 = (ref.axial_attentions[0](y) - ref.axial_attentions[0](x)).abs().sum(1)[0] > 0
        moved1 = (ref.axial_attentions[1](y) - ref.axial_attentions[1](x)).abs().sum(1)[0] > 0
    column_only = torch.zeros(5, 6, dtype=torch.bool)
    column_only[:, 3] = True
    row_only = torch.zeros(5, 6, dtype=torch.bool)
    row_only[2, :] = True
    if not torch.equal(moved0, column_only) or not torch.equal(moved1, row_only):
        failures.append("axial: axial_attentions.0 is not the height pass or .1 not the width pass")
    else:
        notes.append("axial: axial_attentions.0 mixes only within a column (attends along H); "
                     ".1 only within a row (attends along W)")
    # Axial: no residual. Zero weights, so each pass outputs exactly its to_out.bias.
    for sum_out in (True, False):
        ref = axial_attention.build(4, 2, None, sum_out)
        with torch.no_grad():
            for name, p in ref.named_parameters():
                p.zero_() if name.endswith("weight") else p.fill_(0.25)
            out = ref(torch.randn(1, 4, 3, 3))
        want = 0.5 if sum_out else 0.25
        if not torch.allclose(out, torch.full_like(out, want)):
            failures.append(f"axial: sum_axial_out={sum_out} output is not bias-only (a residual?)")
    notes.append("axial: no residual (zero weights give 2·bias when summed, bias when sequential)")
    # Retina: x goes through H, not W; the expected and xw outputs differ on non-square cases.
    for case in ("wide", "tall"):
        folder = fixtures / "glimpse" / case
        a, _ = load(folder / "expected.safetensors")
        b, _ = load(folder / "expected_xw.safetensors")
        if torch.equal(a["glimpses"], b["glimpses"]):
            failures.append(f"glimpse/{case}: expected and expected_xw are equal; the case shows nothing")
    notes.append("glimpse: on the non-square cases the reference (x through H) and xw differ")
    # Retina: l = (-1,-1), size g: the patch's top-left is (-g//2, -g//2), i.e. zero padding.
    retina = glimpse.Retina(2, 1, 2)
    img = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    patch = retina.foveate(img, torch.tensor([[-1.0, -1.0]]))[0, 0]
    if not torch.equal(patch, torch.tensor([[0.0, 0.0], [0.0, 1.0]])):
        failures.append(f"glimpse: patch at (-1,-1) is {patch.tolist()}, expected [[0,0],[0,1]]")
    patch = retina.foveate(img, torch.tensor([[0.0, -0.5]]))[0, 0]  # start (x=2, y=1) in padded
    if not torch.equal(patch, torch.tensor([[2.0, 3.0], [6.0, 7.0]])):
        failures.append(f"glimpse: patch at (0,-0.5) is {patch.tolist()}, expected [[2,3],[6,7]]")
    notes.append("glimpse: patch = padded[start : start+size], top-left start - size//2 unpadded")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=REPO / "Tests/AttentionTests/Fixtures")
    args = parser.parse_args()
    torch.set_num_threads(1)
    failures: list[str] = []
    folders = sorted(p.parent for p in args.fixtures.glob("*/*/model.safetensors"))
    if not folders:
        print(f"no fixtures under {args.fixtures}")
        return 1
    for folder in folders:
        print(check_case(folder, failures))
    for note in check_conventions(args.fixtures, failures):
        print(note)
    total = sum(f.stat().st_size for f in args.fixtures.rglob("*.safetensors"))
    print(f"{len(folders)} cases, {total} bytes of safetensors")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
