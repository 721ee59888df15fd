/*
 * sorted.h - leadgate-triage --sorted: the leads file and the events file
 * both sorted by lead id (byte order, as `LC_ALL=C sort` orders the id
 * field), merged as the leads are read, so that memory does not grow with
 * the number of leads or events.
 *
 * The events file is read twice.  The first pass (sorted_scan) checks
 * every row as events_load does and reports the bad ones with the same
 * messages, in file order, before any lead is triaged; it collects the
 * event types (for the warnings about types no row has), counts the
 * events and checks that the lead ids never go down.  The second pass
 * (sorted_open, sorted_take, sorted_finish) hands each lead of the leads
 * file the events with its id, in file order; events whose id no lead
 * has are counted as the default mode counts them.  Only the lead id
 * order matters: a lead's events may be in any time order.
 *
 * The leads file (sorted_lead): each id must be greater than the last
 * good one; an equal id is a duplicate (the first occurrence wins, as in
 * the default mode).
 *
 * Memory: the event types, one record of each file, the last ids; the
 * events of the leads being read are held by the caller (at most
 * LG_MAX_EVENTS + 1 a lead: one more is an error anyway).
 */
#ifndef LEADGATE_EXAMPLES_SORTED_H
#define LEADGATE_EXAMPLES_SORTED_H

#include <leadgate.h>

#include "cli.h"
#include "events.h"
#include "strmap.h"

#include <stddef.h>
#include <stdint.h>

/* The last id of a sorted file and the line it first appears on. */
typedef struct sorted_last {
  char          id[LG_MAX_ID_BYTES + 1];
  size_t        len;
  unsigned long line;
  int           set;
} sorted_last;

/* A day's start, by its date (YYYY-MM-DD). */
typedef struct sorted_day {
  char    date[10];
  lg_time start;
} sorted_day;

#define SORTED_DAYS  512 /* more than 13 x 32 */
#define SORTED_TYPES 64  /* event types by length and ends, a slot each */

typedef struct sorted_events {
  cli_csv       csv;
  int           col_id, col_type, col_at;
  strmap       *types;   /* the event types, filled by the first pass */
  uint64_t      n_ev;    /* events (good rows) of the first pass */
  uint64_t      n_read;  /* of the second */
  sorted_last   last;    /* the last good event's lead id */
  int           pending; /* the reader's record is a good event not taken yet */
  int           fresh;   /* its id differs from the event's before it */
  int           eof;
  uint64_t      ev; /* the pending event, packed as in events.h */
  unsigned long unknown_ids, unknown_events;
  char          first_unknown[LG_MAX_ID_BYTES + 1];
  uint32_t      type_slot[SORTED_TYPES][2]; /* index + 1 (0: none), length */
  sorted_day    day[SORTED_DAYS];           /* days of UTC times parsed in full */
} sorted_events;

/* 0 when `path` is there but not a regular file (a pipe, a FIFO, a
 * device: the second pass would find it empty, or wait), else 1. */
int sorted_regular(const char *path);

/* The first pass over the events file `path` (not standard input): bad
 * rows to bad(ctx, ...) in file order, types into *types, the count into
 * s->n_ev.  Fatal (cli_die_at) when a lead id is less than the one before
 * it, or on a bad header, a read error, or no memory. */
void sorted_scan(sorted_events *s, const char *path, strmap *types, events_bad_fn bad, void *ctx);

/* Starts the second pass. */
void sorted_open(sorted_events *s, const char *path);

/* Appends the events of lead `id` (length len) to (*ev)[*n ..), growing
 * *ev (capacity *cap); events with smaller ids are counted as unknown (all
 * of the rest when id is NULL).
 * 0; -1 when out of memory; -2 when the file is not what the first pass
 * read (why says so, the file named). */
int sorted_take(sorted_events *s, const char *id, size_t len, uint64_t **ev, size_t *n, size_t *cap,
                char *why, size_t why_cap);

/* Counts the events after the last lead as unknown and closes the file;
 * fatal when the file is not what the first pass read. */
void sorted_finish(sorted_events *s);
void sorted_free(sorted_events *s);

/* The leads file's next good id (line: where its record starts): 1 when
 * it is greater than the last one, 0 when equal (a duplicate: *first is
 * the line of the first), -1 when less (why[0..cap) says what was
 * expected). */
int sorted_lead(sorted_last *last, const char *id, size_t len, unsigned long line,
                unsigned long *first, char *why, size_t cap);

#endif /* LEADGATE_EXAMPLES_SORTED_H */
