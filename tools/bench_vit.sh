#!/usr/bin/env bash
# Whole vision transformers (issue 12, "Speed and memory"): `vis forward` on ViT-S/16 and
# ViT-B/16, batch 1, 224×224, against timm eager in the same run, on 1 and 2 threads, with
# and without every attention map; then the peak memory of `vis forward` on ViT-B/16.
#   tools/bench_vit.sh [ROUNDS] [REPEATS]   (VENV=/work/venv; VIS=path/to/other/vis times another build;
#   THREADS="2" for the two-thread rows alone)
# The models are random-initialised timm models saved as timm saves them (tools/bench_vit.py),
# in a temporary folder deleted at exit. The SGEMM rate and FMA peak come from `vis bench-sgemm
# --vit` on each thread count, before and after the rounds (the better of the two); the 1024³
# rate is also timed right after every vis run (column %round).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
REPEATS=${2:-10}
VENV=${VENV:-/work/venv}
THREADS=${THREADS:-1 2}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
swift build -c release --product vis >/dev/null
SGEMM_VIS=$(swift build -c release --show-bin-path)/vis
VIS=${VIS:-$SGEMM_VIS}
TIME=/usr/bin/time  # GNU time (Debian `time`) for the peak RSS
[ -x "$TIME" ] || { echo "bench_vit.sh: GNU time missing: apt-get install -y time" >&2; exit 1; }

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), family $(lscpu | sed -n 's/^CPU family: *//p')" \
  "model $(lscpu | sed -n 's/^Model: *//p'), $(nproc) CPUs; OpenBLAS $(pkg-config --modversion openblas 2>/dev/null || echo '?')"
"$VENV/bin/python" tools/bench_vit.py make-models "$DIR"
# The SGEMM rates and FMA peak: `vis bench-sgemm --vit`, run by bench_vit.py before and after the rounds.
"$VENV/bin/python" tools/bench_vit.py time "$DIR" --vis "$VIS" --sgemm-vis "$SGEMM_VIS" --rounds "$ROUNDS" \
  --repeats "$REPEATS" --threads $THREADS

# Peak resident memory (GNU time %M, KiB) of whole `vis forward` processes on ViT-B/16:
# one pass, and the timed run above (3 warm-ups + REPEATS), with and without the maps.
echo "peak RSS of vis forward, ViT-B/16 (model file $(($(stat -c %s "$DIR/vit_b16/model.safetensors") / 1000000)) MB), 2 threads; load $(cut -d' ' -f1-3 /proc/loadavg):"
for run in "1 0" "$REPEATS 3"; do
  set -- $run
  for maps in "" "--skip-maps"; do
    kib=$(OPENBLAS_NUM_THREADS=2 "$TIME" -f %M "$VIS" forward "$DIR/vit_b16" "$DIR/input.safetensors" \
      -o "$DIR/memory.safetensors" --overwrite --warmup "$2" --repeat "$1" $maps 2>&1 >/dev/null | tail -1)
    echo "  --repeat $1 --warmup $2 ${maps:-(with maps)}: $((kib / 1024)) MiB ($((kib * 1024 / 1000000)) MB)"
  done
done
