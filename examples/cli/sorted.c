/*
 * sorted.c - leadgate-triage --sorted: the leads and events merged by
 * lead id (see sorted.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "sorted.h"

#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const names[3] = { "lead_id", "type", "at" };

/* Byte order, a prefix first: `LC_ALL=C sort`'s order. */
static int id_cmp(const char *a, size_t na, const char *b, size_t nb) {
  int c = memcmp(a, b, na < nb ? na : nb);
  return c ? c : (na > nb) - (na < nb);
}

/* An id as an order message shows it: at most SHOWN bytes, from byte
 * `from` (moved back to a UTF-8 character's start); "..." marks what is
 * left out at either end. */
#define SHOWN 64
static void id_shown(char out[SHOWN + 7], const char *id, size_t len, size_t from) {
  size_t end;
  char  *o = out;
  while (from > 0 && ((unsigned char)id[from] & 0xC0) == 0x80) from--;
  end = len - from > SHOWN ? from + SHOWN : len;
  while (end < len && end > from && ((unsigned char)id[end] & 0xC0) == 0x80) end--;
  if (from) {
    memcpy(o, "...", 3);
    o += 3;
  }
  memcpy(o, id + from, end - from);
  o += end - from;
  if (end < len) {
    memcpy(o, "...", 3);
    o += 3;
  }
  *o = '\0';
}

/* Two ids out of order, as a message shows them: from the start, or, when
 * they are alike beyond what it shows, both from a little before the
 * first byte where they differ. */
static void ids_shown(char a_out[SHOWN + 7], const char *a, size_t na, char b_out[SHOWN + 7],
                      const char *b, size_t nb) {
  size_t d = 0, n = na < nb ? na : nb, from;
  while (d < n && a[d] == b[d]) d++;
  from = d + 16 > SHOWN ? d - (SHOWN - 16) : 0;
  id_shown(a_out, a, na, from);
  id_shown(b_out, b, nb, from);
}

static void last_set(sorted_last *l, const char *id, size_t len, unsigned long line) {
  memcpy(l->id, id, len + 1);
  l->len = len;
  l->line = line;
  l->set = 1;
}

int sorted_lead(sorted_last *last, const char *id, size_t len, unsigned long line,
                unsigned long *first, char *why, size_t cap) {
  char a[SHOWN + 7], b[SHOWN + 7];
  int  c = last->set ? id_cmp(id, len, last->id, last->len) : 1;
  if (c > 0) {
    last_set(last, id, len, line);
    return 1;
  }
  if (c == 0) {
    *first = last->line;
    return 0;
  }
  ids_shown(a, id, len, b, last->id, last->len);
  snprintf(why, cap,
           "--sorted needs the leads file sorted by lead id: '%s' comes after '%s' (line %lu)", a,
           b, last->line);
  return -1;
}

int sorted_regular(const char *path) {
  struct stat st;
  return stat(path, &st) != 0 || S_ISREG(st.st_mode); /* a missing file: the open says so */
}

static void open_events(sorted_events *s, const char *path) {
  int col[3];
  cli_csv_open(&s->csv, path, "lead_id,type,at");
  cli_csv_columns(&s->csv, names, 3, col);
  s->col_id = col[0];
  s->col_type = col[1];
  s->col_at = col[2];
  memset(&s->last, 0, sizeof s->last);
  memset(s->day, 0, sizeof s->day); /* no date is all NUL bytes */
  memset(s->type_slot, 0, sizeof s->type_slot);
}

/* A UTC time YYYY-MM-DDTHH:MM:SSZ has its day's slot: the events of a
 * file fall on some hundreds of days, and the lead id order mixes them. */
static sorted_day *day_slot(sorted_events *s, const char *at, size_t len) {
  unsigned month, day;
  if (len != 20 || at[10] != 'T' || at[19] != 'Z') return NULL;
  month = (unsigned)(at[5] - '0') * 10u + (unsigned)(at[6] - '0');
  day = (unsigned)(at[8] - '0') * 10u + (unsigned)(at[9] - '0');
  return &s->day[(month * 32u + day) % SORTED_DAYS]; /* years share a slot */
}

