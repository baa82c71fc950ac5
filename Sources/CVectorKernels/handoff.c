// How fast data written on one CPU is read on another (see the header): the cost that a
// product split over two workers pays whenever the next step reads what the other worker
// wrote. On a VM it depends on where the host places the two virtual CPUs, and changes while
// the VM runs; the benchmarks print it beside their two-thread figures (BENCHMARKS.md).
#define _GNU_SOURCE
#include "CVectorKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    uint64_t *halves[2];   // each thread writes its own half
    size_t words;          // per half
    int rounds;
    int cross;             // read the other thread's half (1) or one's own (0)
    atomic_int arrived;    // barrier count, increasing
    uint64_t sink[2];      // what the reads fold to, so that they are not optimised away
    double *times;         // per round, measured by thread 0
} Exchange;

static volatile uint64_t exchange_sink;

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void wait_for(Exchange *e, int count) {
    atomic_fetch_add_explicit(&e->arrived, 1, memory_order_acq_rel);
    while (atomic_load_explicit(&e->arrived, memory_order_acquire) < count) CVectorKernels_spinPause();
}

// One thread's rounds: write its half, meet, read a half, meet.
static void run_rounds(Exchange *e, int self) {
    uint64_t *own = e->halves[self], *other = e->halves[e->cross ? 1 - self : self];
    uint64_t sink = 0;
    for (int r = 0; r < e->rounds; r++) {
        double start = seconds_now();
        for (size_t i = 0; i < e->words; i++) own[i] = (uint64_t)r + i;
        wait_for(e, 4 * r + 2);
        uint64_t a = 0, b = 0, c = 0, d = 0;
        for (size_t i = 0; i + 4 <= e->words; i += 4) { a ^= other[i]; b ^= other[i + 1]; c ^= other[i + 2]; d ^= other[i + 3]; }
        sink ^= a ^ b ^ c ^ d;
        wait_for(e, 4 * r + 4);
        if (self == 0) e->times[r] = seconds_now() - start;
    }
    e->sink[self] = sink;
}

static void *partner_main(void *argument) {
    run_rounds(argument, 1);
    return NULL;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// Median seconds per round of one exchange run on the two CPU sets; -1 if a thread fails.
static double exchange_run(Exchange *e, cpu_set_t *partner_cpu) {
    atomic_store(&e->arrived, 0);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setaffinity_np(&attributes, sizeof *partner_cpu, partner_cpu);
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, partner_main, e);
    pthread_attr_destroy(&attributes);
    if (failed) return -1;
    run_rounds(e, 0);
    pthread_join(thread, NULL);
    exchange_sink = e->sink[0] ^ e->sink[1];
    qsort(e->times, (size_t)e->rounds, sizeof *e->times, compare_doubles);
    return e->times[e->rounds / 2];
}

int CVectorKernels_handoffProbe(ptrdiff_t bytes, int rounds, double *sameMicroseconds, double *crossMicroseconds,
                                int *cpus) {
    if (bytes < 128 || rounds < 1) return -1;
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    int first = -1, second = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE && second < 0; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (first < 0) first = cpu; else second = cpu;
    }
    if (second < 0) return -1;
    Exchange e = { .words = (size_t)bytes / 16, .rounds = rounds };
    atomic_init(&e.arrived, 0);
    size_t half = (e.words * 8 + 63) / 64 * 64;
    e.halves[0] = aligned_alloc(64, half);
    e.halves[1] = aligned_alloc(64, half);
    e.times = malloc(sizeof(double) * (size_t)rounds);
    int status = -1;
    cpu_set_t mine, theirs;
    CPU_ZERO(&mine);
    CPU_SET(first, &mine);
    CPU_ZERO(&theirs);
    CPU_SET(second, &theirs);
    if (e.halves[0] && e.halves[1] && e.times && pthread_setaffinity_np(pthread_self(), sizeof mine, &mine) == 0) {
        e.cross = 0;
        double same = exchange_run(&e, &theirs);
        e.cross = 1;
        double cross = same >= 0 ? exchange_run(&e, &theirs) : -1;
        if (cross >= 0) {
            *sameMicroseconds = same * 1e6;
            *crossMicroseconds = cross * 1e6;
            cpus[0] = first;
            cpus[1] = second;
            status = 0;
        }
        pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
    }
    free(e.times);
    free(e.halves[0]);
    free(e.halves[1]);
    return status;
}

int CVectorKernels_allowedCPUs(int *cpus, int capacity) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    int count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (count < capacity) cpus[count] = cpu;
        count++;
    }
    return count;
}

int CVectorKernels_setAllowedCPUs(const int *cpus, int count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE) return -1;
        CPU_SET(cpus[i], &set);
    }
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -1;
}
