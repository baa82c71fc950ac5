#!/usr/bin/env bash
# End-to-end: `vis IMAGE --mode axial` against tools/bench_python_pipeline.py (Pillow + torch
# doing the same work), on one 12-megapixel JPEG and on a folder of 100 JPEGs, plus vis alone
# on a 24-megapixel JPEG; wall time and peak RSS from /usr/bin/time -v.
#   tools/bench_end_to_end.sh          (VENV=/work/venv: torch, axial-attention, matplotlib, pillow)
# The inputs are made offline from samples/ by tools/make_bench_inputs.py (Pillow: bicubic
# upscales, flips) in a temporary folder, and deleted afterwards: nothing is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench_measure.sh   # VENV, FOLDER_COUNT, DIR, VIS and measure()
# Full size, as the Python pipeline renders (FULL= for a baseline from before --max-size 0).
FULL=${FULL---max-size 0}
"$VENV/bin/python" tools/make_bench_inputs.py "$DIR" "$FOLDER_COUNT" --24mp
export OPENBLAS_NUM_THREADS=2
load_start=$(cut -d' ' -f1 /proc/loadavg)
measure vis_one "$VIS" "$DIR/photo12.jpg" --mode axial --out "$DIR/vis1" --quiet $FULL
measure python_one "$VENV/bin/python" tools/bench_python_pipeline.py "$DIR/photo12.jpg" --out "$DIR/py1" --threads 2
measure vis_folder "$VIS" "$DIR/folder" --mode axial --out "$DIR/visN" --quiet $FULL
measure python_folder "$VENV/bin/python" tools/bench_python_pipeline.py "$DIR/folder" --out "$DIR/pyN" --threads 2
measure vis_24mp "$VIS" "$DIR/photo24.jpg" --mode axial --out "$DIR/vis24" --quiet $FULL
load_end=$(cut -d' ' -f1 /proc/loadavg)
"$VENV/bin/python" - "$DIR/results" "$DIR/python_one.out" "$DIR/python_folder.out" "$load_start" "$load_end" "$FOLDER_COUNT" <<'PY'
import json, sys
def seconds(text):
    parts = [float(p) for p in text.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.split()
    rows[label] = (seconds(wall), int(rss) / 1024)
inside_one = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["seconds"]
inside_folder = json.loads(open(sys.argv[3]).read().strip().splitlines()[-1])["seconds"]
count = int(sys.argv[6])
print(f"load average (1 min): {sys.argv[4]} at start, {sys.argv[5]} at end; OPENBLAS_NUM_THREADS=2, torch 2 threads")
print(f"{'run':40} {'wall s':>8} {'peak RSS MiB':>13}")
names = {"vis_one": "vis, one 12-MP JPEG (4000x3000)", "python_one": "Python pipeline, same image",
         "vis_folder": f"vis, folder of {count} JPEGs (~0.8 MP)", "python_folder": "Python pipeline, same folder",
         "vis_24mp": "vis, one 24-MP JPEG (6000x4000)"}
for label, (wall, rss) in rows.items():
    print(f"{names[label]:40} {wall:8.2f} {rss:13.1f}")
one = rows["python_one"][0] / rows["vis_one"][0]
folder = rows["python_folder"][0] / rows["vis_folder"][0]
print(f"one image: vis {one:.1f}x faster (Python {inside_one:.2f} s of it inside the loop, the rest is start-up)")
print(f"folder: vis {folder:.1f}x the throughput ({count / rows['vis_folder'][0]:.1f} vs "
      f"{count / rows['python_folder'][0]:.1f} images/s; Python {inside_folder:.2f} s inside the loop)")
print(f"24 MP peak RSS: {rows['vis_24mp'][1]:.0f} MiB (target < 1024)")
PY
