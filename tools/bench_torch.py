#!/usr/bin/env python3
"""PyTorch timings of the five mechanisms on the benchmark shapes, as JSON lines.

    /work/venv/bin/python tools/bench_torch.py --repeats 20 --threads 2 [--write-models DIR]

First line: the `sgemm` baseline (1024³ float32 matmul, GFLOP/s). Then one line per bench:
{"name", "shape", "median_ms", "flops", "gflops", "vs_sgemm"} where `flops` is an estimate of
the multiply-adds ×2 of the pass (see each bench), `vs_sgemm` = gflops / sgemm gflops from
the same run (the first line also gives the 1-minute load average: the machine's two
cores may be shared, and a busy machine slows every line). Each pass runs under torch.no_grad() after 3 warm-up passes; median over
--repeats.

With --write-models DIR, each bench also writes DIR/<name>/model.safetensors and
DIR/<name>/input.safetensors (Contract 1 and 2) so `vis forward --repeat N` can run the same
module on the same input.

Glimpse: ONE call on a batch of 8 (the same 512×512 image repeated, 8 different locations),
as Contract 2's input is (B,C,H,W) with locations (B,2).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import axial_attention, coordinate_attention, glimpse, patch_embed, self_attention  # noqa: E402
from safetensors_files import save_model, save_tensors  # noqa: E402


def median_ms(fn, repeats: int, warmup: int = 3) -> float:
    with torch.no_grad():
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def axial_flops(b, c, h, w, heads, dim_heads):
    hidden = heads * dim_heads
    n = b * h * w
    projections = 2 * n * c * hidden * 3 + 2 * n * hidden * c  # to_q, to_kv, to_out
    height = 4 * n * h * hidden  # q·kᵀ and attn·v, sequences of length H
    width = 4 * n * w * hidden
    return 2 * projections + height + width


def benches(seed: int = 0):
    """(name, module name, reference or None, hyper, inputs, callable, flops)."""
    torch.manual_seed(seed)
    out = []

    for sum_out, name in ((True, "axial_sum"), (False, "axial_sequential")):
        b, c, h, w, heads = 1, 64, 64, 64, 8
        ref = axial_attention.build(c, heads, None, sum_out)
        x = torch.randn(b, c, h, w)
        out.append((name, axial_attention.MODULE, ref, axial_attention.hyper(ref, False), {"input": x},
                    lambda ref=ref, x=x: ref(x), axial_flops(b, c, h, w, heads, c // heads)))

    b, c, h, w, r = 1, 64, 56, 56, 32
    ref = coordinate_attention.build(c, c, r)
    with torch.no_grad():
        ref.bn1.running_mean.normal_(0, 0.3)
        ref.bn1.running_var.uniform_(0.5, 2.0)
    x = torch.randn(b, c, h, w)
    mip = max(8, c // r)
    flops = 2 * b * c * h * w + 2 * b * (h + w) * c * mip * 2 + 2 * b * c * h * w
    out.append(("coordinate", coordinate_attention.MODULE, ref, coordinate_attention.hyper(ref), {"input": x},
                lambda ref=ref, x=x: ref(x), flops))

    b, n, c, heads = 1, 1024, 192, 3
    ref = self_attention.build(c, heads, True)
    x = torch.randn(b, n, c)
    flops = 2 * b * n * c * 3 * c + 4 * b * n * n * c + 2 * b * n * c * c
    out.append(("self_attention_fused", self_attention.MODULE, ref, self_attention.hyper(ref), {"input": x},
                lambda ref=ref, x=x: self_attention._run(ref, x, fused=True), flops))
    out.append(("self_attention_explicit", self_attention.MODULE, ref, self_attention.hyper(ref), {"input": x},
                lambda ref=ref, x=x: self_attention._run(ref, x, fused=False), flops))

    b, c, h, w, p, d = 1, 3, 224, 224, 16, 384
    ref = patch_embed.build(c, d, p)
    x = torch.rand(b, c, h, w)
    flops = 2 * b * (h // p) * (w // p) * d * c * p * p
    out.append(("patch_embed", patch_embed.MODULE, ref, patch_embed.hyper(ref), {"input": x},
                lambda ref=ref, x=x: ref(x), flops))

    b, c, h, w, g, k, s = 8, 3, 512, 512, 32, 3, 2
    retina = glimpse.Retina(g, k, s)
    x = torch.rand(1, c, h, w).expand(b, c, h, w).contiguous()
    locations = torch.rand(b, 2) * 1.6 - 0.8
    sizes = [g * s ** i for i in range(k)]
    flops = b * c * sum(size * size for size in sizes[1:])  # the average pooling adds
    out.append(("glimpse", glimpse.MODULE, retina, glimpse.hyper(retina), {"input": x, "locations": locations},
                lambda r=retina, x=x, l=locations: r.foveate(x, l), flops))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--write-models", type=Path, default=None, metavar="DIR")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    n = 1024
    a, b = torch.randn(n, n), torch.randn(n, n)
    ms = median_ms(lambda: torch.mm(a, b), args.repeats)
    sgemm_gflops = 2 * n ** 3 / (ms * 1e6)
    print(json.dumps({"name": "sgemm", "shape": [n, n, n], "median_ms": round(ms, 4), "flops": 2 * n ** 3,
                      "gflops": round(sgemm_gflops, 2), "vs_sgemm": 1.0,
                      "threads": args.threads, "torch": torch.__version__,
                      "loadavg_1min": round(os.getloadavg()[0], 2)}), flush=True)

    for name, module, ref, hyper, inputs, fn, flops in benches():
        if args.write_models is not None:
            folder = args.write_models / name
            state = ref.state_dict() if isinstance(ref, torch.nn.Module) else {}
            save_model(folder / "model.safetensors", module, hyper, state)
            save_tensors(folder / "input.safetensors", inputs)
        ms = median_ms(fn, args.repeats)
        gflops = flops / (ms * 1e6)
        print(json.dumps({"name": name, "shape": {k: list(v.shape) for k, v in inputs.items()},
                          "median_ms": round(ms, 4), "flops": flops, "gflops": round(gflops, 2),
                          "vs_sgemm": round(gflops / sgemm_gflops, 4)}), flush=True)


if __name__ == "__main__":
    main()
