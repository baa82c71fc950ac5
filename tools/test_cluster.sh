#!/usr/bin/env bash
# The cluster path proven on a real Slurm array (make test-cluster).
#
# Installs Debian's slurm-wlm and munge when missing (as root), starts munged, slurmctld and
# slurmd on 127.0.0.1 with a minimal configuration in a temporary folder, and then:
#   1. renders a folder of test images once on this machine (the reference);
#   2. submits `sbatch --array=1-4` whose tasks run `vis --shard $SLURM_ARRAY_TASK_ID/4
#      --resume` into one output folder, waits for the array, and checks that the union of
#      the outputs equals the reference byte for byte;
#   3. runs the array again into a fresh folder, cancels one task midway (`scancel`) once
#      it has written part of its share, resubmits that task, and checks the result is
#      complete, equal to the reference and free of temporaries.
# Every daemon it started is stopped on exit, whatever happens.
#
# Usage: tools/test_cluster.sh [VIS_BINARY]   (default: builds vis in release)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "test-cluster: $*"; }
fail() { echo "test-cluster: FAILED: $*" >&2; exit 1; }
start_time=$(date +%s)

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  [ "$(id -u)" -eq 0 ] || fail "slurm-wlm and munge are missing; run as root or: sudo apt-get install -y slurm-wlm munge"
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi
[ "$(id -u)" -eq 0 ] || fail "the daemons run as root in this test (SlurmUser=root); run it as root"

if [ $# -ge 1 ]; then
  VIS=$(realpath "$1")
else
  swift build -c release --product vis >/dev/null
  VIS="$(swift build -c release --show-bin-path)/vis"
fi
[ -x "$VIS" ] || fail "no vis binary at $VIS"

work=$(mktemp -d /tmp/vis-cluster.XXXXXX)
pids=()
cleanup() {
  local status=$?
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet --full --signal=KILL --user=root >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  log "daemons stopped; $(( $(date +%s) - start_time )) s in all"
  exit $status
}
trap cleanup EXIT INT TERM

# --- munge: a key of its own and a socket in the work folder -----------------------------
mkdir -p "$work/munge" "$work/spool/ctld" "$work/spool/d" "$work/log"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/log/munged.log" \
  --seed-file="$work/munge/munged.seed" --foreground >"$work/log/munged.stderr" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$work/munge/munge.socket" ] || fail "munged did not start ($(cat "$work/log/munged.log" 2>/dev/null))"

# --- slurm: one node on 127.0.0.1 with this machine's CPUs --------------------------------
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
port=$(( 20000 + RANDOM % 20000 ))
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=vis-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/spool/ctld
SlurmdSpoolDir=$work/spool/d
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=2
MinJobAge=60
NodeName=visnode NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=visnode Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >"$work/log/slurmctld.stderr" 2>&1 &
pids+=($!)
slurmd -D -N visnode -f "$SLURM_CONF" >"$work/log/slurmd.stderr" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  state=$(sinfo -h -n visnode -o %t 2>/dev/null || true)
  [ "$state" = "idle" ] && break
  sleep 0.2
done
[ "$state" = "idle" ] || { tail -20 "$work/log/slurmctld.log" "$work/log/slurmd.log" >&2; fail "node not idle (state '$state')"; }
log "slurmctld and slurmd up on 127.0.0.1:$port ($cpus CPUs)"

# --- the data set: the samples, copied four times into sub-folders (24 images) -----------
images="$work/images"
for dir in a b/c d e; do
  mkdir -p "$images/$dir"
  for f in samples/*.png samples/*.jpg; do cp "$f" "$images/$dir/${dir//\//_}_$(basename "$f")"; done
done
render=(--mode all --max-size 256 --jobs 1 --quiet)

log "reference: one machine"
"$VIS" "$images" "${render[@]}" --out "$work/reference" >/dev/null
reference_count=$(find "$work/reference" -type f | wc -l)
# Each image gives its overlay and the original beside it.
[ "$reference_count" -eq 48 ] || fail "the reference run wrote $reference_count files, expected 48"

cat > "$work/job.sh" <<EOF
#!/usr/bin/env bash
# One task of the array: the K-th of 4 shards, resumable.
exec "$VIS" "$images" ${render[*]} --out "\$1" --shard \$SLURM_ARRAY_TASK_ID/4 --resume
EOF
chmod +x "$work/job.sh"

# Waits until none of the given jobs is pending or running.
wait_for() {
  for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  fail "job $1 did not finish within 120 s"
}
# Fails unless folder $1 holds exactly the reference's files, byte for byte.
same_as_reference() {
  diff -r "$work/reference" "$1" >/dev/null || { diff -rq "$work/reference" "$1" >&2 || true; fail "$2: outputs differ from the one-machine run"; }
  ! find "$1" -name '*.vis-tmp-*' | grep -q . || fail "$2: temporaries left behind"
}

log "array 1-4 into out1"
job=$(sbatch --parsable --array=1-4 -o "$work/log/task-%a.out" "$work/job.sh" "$work/out1")
wait_for "$job"
for k in 1 2 3 4; do
  [ -f "$work/log/task-$k.out" ] || fail "task $k left no output log"
  ! grep -qi "fail" "$work/log/task-$k.out" || fail "task $k reported failures: $(cat "$work/log/task-$k.out")"
done
same_as_reference "$work/out1" "array"
log "array: union of 4 shards == one-machine run ($reference_count files)"

log "array 1-4 into out2, task 2 cancelled midway"
# Which files task 2 writes: its shard rendered alone.
"$VIS" "$images" "${render[@]}" --out "$work/shard2" --shard 2/4 >/dev/null
mapfile -t share < <(cd "$work/shard2" && find . -type f | sort)
[ "${#share[@]}" -ge 2 ] || fail "shard 2 holds ${#share[@]} images; the test needs at least 2 to stop it midway"
written() { local n=0 f; for f in "${share[@]}"; do [ -f "$work/out2/$f" ] && n=$((n + 1)); done; echo $n; }
job=$(sbatch --parsable --array=1-4 -o "$work/log/cut-%a.out" "$work/job.sh" "$work/out2")
# Task 2's vis is run in short slices (SIGCONT, 10 ms, SIGSTOP) until part of its share is
# on disk, then cancelled: a real cut midway, not a race against a fast task.
pid=""
for _ in $(seq 400); do
  pid=$(pgrep -f -- "--out $work/out2 --shard 2/4" | head -1 || true)
  [ -n "$pid" ] && break
  sleep 0.02
done
[ -n "$pid" ] || fail "task 2 never started"
kill -STOP "$pid"
for _ in $(seq 3000); do
  [ "$(written)" -ge 1 ] && break
  kill -CONT "$pid"; sleep 0.01; kill -STOP "$pid" 2>/dev/null || break
done
cut=$(written)
scancel "${job}_2"
kill -CONT "$pid" 2>/dev/null || true
wait_for "$job"
cut_after=$(written)
[ "$cut_after" -lt "${#share[@]}" ] || fail "task 2 finished its share before the cancel took effect ($cut_after of ${#share[@]})"
log "task 2 cancelled with $cut_after of its ${#share[@]} files written"
job=$(sbatch --parsable --array=2 -o "$work/log/resume-%a.out" "$work/job.sh" "$work/out2")
wait_for "$job"
same_as_reference "$work/out2" "cancel and resubmit"
log "cancel and resubmit: complete, equal to the one-machine run, no temporaries"
log "passed"