/* The seconds into the day of HH:MM:SS at at + 11, or -1. */
static long day_seconds(const char *at) {
  const char *p = at + 11;
  int         i;
  long        v[3];
  for (i = 0; i < 3; i++, p += 3) {
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || (i < 2 && p[2] != ':')) return -1;
    v[i] = (p[0] - '0') * 10 + (p[1] - '0');
  }
  return v[0] > 23 || v[1] > 59 || v[2] > 59 ? -1 : v[0] * 3600 + v[1] * 60 + v[2];
}

/* The index of event type `type` (length len), or NO_INDEX: a slot by
 * its length and ends remembers the last type seen there. */
static uint32_t find_type(sorted_events *s, const char *type, size_t len) {
  uint32_t *slot =
      s->type_slot[len ? (len * 31u + (unsigned char)type[0] + (unsigned char)type[len - 1] * 7u) %
                             SORTED_TYPES
                       : 0];
  const char *e;
  if (slot[0] && slot[1] == len && memcmp(strmap_key(s->types, slot[0] - 1), type, len) == 0)
    return slot[0] - 1;
  if (!(e = strmap_find_h(s->types, type, len, hash_key(type, len)))) return NO_INDEX;
  slot[0] = entry_value(e, 0) + 1;
  slot[1] = (uint32_t)len;
  return slot[0] - 1;
}

/* The cells of the reader's record: 0 with the event in *ev (and its
 * type's index in *ty, NO_INDEX when the map does not have it), else
 * which cell is bad (events_check_cells).  A UTC time on a day already
 * parsed in full takes only its time of day from the cell. */
static int read_event(sorted_events *s, uint64_t *ev, uint32_t *ty, char *why, size_t cap) {
  const csv_reader *cr = &s->csv.r;
  const char       *type = cr->fields[s->col_type], *at = cr->fields[s->col_at];
  size_t            type_len = cr->lens[s->col_type];
  sorted_day       *day = day_slot(s, at, cr->lens[s->col_at]);
  long              sec = day ? day_seconds(at) : -1;
  lg_time           t = 0;
  int               bad, known = sec >= 0 && memcmp(day->date, at, 10) == 0;
  *ty = find_type(s, type, type_len);
  if (known) t = day->start + sec;
  bad = events_check_cells(cr->lens[s->col_id], type, *ty != NO_INDEX, known ? NULL : at, &t, why,
                           cap);
  if (bad) return bad;
  if (sec >= 0 && !known) {
    memcpy(day->date, at, 10);
    day->start = t - sec;
  }
  *ev = (uint64_t)(t - LG_TIME_MIN) << EV_TYPE_BITS | (*ty == NO_INDEX ? 0 : *ty);
  return 0;
}

void sorted_scan(sorted_events *s, const char *path, strmap *types, events_bad_fn bad, void *ctx) {
  csv_reader *cr = &s->csv.r;
  char        why[256];
  int         st;
  memset(s, 0, sizeof *s);
  s->types = types;
  open_events(s, path);
  while ((st = csv_next(cr)) != CSV_EOF) {
    const char *id = cr->fields[s->col_id];
    size_t      len = cr->lens[s->col_id];
    uint64_t    ev;
    uint32_t    ty;
    int         which, c;
    if (st == CSV_FATAL) cli_die(path, "%s", cr->error);
    if (st == CSV_BAD) {
      bad(ctx, path, cr->error_line, cr->error_col, cr->error);
      continue;
    }
    if ((which = read_event(s, &ev, &ty, why, sizeof why)) != 0) {
      const csv_field_pos *p = &cr->pos[which == 1   ? s->col_id
                                        : which == 2 ? s->col_type
                                                     : s->col_at];
      bad(ctx, path, p->line, p->col, why);
      continue;
    }
    c = s->last.set ? id_cmp(id, len, s->last.id, s->last.len) : 1;
    if (c < 0) {
      char a[SHOWN + 7], b[SHOWN + 7];
      ids_shown(a, id, len, b, s->last.id, s->last.len);
      cli_die_at(path, cr->pos[s->col_id].line, cr->pos[s->col_id].col,
                 "--sorted needs the events file sorted by lead id: '%s' comes after '%s' "
                 "(line %lu)",
                 a, b, s->last.line);
    }
    if (c > 0) last_set(&s->last, id, len, cr->record_line);
    if (ty == NO_INDEX) {
      const char *type = cr->fields[s->col_type];
      size_t      type_len = cr->lens[s->col_type];
      if (types->n >= EV_MAX_TYPES) cli_die(path, "more than 2^25 distinct event types");
      if (strmap_add(types, type, type_len, hash_key(type, type_len), &ty) != 0)
        cli_die(path, "out of memory");
    }
    if (++s->n_ev >= NO_INDEX) cli_die(path, "more than 4294967294 events");
  }
  cli_csv_close(&s->csv);
}

