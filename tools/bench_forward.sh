#!/usr/bin/env bash
# Times `vis forward` against PyTorch eager on the issue's bench shapes, in the same run.
#   tools/bench_forward.sh [REPEATS]   (needs a venv with torch/timm/axial-attention: VENV=/work/venv)
# PyTorch writes each bench's model and input (tools/bench_torch.py --write-models), then vis
# runs the same module on the same input with --repeat N --json. Prints one table.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-20}
VENV=${VENV:-/work/venv}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
swift build -c release --product vis >/dev/null
VIS=$(swift build -c release --show-bin-path)/vis
"$VENV/bin/python" tools/bench_torch.py --repeats "$REPEATS" --threads 2 --write-models "$DIR/models" > "$DIR/torch.jsonl"
export OPENBLAS_NUM_THREADS=2
for bench in "$DIR"/models/*/; do
  name=$(basename "$bench")
  "$VIS" forward "$bench/model.safetensors" "$bench/input.safetensors" -o "$DIR/$name.out.safetensors" \
    --repeat "$REPEATS" --json | sed "s/^{/{\"name\": \"$name\", /" >> "$DIR/vis.jsonl"
  "$VIS" forward "$bench/model.safetensors" "$bench/input.safetensors" -o "$DIR/$name.nomaps.safetensors" \
    --repeat "$REPEATS" --json --skip-maps | sed "s/^{/{\"name\": \"$name\", /" >> "$DIR/vis-nomaps.jsonl"
done
"$VENV/bin/python" - "$DIR/torch.jsonl" "$DIR/vis.jsonl" "$DIR/vis-nomaps.jsonl" <<'PY'
import json, sys
torch = [json.loads(l) for l in open(sys.argv[1])]
vis = {j["name"]: j for j in map(json.loads, open(sys.argv[2]))}
bare = {j["name"]: j for j in map(json.loads, open(sys.argv[3]))}
base = torch[0]
print(f"sgemm 1024^3 (torch, 2 threads): {base['gflops']} GFLOP/s")
print("vis ms = vis forward with every attention map (Contract 2); no maps = --skip-maps")
print(f"{'bench':26} {'torch ms':>10} {'vis ms':>10} {'torch/vis':>10} {'no maps ms':>11} {'torch/nomaps':>13} {'GFLOP/s':>9}")
for t in torch[1:]:
    v = vis.get(t["name"])
    if v is None:
        continue
    b = bare[t["name"]]
    ratio = t["median_ms"] / v["median_ms"]
    gflops = t["flops"] / (b["median_ms"] * 1e6)
    print(f"{t['name']:26} {t['median_ms']:10.3f} {v['median_ms']:10.3f} {ratio:10.2f} {b['median_ms']:11.3f} "
          f"{t['median_ms'] / b['median_ms']:13.2f} {gflops:9.2f}")
PY
