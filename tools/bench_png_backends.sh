#!/usr/bin/env bash
# PNG deflate backends end to end (needs libdeflate-dev, which the package itself does not): `vis IMAGE --mode axial` on the 12-MP JPEG and on the folder
# of 100 JPEGs that tools/bench_end_to_end.sh makes (same recipe), once per backend per round,
# backends interleaved (A B C ... A B C ...), ROUNDS rounds; medians of wall time, and the
# output bytes. The backend is chosen by VIS_PNG_DEFLATE (read once by vis_png_fast.c):
# "own" (vis's coder), "zlib:L[:rle]" (pigz's way: parts as raw deflate ending in
# Z_SYNC_FLUSH, the last with Z_FINISH, Adler-32s combined), "libdeflate:L" (one
# libdeflate_deflate_compress over all filtered rows, one part). Round 1 also checks that
# every backend's PNGs decode (Pillow) to the same pixels as the own coder's.
#   tools/bench_png_backends.sh [ROUNDS] [BACKEND...]   (VENV=/work/venv with Pillow)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/work/venv}
ROUNDS=${1:-5}; shift || true
BACKENDS=${*:-own zlib:1:rle libdeflate:1 libdeflate:4 libdeflate:6}
DIR=${OUT:-}  # OUT=folder keeps the inputs, outputs and raw results there
if [ -z "$DIR" ]; then DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT; fi
mkdir -p "$DIR"
# A bench-only build (its own build folder) with the library coders compiled in.
BUILD=(swift build -c release --product vis --build-path .build-pngbench -Xcc -DVIS_PNG_BENCH_CODERS -Xlinker -ldeflate)
if [ -z "${VIS:-}" ]; then  # VIS=path/to/a/bench/build skips the build
  "${BUILD[@]}" >/dev/null
  VIS=$("${BUILD[@]}" --show-bin-path)/vis
fi
[ -d "$DIR/folder" ] || "$VENV/bin/python" tools/make_bench_inputs.py "$DIR" 100
export OPENBLAS_NUM_THREADS=2
: > "$DIR/results"
for round in $(seq "$ROUNDS"); do
  for backend in $BACKENDS; do
    for input in photo12.jpg folder; do
      out="$DIR/out-${backend//:/_}-$input"
      rm -rf "$out"
      load=$(cut -d' ' -f1 /proc/loadavg)
      start=$(date +%s%N)
      VIS_PNG_DEFLATE=$backend "$VIS" "$DIR/$input" --mode axial --out "$out" --quiet
      end=$(date +%s%N)
      bytes=$(find "$out" -name '*.png' -printf '%s\n' | awk '{s += $1} END {print s}')
      echo "$round $backend $input $(( (end - start) / 1000 )) $bytes $load" >> "$DIR/results"
    done
  done
  if [ "$round" = 1 ]; then  # lossless: every backend's PNGs give the own coder's pixels
    "$VENV/bin/python" - "$DIR" $BACKENDS <<'PY'
import sys
from pathlib import Path
from PIL import Image
root, backends = Path(sys.argv[1]), sys.argv[2:]
for input in ("photo12.jpg", "folder"):
    base = root / f"out-{backends[0].replace(':', '_')}-{input}"
    files = sorted(p.relative_to(base) for p in base.rglob("*.png"))
    for backend in backends[1:]:
        other = root / f"out-{backend.replace(':', '_')}-{input}"
        for f in files:
            a, b = Image.open(base / f), Image.open(other / f)
            assert a.size == b.size and a.tobytes() == b.tobytes(), f"{backend}: {f} differs"
    print(f"pixels identical across backends: {input} ({len(files)} PNGs)", file=sys.stderr)
PY
  fi
done
python3 - "$DIR/results" <<'PY'
import collections, statistics, sys
times = collections.defaultdict(list); size = {}; loads = []; order = []
for line in open(sys.argv[1]):
    r, backend, input, us, bytes, load = line.split()
    times[(backend, input)].append(int(us) / 1e6); size[(backend, input)] = int(bytes); loads.append(float(load))
    if backend not in order: order.append(backend)
print(f"rounds {len(times[(order[0], 'folder')])}; load (1 min) before the runs {min(loads):.2f}-{max(loads):.2f}")
print(f"{'backend':16} {'12 MP s':>8} {'MB':>7} {'folder s':>9} {'MB':>7}   own speed-up (12 MP, folder)")
base = order[0]
for b in order:
    one, many = statistics.median(times[(b, "photo12.jpg")]), statistics.median(times[(b, "folder")])
    print(f"{b:16} {one:8.3f} {size[(b, 'photo12.jpg')]/1e6:7.2f} {many:9.3f} {size[(b, 'folder')]/1e6:7.2f}"
          f"   {one / statistics.median(times[(base, 'photo12.jpg')]):5.2f}x {many / statistics.median(times[(base, 'folder')]):5.2f}x")
PY
