#!/usr/bin/env python3
"""Whole vision transformers: `vis forward` against timm eager in the same run (issue 12,
"Speed and memory"). Called by tools/bench_vit.sh, which builds vis and measures the SGEMM
rate and the peak memory.

    /work/venv/bin/python tools/bench_vit.py make-models DIR
    /work/venv/bin/python tools/bench_vit.py time DIR --vis PATH --sgemm-vis PATH [--rounds 5] [--repeats 10] [--threads 1 2]

`make-models` writes DIR/<name>/model.safetensors and config.json as timm saves a checkpoint
(`state_dict()` under its own names; `architecture`, `num_classes`, `pretrained_cfg`) for
`vit_small_patch16_224` and `vit_base_patch16_224`, randomly initialised (no hub here), and
DIR/input.safetensors with `input` (1,3,224,224).

`time` runs, per round and per (model, threads, maps), timm in this process and then `vis
forward MODEL INPUT --warmup 3 --repeat R --json` (with `OPENBLAS_NUM_THREADS` = threads, which
is how vis picks its threads), so that whatever load the machine has hits both sides; each
side gives the median of its R passes, the table the median over rounds. timm runs
`torch.set_num_threads(threads)`, `torch.no_grad()`, 3 warm-up passes, `forward_features` then
`forward_head` (what vis computes: tokens and logits). Right before and after each vis run
`vis bench-sgemm` times OpenBLAS 1024^3 and its hand-off probe (how much longer data written on
one CPU takes to be read on the other than on the same CPU): the VM has slow spells in which
that ratio goes from about 2 to 6-9 and every two-thread pass, timm's and vis's, slows by a
quarter; the last table keeps the rounds outside them.
- without maps: timm as it ships (`fused_attn`: `F.scaled_dot_product_attention`), vis
  `--skip-maps`;
- with maps: every block's attention (1,heads,197,197) kept until the pass ends. timm: the
  unfused path (`attn.fused_attn = False`: `q @ k.T`, softmax, `attn_drop`, `@ v`) with a
  forward hook on each block's `attn_drop` (identity in eval) that keeps a reference to its
  input, the softmax weights (no copy); vis: every `attention.<i>` computed and written.

FLOPs (2 per multiply-add, batch 1, T = 197 tokens, N = 196 patches, D width, 4D MLP,
K = 1000 classes): patch embedding 2·N·D·3·16², per block qkv 2·T·D·3D, scores q·kᵀ 2·T·T·D
and weights·v 2·T·T·D (all heads), proj 2·T·D·D, MLP 2·T·D·4D·2; head 2·D·K. LayerNorm,
GELU, softmax and residuals are not counted.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import timm
import torch
from safetensors.torch import load_file, save_file

MODELS = {"vit_s16": "vit_small_patch16_224", "vit_b16": "vit_base_patch16_224"}
TOKENS, PATCHES, PATCH_INPUTS, CLASSES = 197, 196, 3 * 16 * 16, 1000


def make_models(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    for name, architecture in MODELS.items():
        model = timm.create_model(architecture, pretrained=False).eval()
        folder = out / name
        folder.mkdir(exist_ok=True)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(folder / "model.safetensors"))
        cfg = {"input_size": [3, 224, 224], "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
               "crop_pct": 0.9, "num_classes": model.num_classes}
        config = {"architecture": architecture, "num_classes": model.num_classes,
                  "num_features": model.num_features, "global_pool": model.global_pool, "pretrained_cfg": cfg}
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    save_file({"input": torch.randn(1, 3, 224, 224)}, str(out / "input.safetensors"))


def flops(dimension: int, depth: int) -> int:
    d, t = dimension, TOKENS
    block = 2 * t * d * 3 * d + 4 * t * t * d + 2 * t * d * d + 2 * t * d * 4 * d * 2
    return 2 * PATCHES * d * PATCH_INPUTS + depth * block + 2 * d * CLASSES


def gemm_shapes(dimension: int, depth: int, heads: int) -> list[tuple[int, int, int, int, bool]]:
    """(m, n, k, calls, per head) of every product of one pass, as vis runs them (per head for
    the scores and the weighted sums)."""
    d, t, e = dimension, TOKENS, dimension // heads
    return [(PATCHES, d, PATCH_INPUTS, 1, False), (t, 3 * d, d, depth, False), (t, t, e, depth * heads, True),
            (t, e, t, depth * heads, True), (t, d, d, depth, False), (t, 4 * d, d, depth, False),
            (t, d, 4 * d, depth, False), (1, CLASSES, d, 1, False)]


class Timm:
    """One model in both timm configurations, maps kept by hooks when asked."""

    def __init__(self, folder: Path, architecture: str):
        self.model = timm.create_model(architecture, pretrained=False).eval()
        self.model.load_state_dict(load_file(str(folder / "model.safetensors")))
        self.maps: list[torch.Tensor] = []
        self.keep = False
        for block in self.model.blocks:
            block.attn.attn_drop.register_forward_hook(self._hook)

    def _hook(self, _module, inputs, _output):
        if self.keep:
            self.maps.append(inputs[0])

    def median_ms(self, x: torch.Tensor, maps: bool, repeats: int, warmup: int = 3) -> float:
        for block in self.model.blocks:
            block.attn.fused_attn = not maps
        self.keep = maps
        times = []
        with torch.no_grad():
            for i in range(warmup + repeats):
                self.maps = []
                start = time.perf_counter()
                features = self.model.forward_features(x)
                self.model.forward_head(features)
                elapsed = (time.perf_counter() - start) * 1e3
                if maps:
                    assert len(self.maps) == len(self.model.blocks)
                if i >= warmup:
                    times.append(elapsed)
        self.maps = []
        return statistics.median(times)


def run_vis(vis: str, folder: Path, inputs: Path, output: Path, threads: int, maps: bool, repeats: int) -> dict:
    command = [vis, "forward", str(folder), str(inputs), "-o", str(output), "--overwrite",
               "--warmup", "3", "--repeat", str(repeats), "--json"] + ([] if maps else ["--skip-maps"])
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def largest_difference(vis_output: Path, model: Timm, x: torch.Tensor) -> float:
    """Largest |vis − timm| / (1e-4 + 1e-4·|timm|) over the output tokens, the logits and the
    attention maps vis wrote (below 1: within the parity tolerance of the tests)."""
    got = load_file(str(vis_output))
    for block in model.model.blocks:
        block.attn.fused_attn = False
    model.keep, model.maps = True, []
    with torch.no_grad():
        features = model.model.forward_features(x)
        expected = {"output": features, "logits": model.model.forward_head(features)}
    expected.update({f"attention.{i}": a for i, a in enumerate(model.maps) if f"attention.{i}" in got})
    model.keep, model.maps = False, []
    return max(((got[name] - value).abs() / (1e-4 + 1e-4 * value.abs())).max().item()
               for name, value in expected.items())


def time_all(args) -> None:
    out = Path(args.dir)
    inputs = out / "input.safetensors"
    x = load_file(str(inputs))["input"]
    sgemm_before = {t: bench_sgemm(args.sgemm_vis, t) for t in args.threads}
    models = {name: Timm(out / name, architecture) for name, architecture in MODELS.items()}
    configs = [(name, threads, maps) for name in MODELS for threads in args.threads for maps in (False, True)]
    samples = {c: {"timm": [], "vis": [], "foreign": [], "sgemm": [], "handoff": []} for c in configs}
    loads = []
    for round_index in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for config in configs:
            name, threads, maps = config
            torch.set_num_threads(threads)
            before = cpu_snapshot()
            samples[config]["timm"].append(models[name].median_ms(x, maps, args.repeats))
            time.sleep(0.3)  # torch's OpenMP workers stop spinning before vis starts
            handoff_before = handoff_ratio(bench_sgemm(args.sgemm_vis, threads, vit=False, repeat=10))
            result = run_vis(args.vis, out / name, inputs, out / f"{name}.out.safetensors", threads, maps, args.repeats)
            assert result["blas_threads"] == threads, result
            samples[config]["vis"].append(result["median_ms"])
            samples[config]["foreign"].append(foreign_cores(before, cpu_snapshot()))
            # The ceiling right beside this pass: the VM's speed drifts by up to a quarter
            # between minutes, which the rates before and after the rounds do not see.
            beside = bench_sgemm(args.sgemm_vis, threads, vit=False, repeat=10)
            samples[config]["sgemm"].append(beside["gflops"])
            # How much longer what one CPU wrote takes to be read on the other than on itself
            # (`vis bench-sgemm`'s hand-off probe), before and after the vis run: the larger.
            samples[config]["handoff"].append(max(handoff_before, handoff_ratio(beside)))
        print(f"round {round_index + 1}/{args.rounds} done, load {os.getloadavg()[0]:.2f}, other processes' CPUs "
              + " ".join(f"{samples[c]['foreign'][-1]:.2f}" for c in configs), file=sys.stderr)
    loads.append(os.getloadavg()[0])
    # The ceilings before and after the rounds; each rate keeps the better of the two, the one
    # less disturbed by other processes.
    sgemm = {t: best_of(sgemm_before[t], bench_sgemm(args.sgemm_vis, t)) for t in args.threads}

    torch.set_num_threads(max(args.threads))
    check = {name: largest_difference(out / f"{name}.out.safetensors", models[name], x) for name in MODELS}
    print(f"load average (1 min) over the rounds {min(loads):.2f}-{max(loads):.2f}; {args.rounds} rounds, "
          f"{args.repeats} timed passes per side per round (3 warm-ups); torch {torch.__version__}, timm {timm.__version__}")
    print(f"vis check (each model's last vis run): largest |vis - timm| / (1e-4 + 1e-4|timm|) over output, logits, maps: "
          + ", ".join(f"{n} {v:.3f}" for n, v in check.items()) + " (pass: < 1)")
    rates = {t: {(s["m"], s["n"], s["k"]): s["openblas_gflops"] for s in j["shapes"]} for t, j in sgemm.items()}
    for t, j in sorted(sgemm.items()):
        print(f"same-run OpenBLAS sgemm (best of before and after the rounds), {t} thread(s), kernel {j['kernel']}: "
              f"1024^3 {j['gflops']:.1f} GFLOP/s; "
              f"FMA peak (AVX-512 loop) {j['peak_avx512']:.1f} GFLOP/s, AVX2 {j['peak_avx2']:.1f}")
    foreign = [f for c in configs for f in samples[c]["foreign"]]
    print(f"other processes' CPU use during a (timm, vis) pair, in CPUs: median {statistics.median(foreign):.2f},"
          f" range {min(foreign):.2f}-{max(foreign):.2f}; 'quiet' pairs: below {QUIET_CPUS}")
    print("ms = median over rounds of each side's median; ratio = timm ms / vis ms; r/round = median of the rounds' own"
          " ratios (timm and vis run back to back, so a busy spell hits both); GFLOP/s = the pass's FLOPs / vis ms;"
          " %1024 = of OpenBLAS 1024^3; %model = of OpenBLAS on this model's own products (their FLOP-weighted rate,"
          " measured at the bench's thread count, see below); %round = median over rounds of the pass's GFLOP/s in"
          " that round against OpenBLAS 1024^3 timed right after it (the same minute of the VM); hand-off = median over"
          " rounds of the hand-off probe's cross-CPU / same-CPU time, the larger of its runs right before and right after the vis"
          " pass")
    # (title, the rounds kept, the smallest thread count shown)
    sections = (("all rounds", lambda s, i: True, 1),
                (f"quiet pairs only (other processes below {QUIET_CPUS} CPUs)",
                 lambda s, i: s["foreign"][i] < QUIET_CPUS, 1),
                (f"quiet pairs in rounds with a normal hand-off (below {SLOW_HANDOFF}x; two threads only)",
                 lambda s, i: s["foreign"][i] < QUIET_CPUS and 0 < s["handoff"][i] < SLOW_HANDOFF, 2))
    for title, keep, fewest_threads in sections:
        print(f"{title}:")
        print(f"{'model':8} {'thr':>3} {'maps':>5} {'GFLOP':>6} {'n':>2} {'timm ms':>8} {'vis ms':>8} {'ratio':>6}"
              f" {'r/round':>7} {'vis GF/s':>8} {'%1024':>6} {'%model':>6} {'%round':>6} {'hand-off':>8}")
        for config in configs:
            if config[1] < fewest_threads:
                continue
            picked = [i for i in range(len(samples[config]["vis"])) if keep(samples[config], i)]
            if picked:
                print_row(config, picked, samples[config], models[config[0]].model, sgemm, rates)
    for name in MODELS:
        model = models[name].model
        depth, d, heads = len(model.blocks), model.num_features, model.blocks[0].attn.num_heads
        shapes = gemm_shapes(d, depth, heads)
        for t, r in sorted(rates.items()):
            print(f"{name}, {t} thread(s), products m×n×k: OpenBLAS GFLOP/s: "
                  + ", ".join(f"{m}×{n}×{k}: {r[(m, n, k)]:.0f}" for m, n, k, _, _ in shapes)
                  + f"; FLOP-weighted (heads × {t}) {model_sgemm_rate(shapes, r, t):.1f}")
    raw = {f"{n}/{t}/{'maps' if m else 'nomaps'}": {k: v[k] for k in ("timm", "vis", "handoff")}
           for (n, t, m), v in samples.items()}
    print("per-round medians (timm and vis ms, hand-off ratio): " + json.dumps(raw))


QUIET_CPUS = 0.25
# A round whose hand-off probe took this many times longer across CPUs than on one ran in one
# of the VM's slow spells (normal 1.7-2.7, slow spells 6-9: BENCHMARKS.md).
SLOW_HANDOFF = 3.0


def bench_sgemm(vis: str, threads: int, vit: bool = True, repeat: int = 20) -> dict:
    """`vis bench-sgemm [--vit]` on `threads` threads: FMA peak, OpenBLAS 1024^3 and (with
    `vit`) the ViT products (its JSON line)."""
    result = subprocess.run([vis, "bench-sgemm", "--repeat", str(repeat)] + (["--vit"] if vit else []), check=True,
                            capture_output=True, text=True, env=dict(os.environ, OPENBLAS_NUM_THREADS=str(threads)))
    return json.loads(result.stdout.strip().splitlines()[-1])


def handoff_ratio(result: dict) -> float:
    """The hand-off probe of a `bench-sgemm` result: cross-CPU time over same-CPU time (about
    2 normally, 6-9 in the VM's slow spells; 0 when the probe did not run)."""
    return result.get("handoff_cross_us", 0) / result.get("handoff_same_us", 1)


def best_of(first: dict, second: dict) -> dict:
    """Each rate of two `bench-sgemm` results at its better value."""
    kept = dict(first, shapes=[dict(shape) for shape in first["shapes"]])
    for key in ("gflops", "peak_avx512", "peak_avx2"):
        kept[key] = max(first[key], second[key])
    for shape, other in zip(kept["shapes"], second["shapes"]):
        shape["openblas_gflops"] = max(shape["openblas_gflops"], other["openblas_gflops"])
    return kept


def print_row(config, picked, sample, model, sgemm, rates) -> None:
    """One table row from the rounds `picked` of `sample` (timm ms, vis ms per round)."""
    name, threads, maps = config
    depth, d, heads = len(model.blocks), model.num_features, model.blocks[0].attn.num_heads
    total = flops(d, depth)
    timm_times = [sample["timm"][i] for i in picked]
    vis_times = [sample["vis"][i] for i in picked]
    timm_ms, vis_ms = statistics.median(timm_times), statistics.median(vis_times)
    gflops = total / (vis_ms * 1e6)
    own = model_sgemm_rate(gemm_shapes(d, depth, heads), rates[threads], threads) if threads in rates else None
    own_text = f"{100 * gflops / own:5.0f}%" if own else f"{'-':>6}"
    one = sgemm[threads]["gflops"] if threads in sgemm else None
    one_text = f"{100 * gflops / one:5.0f}%" if one else f"{'-':>6}"
    per_round = statistics.median(t / v for t, v in zip(timm_times, vis_times))
    beside = statistics.median(total / (sample["vis"][i] * 1e6) / sample["sgemm"][i] for i in picked)
    handoff = statistics.median(sample["handoff"][i] for i in picked)
    print(f"{name:8} {threads:3d} {'yes' if maps else 'no':>5} {total / 1e9:6.2f} {len(picked):2d} {timm_ms:8.2f}"
          f" {vis_ms:8.2f} {timm_ms / vis_ms:6.2f} {per_round:7.2f} {gflops:8.1f} {one_text} {own_text}"
          f" {100 * beside:5.0f}% {handoff:7.1f}x")


def cpu_snapshot() -> tuple[float, float, float]:
    """(wall seconds, busy seconds of the whole machine from /proc/stat, CPU seconds of this
    process and its waited-for children)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    ticks = os.sysconf("SC_CLK_TCK")
    own = os.times()
    return (time.monotonic(), (user + nice + system + irq + softirq + steal) / ticks,
            own.user + own.system + own.children_user + own.children_system)


def foreign_cores(before, after) -> float:
    """CPUs that other processes (another build, another benchmark) kept busy on average
    between two snapshots: machine busy time minus ours, over the wall time."""
    wall = after[0] - before[0]
    return max(0.0, ((after[1] - before[1]) - (after[2] - before[2])) / wall)


def model_sgemm_rate(shapes, rates, threads: int) -> float:
    """GFLOP/s that OpenBLAS alone would reach on all of the pass's products: their FLOPs over
    the time each takes at its measured rate. A head's products are too small to split over
    threads (`vis bench-sgemm` times them on one), but the heads are independent: they count
    at `threads` times that rate."""
    total = seconds = 0.0
    for m, n, k, calls, per_head in shapes:
        work = 2.0 * m * n * k * calls
        total += work
        seconds += work / (rates[(m, n, k)] * (threads if per_head else 1) * 1e9)
    return total / seconds / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-models")
    make.add_argument("dir")
    timing = sub.add_parser("time")
    timing.add_argument("dir")
    timing.add_argument("--vis", required=True)
    timing.add_argument("--sgemm-vis", required=True, help="a vis with `bench-sgemm --vit` (the ceilings)")
    timing.add_argument("--rounds", type=int, default=5)
    timing.add_argument("--repeats", type=int, default=10)
    timing.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if args.command == "make-models":
        make_models(Path(args.dir))
    else:
        time_all(args)


if __name__ == "__main__":
    main()
