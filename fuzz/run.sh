#!/usr/bin/env bash
# Runs one libFuzzer harness for SECONDS seconds, seeded from the test fixtures.
#
# Usage: fuzz/run.sh NAME SECONDS [extra libFuzzer flags]
#   NAME: png | jpeg | exif | safetensors | gallerypath   (build first with fuzz/build.sh NAME)
# The growing corpus lives in fuzz/.corpus/NAME (not committed); crashers are written to
# fuzz/.artifacts/NAME/; each one found is fixed and copied into the regression folder
# (Tests/ImageCodecsTests/Fixtures/fuzz/NAME, Tests/TensorCoreTests/Fixtures/fuzz/safetensors),
# which the tests replay and which seeds later runs.
# The last line of fuzz/.logs/NAME.log gives the executions reached.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:?usage: fuzz/run.sh NAME SECONDS}"
seconds="${2:?usage: fuzz/run.sh NAME SECONDS}"
shift 2
binary="$root/fuzz/.build/$name"
[ -x "$binary" ] || { echo "fuzz/run.sh: $binary missing; run fuzz/build.sh $name" >&2; exit 2; }
corpus="$root/fuzz/.corpus/$name"
artifacts="$root/fuzz/.artifacts/$name"
mkdir -p "$corpus" "$artifacts" "$root/fuzz/.logs"
fixtures="$root/Tests/ImageCodecsTests/Fixtures"
case "$name" in
    safetensors) regressions="$root/Tests/TensorCoreTests/Fixtures/fuzz/$name" ;;
    *) regressions="$root/Tests/ImageCodecsTests/Fixtures/fuzz/$name" ;;
esac

seed() { # copies seeds once; the jpeg harness reads an options byte before the file
    [ -n "$(ls -A "$corpus")" ] && return
    case "$name" in
        png) cp "$fixtures"/pngsuite/*.png "$fixtures"/crashers/*.png "$corpus"/ ;;
        jpeg) for f in "$fixtures"/jpeg/*.jpg; do
                  for s in 0 3 6; do { printf "\\$(printf %o $s)"; cat "$f"; } > "$corpus/$s-$(basename "$f")"; done
              done ;;
        exif) cp "$fixtures"/jpeg/exif-orientation-*.jpg "$corpus"/
              for f in "$fixtures"/jpeg/exif-orientation-*.jpg; do head -c 4096 "$f" > "$corpus/head-$(basename "$f")"; done ;;
        safetensors) find "$root/Tests" -name '*.safetensors' -size -64k -exec cp {} "$corpus"/ \; ;;
        gallerypath) i=0
              for t in / /a_axial.png /sub/ /sub/b_all.png /leak.png /out/secret.txt /../etc/passwd \
                       /%2e%2e/%2e%2e/etc/passwd /sub/..%2f..%2fetc /%61_axial.png //etc/passwd /sub/%2E; do
                  printf '%s' "$t" > "$corpus/seed-$i"; i=$((i + 1))
              done ;;
    esac
}
seed
dirs=("$corpus")
dict=()
[ -f "$root/fuzz/$name.dict" ] && dict=(-dict="$root/fuzz/$name.dict")
[ -d "$regressions" ] && dirs+=("$regressions")
# A single allocation above 128 MB is a finding (the image harnesses cap pixels at 4 M, i.e.
# 32 MB of samples); ASan's quarantine is kept small so the RSS limit measures the target.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"
exec nice -n 19 "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=128 -timeout=20 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$@" "${dirs[@]}" \
    2>&1 | tee "$root/fuzz/.logs/$name.log" | grep -E 'pulse|DONE|NEW_FUNC|ERROR|SUMMARY|stat::|==[0-9]+==' || true
