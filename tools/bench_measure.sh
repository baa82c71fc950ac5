# Sourced by the end-to-end benchmarks (from the repository root, after `set -euo pipefail`):
# sets VENV (default /work/venv) and FOLDER_COUNT (default 100), makes the temporary DIR
# (deleted at exit) and builds the release vis, VIS (VIS=path/to/other/vis for a baseline).
VENV=${VENV:-/work/venv}
FOLDER_COUNT=${FOLDER_COUNT:-100}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
swift build -c release --product vis >/dev/null
VIS=${VIS:-$(swift build -c release --show-bin-path)/vis}

# `measure LABEL COMMAND...` runs COMMAND under GNU time
# and appends "LABEL wall_clock peak_kb" to "$DIR/results" (its output in "$DIR/LABEL.out");
# a failing command prints its time report and stops the benchmark.
measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" > "$DIR/$label.out" 2> "$DIR/$label.time" || { cat "$DIR/$label.time"; exit 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$DIR/$label.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$DIR/$label.time" | awk '{print $NF}')
  echo "$label $wall $rss" >> "$DIR/results"
}
