/*
 * pool.h - a fixed set of worker threads for the installed programs: runs
 * tasks 0..n-1 of a job on every thread (the caller's included) and
 * returns when all are done.  POSIX threads; with one thread no thread is
 * started and tasks run in order on the caller's.
 */
#ifndef LEADGATE_EXAMPLES_POOL_H
#define LEADGATE_EXAMPLES_POOL_H

#include <stddef.h>

/* Runs task `task` of a job; `worker` (0 .. threads-1) names the thread,
 * 0 the caller's, so that per-thread state can be indexed by it. */
typedef void (*pool_fn)(void *ctx, size_t task, unsigned worker);

typedef struct pool pool;

/* A pool of `threads` (>= 1) threads, threads - 1 of them started here;
 * NULL when they cannot be made. */
pool    *pool_create(unsigned threads);
unsigned pool_threads(const pool *p);
/* Runs fn(ctx, i, worker) once for every i in 0..n-1, tasks taken in
 * order by whichever thread is free; returns when every task is done. */
void pool_run(pool *p, size_t n, pool_fn fn, void *ctx);
/* Stops and joins the threads.  NULL is fine. */
void pool_free(pool *p);

/* The number of online processors, at least 1. */
unsigned pool_online_cores(void);

#endif /* LEADGATE_EXAMPLES_POOL_H */
