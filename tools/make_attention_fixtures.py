#!/usr/bin/env python3
"""Writes the parity fixtures of the Attention tests (Contract 1 and 2).

    /work/venv/bin/python tools/make_attention_fixtures.py [--out Tests/AttentionTests/Fixtures]

For every case: <out>/<module>/<case>/model.safetensors (reference state_dict names,
metadata "module" + hyperparameters as strings), input.safetensors (`input`, plus
`locations` for glimpse) and expected.safetensors (the Contract-2 outputs); glimpse cases
also get expected_xw.safetensors (x mapped through W instead of H). Weights are random with
fixed seeds; F16 cases store F16 weights and their expected outputs are computed in float32
from the F16-rounded weights. Every case is checked before it is written: the maps come from
a forward pass whose output equals the reference module's own output to 1e-6.
Re-check the written files with tools/check_attention_fixtures.py.
"""
from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import axial_attention, coordinate_attention, glimpse, patch_embed, self_attention  # noqa: E402
from safetensors_files import round_through, save_model, save_tensors  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-6


def max_violation(got: torch.Tensor, ref: torch.Tensor, tol: float = TOLERANCE) -> float:
    """Largest |got - ref| - tol·(1 + |ref|); <= 0 means within tolerance."""
    if got.shape != ref.shape:
        return math.inf
    return float(((got - ref).abs() - tol * (1 + ref.abs())).max())


def randomise_linear_like(ref: torch.nn.Module, gain: float) -> None:
    """Gaussian weights with std gain/sqrt(fan_in) and small Gaussian biases."""
    with torch.no_grad():
        for name, p in ref.named_parameters():
            if name.endswith("weight"):
                fan_in = p[0].numel()
                p.copy_(torch.randn_like(p) * gain / math.sqrt(fan_in))
            else:
                p.copy_(torch.randn_like(p) * 0.1)


# ---- cases -----------------------------------------------------------------------------
# Each maker returns (reference, hyper, inputs); the driver rounds weights for F16 cases.

def patch_embed_case(b, c, h, w, p, d):
    def make():
        ref = patch_embed.build(c, d, p)
        randomise_linear_like(ref, 1.0)
        return ref, patch_embed.hyper(ref), {"input": torch.rand(b, c, h, w)}
    return make


def self_attention_case(b, n, c, heads, qkv_bias):
    def make():
        ref = self_attention.build(c, heads, qkv_bias)
        randomise_linear_like(ref, 1.0)
        return ref, self_attention.hyper(ref), {"input": torch.randn(b, n, c)}
    return make


def axial_case(b, c, h, w, heads, dim_heads, sum_axial_out):
    def make():
        ref = axial_attention.build(c, heads, dim_heads, sum_axial_out)
        randomise_linear_like(ref, 1.0)
        hyper = axial_attention.hyper(ref, dim_heads_given=dim_heads is not None)
        return ref, hyper, {"input": torch.randn(b, c, h, w)}
    return make


def coordinate_case(b, c, h, w, reduction):
    def make():
        ref = coordinate_attention.build(c, c, reduction)
        randomise_linear_like(ref, 1.5)
        with torch.no_grad():
            bn = ref.bn1
            bn.weight.copy_(torch.rand_like(bn.weight) + 0.5)
            bn.bias.copy_(torch.randn_like(bn.bias) * 0.2)
            bn.running_mean.copy_(torch.randn_like(bn.running_mean) * 0.3)
            bn.running_var.copy_(torch.rand_like(bn.running_var) * 1.5 + 0.5)
            bn.num_batches_tracked.fill_(1000)
        return ref, coordinate_attention.hyper(ref), {"input": torch.randn(b, c, h, w)}
    return make


def glimpse_case(b, c, h, w, g, k, s, fixed_locations=None):
    def make():
        ref = glimpse.Retina(g, k, s)
        x = torch.rand(b, c, h, w)
        if fixed_locations is not None:
            loc = torch.tensor(fixed_locations, dtype=torch.float32)
        else:
            # redraw until every patch is full-size for both the reference and the xw variant
            while True:
                loc = torch.rand(b, 2) * 1.8 - 0.9
                if glimpse.patches_in_bounds(ref, x.shape, loc) and \
                        glimpse.patches_in_bounds(ref, x.shape, loc, use_width_for_x=True):
                    break
        assert glimpse.patches_in_bounds(ref, x.shape, loc), "fixed locations leave the padded image"
        return ref, glimpse.hyper(ref), {"input": x, "locations": loc}
    return make