void sorted_open(sorted_events *s, const char *path) {
  open_events(s, path);
  s->pending = s->eof = 0;
  s->n_read = 0;
}

static int changed(const sorted_events *s, char *why, size_t cap) {
  snprintf(why, cap, "%s changed while it was read", s->csv.path);
  return -2;
}

/* Reads the next good event into s->ev (s->pending: 1), or sets s->eof.
 * 1 when its id differs from the last event's (then s->last is it), 0
 * when equal or at the end, -2 when the file is not the first pass's. */
static int next_event(sorted_events *s, char *why, size_t cap) {
  csv_reader *cr = &s->csv.r;
  int         st;
  while ((st = csv_next(cr)) != CSV_EOF) {
    const char *id = cr->fields[s->col_id];
    size_t      len = cr->lens[s->col_id];
    uint32_t    ty;
    int         c;
    if (st == CSV_FATAL) {
      snprintf(why, cap, "%s: %s", s->csv.path, cr->error);
      return -2;
    }
    if (st == CSV_BAD || read_event(s, &s->ev, &ty, why, cap) != 0) continue; /* reported */
    if (ty == NO_INDEX || ++s->n_read > s->n_ev) return changed(s, why, cap);
    s->pending = 1;
    c = s->last.set ? id_cmp(id, len, s->last.id, s->last.len) : 1;
    if (c < 0) return changed(s, why, cap);
    if (c == 0) return 0;
    last_set(&s->last, id, len, cr->record_line);
    return 1;
  }
  s->eof = 1;
  return 0;
}

int sorted_take(sorted_events *s, const char *id, size_t len, uint64_t **ev, size_t *n, size_t *cap,
                char *why, size_t why_cap) {
  size_t taken = 0;
  for (;;) {
    int c;
    if (!s->pending) {
      int st;
      if (s->eof) return 0;
      if ((st = next_event(s, why, why_cap)) < 0) return st;
      if (s->eof) return 0;
      s->fresh = st;
    }
    /* s->last is the pending event's id; no id: after every lead */
    c = id ? id_cmp(s->last.id, s->last.len, id, len) : -1;
    if (c > 0) return 0; /* for a later lead */
    s->pending = 0;
    if (c < 0) { /* no lead has this id */
      if (s->fresh && !s->unknown_ids++) memcpy(s->first_unknown, s->last.id, s->last.len + 1);
      s->unknown_events++;
      continue;
    }
    if (taken++ > LG_MAX_EVENTS) continue; /* one more is an error already */
    if (*n == *cap) {
      size_t    c2 = *cap ? *cap * 2 : 1024;
      uint64_t *p = realloc(*ev, c2 * sizeof *p);
      if (!p) return -1;
      *ev = p;
      *cap = c2;
    }
    (*ev)[(*n)++] = s->ev;
  }
}

void sorted_finish(sorted_events *s) {
  char why[256];
  if (!s->csv.open) return;
  if (sorted_take(s, NULL, 0, NULL, NULL, NULL, why, sizeof why) < 0 ||
      (s->n_read != s->n_ev && changed(s, why, sizeof why)))
    cli_die(cli_name(), "%s", why);
  cli_csv_close(&s->csv);
}

void sorted_free(sorted_events *s) { cli_csv_close(&s->csv); }
