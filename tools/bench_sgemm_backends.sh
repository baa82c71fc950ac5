#!/usr/bin/env bash
# SGEMM backends on every GEMM shape vis runs (tools/sgemm_backends/bench.c), 1 and 2 threads:
# the package's former AVX-512 kernel (plain, and with B pre-packed as its layers did), OpenBLAS
# with OPENBLAS_CORETYPE (as set, else Haswell, the setting BENCHMARKS.md's machine notes
# describe), OpenBLAS with that variable unset for its processes only, and BLIS (Debian
# libblis-dev). Each (backend, threads) is its own process; ROUNDS rounds run them interleaved
# (A B C D A B C D ...), plus OpenBLAS single-threaded inside the package's pool workers
# ("openblas-pool", how TensorCore.BLAS runs it since) and the table gives the median GFLOP/s over rounds, with the FMA peak
# measured in the same processes. Needs libopenblas-dev and libblis-dev; not part of `make bench`.
#   tools/bench_sgemm_backends.sh [ROUNDS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
REPEATS=${2:-20}
DIR=${OUT:-$(mktemp -d)}
mkdir -p "$DIR"
# The variable the machine notes set (BENCHMARKS.md); the "openblas" column runs without it.
CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
CC=${CC:-clang}  # as SwiftPM builds the package's C (clang -O2)
SRC=tools/sgemm_backends/bench.c
# The package's AVX-512 kernel was deleted after this comparison (issue 15); it is built from
# the last commit that had it (KERNEL_COMMIT), with the fork-join pool of that commit.
KERNEL_COMMIT=${KERNEL_COMMIT:-dce3eb56b78acc5e88c2c68b54bca010897fd9b1}
mkdir -p "$DIR/kernel/include"
for file in sgemm_avx512.c pool.c include/CVectorKernels.h; do
  git show "$KERNEL_COMMIT:Sources/CVectorKernels/$file" > "$DIR/kernel/$file"
done
KERNELS="$DIR/kernel/sgemm_avx512.c $DIR/kernel/pool.c"
INC="-I$DIR/kernel/include"
$CC -O2 -DBACKEND_OWN $INC $SRC $KERNELS -o "$DIR/bench-own" -lpthread -lm
$CC -O2 -DBACKEND_OPENBLAS $INC $(pkg-config --cflags openblas) $SRC $KERNELS -o "$DIR/bench-openblas" \
  $(pkg-config --libs openblas) -lpthread -lm
BLIS_INC=/usr/include/$(gcc -print-multiarch)/blis-openmp
# blis.h includes <omp.h> (Debian's build is OpenMP) but declares nothing from it that the
# bench uses; clang has no omp.h of its own, so an empty one stands in.
mkdir -p "$DIR/omp" && : > "$DIR/omp/omp.h"
$CC -O2 -DBACKEND_BLIS $INC -I"$BLIS_INC" -I"$DIR/omp" $SRC $KERNELS -o "$DIR/bench-blis" -lblis -lpthread -lm
: > "$DIR/results"
for round in $(seq "$ROUNDS"); do
  for threads in 1 2; do
    echo "# round $round threads $threads load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$DIR/results"
    OPENBLAS_NUM_THREADS=$threads "$DIR/bench-own" "$threads" "$REPEATS" >> "$DIR/results"
    OPENBLAS_CORETYPE=${CORETYPE} OPENBLAS_NUM_THREADS=$threads "$DIR/bench-openblas" "$threads" "$REPEATS" >> "$DIR/results"
    env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=$threads "$DIR/bench-openblas" "$threads" "$REPEATS" >> "$DIR/results"
    # As the package runs it: OpenBLAS single-threaded in each of the package's pool workers.
    env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 "$DIR/bench-openblas" "$threads" "$REPEATS" pool >> "$DIR/results"
    BLIS_NUM_THREADS=$threads "$DIR/bench-blis" "$threads" "$REPEATS" >> "$DIR/results"
  done
done
python3 - "$DIR/results" <<'PY'
import statistics, sys, collections
rates = collections.defaultdict(list); peaks = collections.defaultdict(list); kernels = {}; loads = []; cpu = "?"
order = []
for line in open(sys.argv[1]):
    f = line.split()
    if line.startswith("# round"):
        loads.append(float(f[6])); continue
    if line.startswith("# backend"):
        kernels[f[2]] = f[6]; cpu = line.split('"')[1]; peaks[int(f[4])].append(float(line.split("peak_avx512 ")[1].split()[0]))
        continue
    backend, threads, label, m, n, k, g = f
    key = (label, f"{m}x{n}x{k}")
    if key not in order: order.append(key)
    rates[(backend, int(threads), label)].append(float(g))
backends = [b for b in ("own", "openblas-coretype", "openblas", "openblas-pool", "blis") if b in kernels]
kernels["own-packed"] = "CVectorKernels_sgemmPacked"
backends.insert(1, "own-packed")
print(f"CPU {cpu}; load (1 min) over the rounds {min(loads):.2f}-{max(loads):.2f}; rounds {len(loads)//2}")
print("kernels: " + ", ".join(f"{b}={kernels[b]}" for b in backends))
for t in (1, 2):
    peak = statistics.median(peaks[t])
    print(f"\n{t} thread(s): AVX-512 FMA peak {peak:.0f} GFLOP/s (median over processes); GFLOP/s medians over rounds (% of peak)")
    print(f"{'shape':16} {'m x n x k':16} " + " ".join(f"{b:>18}" for b in backends) + "   own/best-lib (own: the better of own, own-packed)")
    for label, size in order:
        med = {b: statistics.median(rates[(b, t, label)]) if rates[(b, t, label)] else float("nan") for b in backends}
        best = max(v for b, v in med.items() if not b.startswith("own"))
        own = max(v for b, v in med.items() if b.startswith("own") and v == v)
        print(f"{label:16} {size:16} " + " ".join(f"{med[b]:8.1f} ({100*med[b]/peak:3.0f}%)     " for b in backends)
              + f"   {own/best:5.2f}")
PY
echo "raw results: $DIR/results"
