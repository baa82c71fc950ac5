#!/usr/bin/env bash
# Peak memory per mode: `vis photo24.jpg --mode M` for every mode, at the default render size
# and at full size (--max-size 0), on one 24-megapixel JPEG (6000x4000, made offline from
# samples/ by tools/make_bench_inputs.py in a temporary folder, deleted afterwards). Prints,
# per run, the peak RSS from GNU time (`/usr/bin/time -f %M`, KiB), the size in pixels and
# bytes of the overlay written and of the preview.
#   tools/bench_memory.sh                      (VENV=/work/venv: Pillow)
#   VIS=path/to/old/vis SIZES=full tools/bench_memory.sh   (a baseline without --max-size 0:
#                                              SIZES=full runs it with no size option)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/work/venv}
MODES=${MODES:-axial self coord glimpse patch all}
SIZES=${SIZES:-default 0}   # "default": no option; a number N: --max-size N; "full": no option, labelled full
[ -x /usr/bin/time ] || { echo "bench_memory: needs GNU time at /usr/bin/time (Debian package 'time')" >&2; exit 1; }
if [ -z "${VIS:-}" ]; then
  swift build -c release --product vis >/dev/null
  VIS=$(swift build -c release --show-bin-path)/vis
fi
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$VENV/bin/python" tools/make_bench_inputs.py "$DIR" 0 --24mp >/dev/null
rm -f "$DIR/photo12.jpg"

# Width x height of an output (Pillow reads the header only).
dimensions() {
  "$VENV/bin/python" -c 'import sys; from PIL import Image; Image.MAX_IMAGE_PIXELS = None; w, h = Image.open(sys.argv[1]).size; print(f"{w}x{h}")' "$1"
}

export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
printf '%-8s %-8s %10s %12s %12s %12s %10s\n' mode size peak_MB output_px output_bytes preview_px preview_B
for size in $SIZES; do
  for mode in $MODES; do
    out="$DIR/out-$mode-$size"
    case $size in
      default|full) option=() ;;
      *) option=(--max-size "$size") ;;
    esac
    /usr/bin/time -f %M -o "$DIR/peak" "$VIS" "$DIR/photo24.jpg" --mode "$mode" --out "$out" --jobs 1 --quiet \
      "${option[@]}" || { echo "bench_memory: vis failed for --mode $mode ($size)" >&2; exit 1; }
    peak_mb=$(( $(tail -1 "$DIR/peak") / 1024 ))
    overlay="$out/photo24_$mode.png"
    preview="$out/photo24_preview.jpg"
    [ -f "$preview" ] || preview="$out/photo24_original.png"   # what vis wrote before the preview
    printf '%-8s %-8s %10s %12s %12s %12s %10s\n' "$mode" "$size" "$peak_mb" "$(dimensions "$overlay")" \
      "$(stat -c %s "$overlay")" "$(dimensions "$preview")" "$(stat -c %s "$preview")"
    rm -rf "$out"
  done
done