# (module, case, seed, F16 weights?, maker)
CASES = [
    (patch_embed, "basic", 101, False, patch_embed_case(1, 3, 8, 8, 4, 16)),
    (patch_embed, "batch2_nonsquare", 102, False, patch_embed_case(2, 3, 8, 12, 4, 8)),
    (patch_embed, "odd_sizes", 103, False, patch_embed_case(1, 2, 9, 6, 3, 5)),
    (patch_embed, "f16_weights", 104, True, patch_embed_case(2, 3, 8, 8, 2, 12)),
    (patch_embed, "remainder_dropped", 105, False, patch_embed_case(1, 3, 10, 11, 4, 6)),

    (self_attention, "qkv_bias", 201, False, self_attention_case(1, 9, 16, 2, True)),
    (self_attention, "no_qkv_bias_batch2", 202, False, self_attention_case(2, 7, 12, 3, False)),
    (self_attention, "single_head", 203, False, self_attention_case(1, 5, 8, 1, True)),
    (self_attention, "f16_weights", 204, True, self_attention_case(2, 10, 24, 4, True)),

    (axial_attention, "sum_true", 301, False, axial_case(1, 16, 6, 6, 2, None, True)),
    (axial_attention, "sum_false_batch2_nonsquare", 302, False, axial_case(2, 16, 5, 7, 4, None, False)),
    (axial_attention, "dim_heads_sum_true", 303, False, axial_case(1, 12, 7, 4, 3, 8, True)),
    (axial_attention, "dim_heads_sum_false", 304, False, axial_case(2, 8, 3, 9, 2, 6, False)),
    (axial_attention, "f16_weights", 305, True, axial_case(1, 16, 6, 5, 4, None, True)),

    (coordinate_attention, "basic", 401, False, coordinate_case(1, 16, 8, 8, 32)),
    (coordinate_attention, "batch2_nonsquare", 402, False, coordinate_case(2, 32, 5, 11, 2)),
    (coordinate_attention, "odd_sizes", 403, False, coordinate_case(1, 24, 7, 3, 4)),
    (coordinate_attention, "f16_weights", 404, True, coordinate_case(2, 16, 6, 9, 1)),

    (glimpse, "basic", 501, False, glimpse_case(2, 3, 16, 16, 4, 3, 2)),
    (glimpse, "corners", 502, False, glimpse_case(
        4, 2, 8, 8, 2, 3, 2, [[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [0.0, 0.0]])),
    (glimpse, "wide", 503, False, glimpse_case(3, 1, 12, 20, 2, 2, 2)),
    (glimpse, "tall", 504, False, glimpse_case(2, 3, 20, 12, 4, 2, 2)),
    (glimpse, "odd_patch", 505, False, glimpse_case(2, 3, 11, 11, 3, 2, 2)),
    (glimpse, "scale3_batch1", 506, False, glimpse_case(1, 3, 10, 10, 2, 3, 3)),
]


def write_case(out: Path, module, case: str, seed: int, f16: bool, make) -> int:
    torch.manual_seed(seed)
    ref, hyper, inputs = make()
    if isinstance(ref, torch.nn.Module):
        state = ref.state_dict()
        if f16:
            ref.load_state_dict(round_through(state, torch.float16))
            state = ref.state_dict()
        stored_dtype = torch.float16 if f16 else torch.float32
    else:
        state, stored_dtype = {}, torch.float32
    expected = module.forward_with_maps(ref, inputs)
    first = next(iter(expected.values()))
    reference = module.reference_forward(ref, inputs)
    violation = max_violation(first.reshape(reference.shape), reference)
    if violation > 0:
        raise SystemExit(f"{module.MODULE}/{case}: captured output differs from the reference "
                         f"module's output (excess {violation:g})")
    for label, got, want, tol in getattr(module, "extra_checks", lambda *_: [])(ref, inputs, expected):
        excess = max_violation(got, want, tol)
        if excess > 0:
            raise SystemExit(f"{module.MODULE}/{case}: {label} differs (excess {excess:g} over {tol:g})")
    folder = out / module.MODULE / case
    save_model(folder / "model.safetensors", module.MODULE, hyper, state, stored_dtype)
    save_tensors(folder / "input.safetensors", inputs)
    save_tensors(folder / "expected.safetensors", expected)
    if module is glimpse:
        save_tensors(folder / "expected_xw.safetensors", glimpse.foveate_xw(ref, inputs))
    size = sum(f.stat().st_size for f in folder.iterdir())
    shapes = ", ".join(f"{n} {tuple(t.shape)}" for n, t in {**inputs, **expected}.items())
    print(f"{module.MODULE}/{case}: {shapes}  [{size} bytes]")
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "Tests/AttentionTests/Fixtures")
    args = parser.parse_args()
    torch.set_num_threads(1)  # deterministic reductions
    for module in {m for m, *_ in CASES}:
        shutil.rmtree(args.out / module.MODULE, ignore_errors=True)
    total = sum(write_case(args.out, *case) for case in CASES)
    print(f"{len(CASES)} cases, {total} bytes")


if __name__ == "__main__":
    main()
