/*
 * pool.c - worker threads for the installed programs (see pool.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct pool {
  unsigned        threads;
  pthread_t      *tid;
  pthread_mutex_t mu;
  pthread_cond_t  go, done;
  unsigned long   generation; /* bumped for every job */
  int             stop;
  pool_fn         fn; /* the current job */
  void           *ctx;
  size_t          n, next, finished;
  unsigned        started; /* threads started (for pool_free) */
};

typedef struct worker_arg {
  pool    *p;
  unsigned id;
} worker_arg;

/* Takes and runs tasks of the current job until none is left. */
static void drain(pool *p, unsigned worker) {
  for (;;) {
    size_t task;
    pthread_mutex_lock(&p->mu);
    if (p->next == p->n) {
      pthread_mutex_unlock(&p->mu);
      return;
    }
    task = p->next++;
    pthread_mutex_unlock(&p->mu);
    p->fn(p->ctx, task, worker);
    pthread_mutex_lock(&p->mu);
    if (++p->finished == p->n) pthread_cond_broadcast(&p->done);
    pthread_mutex_unlock(&p->mu);
  }
}

static void *worker_main(void *arg) {
  pool         *p = ((worker_arg *)arg)->p;
  unsigned      id = ((worker_arg *)arg)->id;
  unsigned long seen = 0;
  free(arg);
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->generation == seen) pthread_cond_wait(&p->go, &p->mu);
    if (p->stop) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    seen = p->generation;
    pthread_mutex_unlock(&p->mu);
    drain(p, id);
  }
}

pool *pool_create(unsigned threads) {
  pool    *p = calloc(1, sizeof *p);
  unsigned i;
  if (!p) return NULL;
  p->threads = threads ? threads : 1;
  if (p->threads == 1) return p;
  p->tid = calloc(p->threads, sizeof *p->tid);
  if (!p->tid || pthread_mutex_init(&p->mu, NULL) != 0) {
    free(p->tid);
    free(p);
    return NULL;
  }
  pthread_cond_init(&p->go, NULL);
  pthread_cond_init(&p->done, NULL);
  for (i = 1; i < p->threads; i++) {
    worker_arg *a = malloc(sizeof *a);
    if (!a) break;
    a->p = p;
    a->id = i;
    if (pthread_create(&p->tid[i], NULL, worker_main, a) != 0) {
      free(a);
      break;
    }
    p->started = i;
  }
  if (p->started + 1 != p->threads) {
    pool_free(p);
    return NULL;
  }
  return p;
}

unsigned pool_threads(const pool *p) { return p->threads; }

void pool_run(pool *p, size_t n, pool_fn fn, void *ctx) {
  size_t i;
  if (p->threads == 1) {
    for (i = 0; i < n; i++) fn(ctx, i, 0);
    return;
  }
  pthread_mutex_lock(&p->mu);
  p->fn = fn;
  p->ctx = ctx;
  p->n = n;
  p->next = p->finished = 0;
  p->generation++;
  pthread_cond_broadcast(&p->go);
  pthread_mutex_unlock(&p->mu);
  drain(p, 0);
  pthread_mutex_lock(&p->mu);
  while (p->finished != p->n) pthread_cond_wait(&p->done, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void pool_free(pool *p) {
  unsigned i;
  if (!p) return;
  if (p->threads > 1) {
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (i = 1; i <= p->started; i++) pthread_join(p->tid[i], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
  }
  free(p->tid);
  free(p);
}

unsigned pool_online_cores(void) {
#ifdef _SC_NPROCESSORS_ONLN
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n >= 1) return n > 1024 ? 1024u : (unsigned)n;
#endif
  return 1;
}
