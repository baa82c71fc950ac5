// A small pool of helper threads for fork-join loops (see README.md and the header).
//
// Helpers are started once (CVectorKernels_parallelPrepare, or the first job) and never exit.
// A new helper sleeps until its first job, so that the wake-up, not its creation on the
// caller's CPU, decides where it runs. After a job each helper spins for up to
// SPIN_NANOSECONDS of its own CPU time waiting for the next one, then sleeps on a condition
// variable: the back-to-back GEMMs and kernels of one forward pass find it awake (a wake-up
// costs a noticeable part of a small product), a spinning helper that landed on its caller's
// CPU stays runnable so the scheduler moves it to an idle one, and an idle process stops
// spinning after SPIN_NANOSECONDS. The spin length is measured in BENCHMARKS.md ("What each
// change bought"). One caller owns the pool at a time; a nested or concurrent call runs on its
// own thread.
#include "CVectorKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

enum { MAX_HELPERS = 63, SPIN_NANOSECONDS = 2000000 };

typedef struct {
    CVectorKernels_Task task;
    void *context;
    ptrdiff_t count;
    atomic_ptrdiff_t next;      // next index to claim
    atomic_ptrdiff_t finished;  // indices done
    atomic_ptrdiff_t seats;     // helpers that may still join
} Job;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static atomic_int pool_started;          // helpers created (written under pool_lock)
static atomic_ulong pool_generation;     // bumped once per job
static _Atomic(Job *) pool_job;          // the job helpers join, NULL between jobs
static atomic_int pool_busy;             // 1 while a caller owns the pool
static atomic_int pool_active;           // helpers between reading pool_job and leaving it
static atomic_int pool_sleepers;         // helpers waiting on pool_wake

/// CPU time this thread has run: a helper's spin budget counts only time it actually spun.
/// (Counted in wall time, a helper sharing a CPU with its caller would use its budget up
/// waiting for that CPU, sleep, and be woken onto it again, never running beside the caller.)
static long long spun_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void drain(Job *job) {
    for (;;) {
        ptrdiff_t index = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
        if (index >= job->count) return;
        job->task(job->context, index);
        atomic_fetch_add_explicit(&job->finished, 1, memory_order_release);
    }
}

static void *helper_main(void *unused) {
    (void)unused;
    unsigned long seen = atomic_load(&pool_generation);
    for (int started = 1;; started = 0) {
        // Spin for a while, then sleep until the generation moves on. A new helper sleeps
        // at once: its first wake-up lets the scheduler place it on an idle CPU.
        long long deadline = started ? 0 : spun_nanoseconds() + SPIN_NANOSECONDS;
        for (unsigned spins = 1; atomic_load(&pool_generation) == seen; spins++) {
            CVectorKernels_spinPause();
            if (started || ((spins & 255) == 0 && spun_nanoseconds() > deadline)) {
                pthread_mutex_lock(&pool_lock);
                atomic_fetch_add(&pool_sleepers, 1);
                while (atomic_load(&pool_generation) == seen) pthread_cond_wait(&pool_wake, &pool_lock);
                atomic_fetch_sub(&pool_sleepers, 1);
                pthread_mutex_unlock(&pool_lock);
                break;
            }
        }
        seen = atomic_load(&pool_generation);
        // Announce before reading the job: the caller waits for pool_active == 0 after it
        // cleared pool_job, so a job seen here outlives this helper's use of it.
        atomic_fetch_add(&pool_active, 1);
        Job *job = atomic_load(&pool_job);
        if (job && atomic_fetch_sub(&job->seats, 1) > 0) drain(job);
        atomic_fetch_sub(&pool_active, 1);
    }
    return NULL;
}

/// Starts helpers until `wanted` exist (or MAX_HELPERS); returns how many exist.
static int ensure_helpers(int wanted) {
    if (wanted > MAX_HELPERS) wanted = MAX_HELPERS;
    if (atomic_load(&pool_started) >= wanted) return atomic_load(&pool_started);
    pthread_mutex_lock(&pool_lock);
    while (pool_started < wanted) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attributes, 1 << 20);
        int failed = pthread_create(&thread, &attributes, helper_main, NULL);
        pthread_attr_destroy(&attributes);
        if (failed) break;
        atomic_fetch_add(&pool_started, 1);
    }
    int started = atomic_load(&pool_started);
    pthread_mutex_unlock(&pool_lock);
    return started;
}

void CVectorKernels_parallelPrepare(ptrdiff_t workers) {
    if (workers > 1) ensure_helpers((int)(workers - 1));
}

void CVectorKernels_parallelFor(ptrdiff_t count, ptrdiff_t workers, CVectorKernels_Task task, void *context) {
    if (count <= 0) return;
    int expected = 0;
    if (workers <= 1 || count == 1 || !atomic_compare_exchange_strong(&pool_busy, &expected, 1)) {
        for (ptrdiff_t index = 0; index < count; index++) task(context, index);
        return;
    }
    ptrdiff_t helpers = (workers < count ? workers : count) - 1;
    int started = ensure_helpers((int)helpers);
    if (started < helpers) helpers = started;
    Job job = { .task = task, .context = context, .count = count };
    atomic_init(&job.next, 0);
    atomic_init(&job.finished, 0);
    atomic_init(&job.seats, helpers);
    atomic_store(&pool_job, &job);
    atomic_fetch_add(&pool_generation, 1);
    if (atomic_load(&pool_sleepers) > 0) {
        pthread_mutex_lock(&pool_lock);
        pthread_cond_broadcast(&pool_wake);
        pthread_mutex_unlock(&pool_lock);
    }
    drain(&job);
    // Wait for indices still running on helpers (bounded by one index's run time).
    for (unsigned spins = 1; atomic_load_explicit(&job.finished, memory_order_acquire) < count; spins++) {
        if (spins < 20000) CVectorKernels_spinPause(); else sched_yield();
    }
    atomic_store(&pool_job, NULL);
    for (unsigned spins = 1; atomic_load(&pool_active) > 0; spins++) {
        if (spins < 20000) CVectorKernels_spinPause(); else sched_yield();
    }
    atomic_store(&pool_busy, 0);
}
