/*
 * events.h - leadgate-triage's events index: the events file read in
 * parallel and grouped by lead id.
 *
 * The file is read in chunks of a few MiB.  Each chunk is cut into one
 * part per thread at guessed record boundaries (after a line break); the
 * parts are parsed at once, each on its own thread, into per-part
 * lists bucketed by the lead id's hash.  A guess is kept when the reader
 * of the part before it stops exactly there (no record crosses it);
 * otherwise the part after it is parsed again, on one thread, from where
 * that reader stopped, so a quoted field with a line break never starts a
 * record.  Messages are reported in file order once a chunk is parsed.
 * Then each thread takes the buckets of its own partitions (lead ids by
 * hash) and appends their events, chunk after chunk and part after part,
 * so a lead's events keep the file order.  Once the file is read, each
 * partition is grouped by lead (a counting sort): a lead's events are
 * contiguous, in file order.
 *
 * Plain rows (no quote, no byte at or below ' ' but the LF, a known type,
 * a time that reads) are taken straight from the chunk; the CSV reader,
 * started over where needed, reads all the others, so every message
 * comes from it.
 *
 * The environment variables LEADGATE_TRIAGE_CHUNK (bytes a thread, default
 * 4 MiB) and LEADGATE_TRIAGE_READER (1: every row through the CSV reader)
 * are for tests: tiny chunks put boundaries everywhere, and either way
 * the results are the same.
 *
 * Memory: per event 8 bytes (12 while the file is read, 20 while its
 * partition is grouped, one partition per thread at a time), per distinct
 * lead id the id, about 28 bytes of map, 4 bytes for where its events
 * start and 4 for where it first appears; plus the chunks in flight.
 */
#ifndef LEADGATE_EXAMPLES_EVENTS_H
#define LEADGATE_EXAMPLES_EVENTS_H

#include <leadgate.h>

#include "cli.h"
#include "pool.h"
#include "strmap.h"

#include <stdint.h>

#define EV_TYPE_BITS 25
#define EV_MAX_TYPES ((uint32_t)1 << EV_TYPE_BITS)

/* An event packed into 64 bits: its time as seconds since LG_TIME_MIN
 * (LG_TIME_MAX - LG_TIME_MIN < 2^39) above its type index. */
static inline lg_time  ev_at(uint64_t e) { return (lg_time)(e >> EV_TYPE_BITS) + LG_TIME_MIN; }
static inline uint32_t ev_type(uint64_t e) { return (uint32_t)(e & (EV_MAX_TYPES - 1)); }

#define EV_PARTITIONS 16 /* at least; more with more threads */

/* The lead ids of one hash partition and their events.  Entry value 0 of
 * a lead id is its key k, value 1 is free for the caller (0 until set;
 * leadgate-triage keeps the line the id first appears on in the leads
 * file there).  After grouping, the events of key k are
 * ev[start[k] .. start[k + 1]). */
typedef struct ev_partition {
  strmap    ids;
  uint64_t *ev;
  uint32_t *lead;      /* lead[i]: key of ev[i], until grouped */
  uint32_t *start;     /* after grouping: n keys + 1 */
  uint32_t *first_seq; /* per key: ordinal of its first event in the file */
  size_t    n_ev, cap_ev, cap_first;
} ev_partition;

typedef struct events_index {
  unsigned      n_parts;
  ev_partition *part;
  strmap        types;
  uint64_t      n_ev;
  int           grouped;
} events_index;

/* Reports a bad row (file, line, column, why); may exit. */
typedef void (*events_bad_fn)(void *ctx, const char *file, unsigned long line, unsigned long col,
                              const char *why);

/* Reads the events of `c` (its header read, columns lead_id,type,at) into
 * *x with the threads of `p`, bad rows to bad(ctx, ...) in file order,
 * then groups them.  Fatal (cli_die) when out of memory. */
void events_load(events_index *x, cli_csv *c, pool *p, events_bad_fn bad, void *ctx);
void events_free(events_index *x);

/* The partition of a lead id's hash. */
static inline const ev_partition *events_partition(const events_index *x, uint32_t h) {
  return &x->part[(size_t)(((uint64_t)h * x->n_parts) >> 32)];
}

/* The events of lead id (length len, hash h) are [*e, *end); both NULL
 * when it has none.  Starts fetching them. */
static inline void events_find(const events_index *x, const char *id, size_t len, uint32_t h,
                               const uint64_t **e, const uint64_t **end) {
  const ev_partition *p;
  const char         *entry;
  uint32_t            k;
  *e = *end = NULL;
  if (!x->grouped) return;
  p = events_partition(x, h);
  if (!(entry = strmap_find_h(&p->ids, id, len, h))) return;
  k = entry_value(entry, 0);
  *e = p->ev + p->start[k];
  *end = p->ev + p->start[k + 1];
  PREFETCH(*e);
  PREFETCH(*end - 1); /* a lead in the index has at least one event */
}

/* The checks events_load makes on the cells of an event row (the length
 * of its lead_id, its type and its at cell), with the same messages: 0
 * with the time in *t, else 1, 2 or 3 for the cell at fault (lead_id,
 * type, at) with why[0..cap).  A type
 * already known to be a valid name (type_known) is not checked again, nor
 * the time when at is NULL (the caller has it in *t). */
int events_check_cells(size_t id_len, const char *type, int type_known, const char *at, lg_time *t,
                       char *why, size_t cap);

#endif /* LEADGATE_EXAMPLES_EVENTS_H */
