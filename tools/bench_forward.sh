#!/usr/bin/env bash
# Times `vis forward` against PyTorch eager on the issue's bench shapes, in the same run.
#   tools/bench_forward.sh [REPEATS]   (THREADS=2 by default; needs a venv with torch/timm/axial-attention: VENV=/work/venv)
# PyTorch writes each bench's model and input (tools/bench_torch.py --write-models), then vis
# runs the same module on the same input with --repeat N --json. Prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-20}
VENV=${VENV:-/work/venv}
THREADS=${THREADS:-2}  # torch.set_num_threads and OPENBLAS_NUM_THREADS
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
swift build -c release --product vis >/dev/null
SGEMM_VIS=$(swift build -c release --show-bin-path)/vis
VIS=${VIS:-$SGEMM_VIS}  # VIS=path/to/other/vis times another build (e.g. a baseline) against the same torch run
"$VENV/bin/python" tools/bench_torch.py --repeats "$REPEATS" --threads "$THREADS" --write-models "$DIR/models" > "$DIR/torch.jsonl"
export OPENBLAS_NUM_THREADS=$THREADS
# This machine's ceilings, measured from Swift through the same BLAS wrapper: cblas_sgemm
# (OpenBLAS) and the FMA peak (its table goes to stderr).
"$SGEMM_VIS" bench-sgemm --size 1024 --repeat "$REPEATS" > "$DIR/sgemm.json"
# 3 untimed passes first, as bench_torch.py does (an older vis without --warmup gets none).
WARMUP=$("$VIS" forward --help 2>&1 | grep -q -- --warmup && echo "--warmup 3" || true)
for bench in "$DIR"/models/*/; do
  name=$(basename "$bench")
  "$VIS" forward "$bench/model.safetensors" "$bench/input.safetensors" -o "$DIR/$name.out.safetensors" \
    $WARMUP --repeat "$REPEATS" --json | sed "s/^{/{\"name\": \"$name\", /" >> "$DIR/vis.jsonl"
  "$VIS" forward "$bench/model.safetensors" "$bench/input.safetensors" -o "$DIR/$name.nomaps.safetensors" \
    $WARMUP --repeat "$REPEATS" --json --skip-maps | sed "s/^{/{\"name\": \"$name\", /" >> "$DIR/vis-nomaps.jsonl"
done
"$VENV/bin/python" - "$DIR/torch.jsonl" "$DIR/vis.jsonl" "$DIR/vis-nomaps.jsonl" "$DIR/sgemm.json" <<'PY'
import json, os, sys
torch = [json.loads(l) for l in open(sys.argv[1])]
vis = {j["name"]: j for j in map(json.loads, open(sys.argv[2]))}
bare = {j["name"]: j for j in map(json.loads, open(sys.argv[3]))}
sgemm = json.load(open(sys.argv[4]))
base = torch[0]
print(f"load average (1 min) at start {base['loadavg_1min']}, at end {os.getloadavg()[0]:.2f}; torch {base['torch']}, "
      f"{base['threads']} threads; OpenBLAS kernel {sgemm['kernel']}, {sgemm['blas_threads']} threads")
peak = sgemm.get("peak_avx512", 0.0)
print(f"sgemm 1024^3: torch {base['gflops']:.1f} GFLOP/s, vis (cblas_sgemm) {sgemm['gflops']:.1f} GFLOP/s; "
      f"AVX-512 FMA peak {peak:.1f} GFLOP/s ({sgemm['blas_threads']} threads)")
print("vis ms = vis forward with every attention map (Contract 2); no maps = --skip-maps; "
      "ratio = torch ms / vis ms; GFLOP/s from the same flop count, % of that side's sgemm "
      "(vis: cblas_sgemm), %peak = % of the AVX-512 FMA peak")
print(f"{'bench':24} {'torch ms':>9} {'vis ms':>8} {'ratio':>6} {'nomaps ms':>9} {'ratio':>6}"
      f" {'torch GF/s':>10} {'%sgemm':>6} {'vis GF/s':>8} {'%sgemm':>6} {'%peak':>6}")
for t in torch[1:]:
    v = vis.get(t["name"])
    if v is None:
        continue
    b = bare[t["name"]]
    fastest = min(v["median_ms"], b["median_ms"])
    vis_gflops = t["flops"] / (fastest * 1e6)
    print(f"{t['name']:24} {t['median_ms']:9.3f} {v['median_ms']:8.3f} {t['median_ms'] / v['median_ms']:6.2f}"
          f" {b['median_ms']:9.3f} {t['median_ms'] / b['median_ms']:6.2f}"
          f" {t['gflops']:10.1f} {100 * t['gflops'] / base['gflops']:5.0f}% {vis_gflops:8.1f}"
          f" {100 * vis_gflops / sgemm['gflops']:5.0f}%"
          f" {100 * vis_gflops / max(peak, 1e-9):5.0f}%")
PY
