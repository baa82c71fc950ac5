#!/usr/bin/env bash
# A folder of photographs through a trained ViT-S/16: `vis FOLDER --mode cls --model M` against
# tools/bench_dino_loop.py (timm doing what DINO's visualize_attention.py does, in a loop);
# wall time and peak RSS from /usr/bin/time -v; then vis's peak memory with ViT-B/16.
#   tools/bench_vit_folder.sh          (VENV=/work/venv: torch, timm, matplotlib, pillow, safetensors)
# The models are random-initialised timm models saved as timm's hub files are (config.json +
# model.safetensors, by tools/bench_vit.py make-models; speed does not depend on the values),
# the photographs are made from
# samples/ by tools/make_bench_inputs.py, all in a temporary folder deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench_measure.sh   # VENV, FOLDER_COUNT, DIR, VIS and measure()
"$VENV/bin/python" tools/make_bench_inputs.py "$DIR" "$FOLDER_COUNT"
"$VENV/bin/python" tools/bench_vit.py make-models "$DIR"
load_start=$(cut -d' ' -f1 /proc/loadavg)
measure vis_folder "$VIS" "$DIR/folder" --mode cls --model "$DIR/vit_s16" --out "$DIR/visN" --quiet
measure python_folder "$VENV/bin/python" tools/bench_dino_loop.py "$DIR/vit_s16" "$DIR/folder" --out "$DIR/pyN" --threads 2
measure vis_folder_b "$VIS" "$DIR/folder" --mode cls --model "$DIR/vit_b16" --out "$DIR/visB" --quiet
load_end=$(cut -d' ' -f1 /proc/loadavg)
"$VENV/bin/python" - "$DIR/results" "$DIR/python_folder.out" "$load_start" "$load_end" "$FOLDER_COUNT" <<'PY'
import json, sys
def seconds(text):
    return sum(float(p) * 60 ** i for i, p in enumerate(reversed(text.split(":"))))
rows = {label: (seconds(wall), int(rss) / 1024) for label, wall, rss in (l.split() for l in open(sys.argv[1]))}
inside = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["seconds"]
count = int(sys.argv[5])
print(f"load average (1 min): {sys.argv[3]} at start, {sys.argv[4]} at end; torch 2 threads")
names = {"vis_folder": f"vis --mode cls, ViT-S/16, {count} JPEGs", "python_folder": "DINO-style timm loop, same",
         "vis_folder_b": "vis --mode cls, ViT-B/16, same"}
print(f"{'run':40} {'wall s':>8} {'images/s':>9} {'peak RSS MiB':>13}")
for label, (wall, rss) in rows.items():
    print(f"{names[label]:40} {wall:8.2f} {count / wall:9.1f} {rss:13.1f}")
print(f"ViT-S/16 folder: vis {rows['python_folder'][0] / rows['vis_folder'][0]:.1f}x the throughput "
      f"(Python {inside:.2f} s inside its loop, the rest start-up and model load); target >= 5x")
print(f"ViT-B/16 peak RSS: {rows['vis_folder_b'][1]:.0f} MiB (target < 600)")
PY
