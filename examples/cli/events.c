/*
 * events.c - leadgate-triage's events index (see events.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "events.h"

#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_PER_THREAD ((size_t)4 << 20)
#define AHEAD            16 /* lookups between a slot's prefetch and its use */

/* ---- the events of a part, bucketed by partition ------------------------------- */

typedef struct bucket {
  uint32_t *h, *type, *seq, *id_off; /* per event; id_off[n] ends the last id */
  lg_time  *at;
  size_t    n, cap;
  char     *ids; /* the ids, each NUL-terminated */
  size_t    ids_len, ids_cap;
} bucket;

typedef struct part_msg {
  unsigned long line, col;
  size_t        off; /* in text */
  int           fatal;
} part_msg;

/* A part of a chunk: buf[start ..) parsed by one reader until a record
 * starts at or after target. */
typedef struct part {
  size_t        start, target;
  unsigned long first_line; /* the reader's number for the line at start */
  size_t        stop;       /* where the next part must start */
  unsigned long stop_line;  /* its line, numbered as first_line */
  int           embeds_line, fatal;
  bucket       *b; /* one per partition */
  strmap        types;
  uint32_t     *type_map; /* local type -> global */
  part_msg     *msg;
  size_t        n_msg, cap_msg;
  char         *text;
  size_t        text_len, text_cap;
  uint32_t      n_ev;
  int           nomem;
  char          day[10]; /* the date of the last UTC time parsed in full */
  lg_time       day_start;
  int           day_known;
} part;

typedef struct loader {
  events_index *x;
  const char   *path;
  char         *buf;
  size_t        len, cap;
  int           eof, trim, col_id, col_type, col_at;
  size_t        expect;
  uint64_t      base; /* file offset of buf[0] */
  part         *parts;
  unsigned      n_parts;
  uint64_t     *seq_base;
  int           nomem;
} loader;

static void *grow(void *p, size_t *cap, size_t need, size_t size, int *nomem) {
  size_t c = *cap ? *cap : 64;
  void  *q;
  if (need <= *cap) return p;
  while (c < need) c *= 2;
  if (!(q = realloc(p, c * size))) {
    *nomem = 1;
    return NULL;
  }
  *cap = c;
  return q;
}

static int bucket_reserve(bucket *b, size_t id_len) {
  int nomem = 0;
  if (b->n + 1 >= b->cap) {
    size_t    cap = b->cap ? b->cap * 2 : 1024;
    uint32_t *h = realloc(b->h, cap * sizeof *h);
    if (h) b->h = h;
    uint32_t *t = h ? realloc(b->type, cap * sizeof *t) : NULL;
    if (t) b->type = t;
    uint32_t *s = t ? realloc(b->seq, cap * sizeof *s) : NULL;
    if (s) b->seq = s;
    uint32_t *o = s ? realloc(b->id_off, (cap + 1) * sizeof *o) : NULL;
    if (o) b->id_off = o;
    lg_time *a = o ? realloc(b->at, cap * sizeof *a) : NULL;
    if (!a) return -1;
    b->at = a;
    b->cap = cap;
  }
  if (b->ids_cap - b->ids_len < id_len + 1) {
    char *p = grow(b->ids, &b->ids_cap, b->ids_len + id_len + 1, 1, &nomem);
    if (!p) return -1;
    b->ids = p;
  }
  return 0;
}

static void bucket_free(bucket *b) {
  free(b->h);
  free(b->type);
  free(b->seq);
  free(b->id_off);
  free(b->at);
  free(b->ids);
}

/* ---- parsing a part ---------------------------------------------------------------- */

static void part_message(part *pt, unsigned long line, unsigned long col, const char *text,
                         int fatal) {
  size_t n = strlen(text) + 1;
  void  *p;
  if (pt->n_msg == pt->cap_msg) {
    if (!(p = grow(pt->msg, &pt->cap_msg, pt->n_msg + 1, sizeof *pt->msg, &pt->nomem))) return;
    pt->msg = p;
  }
  if (!(p = grow(pt->text, &pt->text_cap, pt->text_len + n, 1, &pt->nomem))) return;
  pt->text = p;
  memcpy(pt->text + pt->text_len, text, n);
  pt->msg[pt->n_msg].line = line;
  pt->msg[pt->n_msg].col = col;
  pt->msg[pt->n_msg].off = pt->text_len;
  pt->msg[pt->n_msg++].fatal = fatal;
  pt->text_len += n;
}

static int name_valid(const char *s) { return lg_name_check(s, NULL) == LG_OK; }

/* The seconds into the day of YYYY-MM-DDTHH:MM:SSZ (s[0..len)), or -1
 * when s has another form (the date is not looked at). */
static long utc_seconds(const char *s, size_t len) {
  static const unsigned char at[6] = { 11, 12, 14, 15, 17, 18 };
  int                        i, d[6];
  if (len != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return -1;
  for (i = 0; i < 6; i++) {
    d[i] = s[at[i]] - '0';
    if (d[i] < 0 || d[i] > 9) return -1;
  }
  if (d[0] * 10 + d[1] > 23 || d[2] > 5 || d[4] > 5) return -1;
  return (long)(d[0] * 10 + d[1]) * 3600 + (d[2] * 10 + d[3]) * 60 + d[4] * 10 + d[5];
}

/* A time cell, as cli_parse_time reads it.  The events of a file often
 * share their day: a UTC time on the day of the last one parsed in full
 * takes only its time of day from the cell. */
static int part_time(part *pt, const char *s, size_t len, lg_time *t, char *why, size_t cap) {
  long sec = utc_seconds(s, len);
  if (sec >= 0 && pt->day_known && memcmp(s, pt->day, 10) == 0) {
    *t = pt->day_start + sec;
    return 1;
  }
  if (!cli_parse_time(s, t, why, cap)) return 0;
  if (sec >= 0) {
    memcpy(pt->day, s, 10);
    pt->day_start = *t - sec;
    pt->day_known = 1;
  }
  return 1;
}

/* One record of the part: its event into the buckets, or a message. */
static void part_record(const loader *L, part *pt, const csv_reader *cr) {
  const char *id = cr->fields[L->col_id], *type = cr->fields[L->col_type];
  size_t      id_len = cr->lens[L->col_id], type_len = cr->lens[L->col_type];
  uint32_t    id_h, type_h, ty, q;
  const char *e;
  lg_time     t;
  char        why[192], tw[160];
  bucket     *b;

  if (id_len == 0 || id_len > LG_MAX_ID_BYTES) {
    part_message(pt, cr->pos[L->col_id].line, cr->pos[L->col_id].col,
                 id_len ? "lead_id longer than 256 bytes" : "empty lead_id", 0);
    return;
  }
  /* a type already in the map was checked when it was added */
  type_h = hash_key(type, type_len);
  e = strmap_find_h(&pt->types, type, type_len, type_h);
  ty = e ? entry_value(e, 0) : NO_INDEX;
  if (ty == NO_INDEX && !name_valid(type)) {
    snprintf(why, sizeof why, "event type '%.64s' is not a name ([a-z][a-z0-9_]{0,63})", type);
    part_message(pt, cr->pos[L->col_type].line, cr->pos[L->col_type].col, why, 0);
    return;
  }
  if (!part_time(pt, cr->fields[L->col_at], cr->lens[L->col_at], &t, tw, sizeof tw)) {
    snprintf(why, sizeof why, "at %s", tw);
    part_message(pt, cr->pos[L->col_at].line, cr->pos[L->col_at].col, why, 0);
    return;
  }
  if (ty == NO_INDEX && strmap_add(&pt->types, type, type_len, type_h, &ty) != 0) {
    pt->nomem = 1;
    return;
  }
  id_h = hash_key(id, id_len);
  q = (uint32_t)(((uint64_t)id_h * L->x->n_parts) >> 32);
  b = &pt->b[q];
  if (bucket_reserve(b, id_len) != 0) {
    pt->nomem = 1;
    return;
  }
  b->h[b->n] = id_h;
  b->type[b->n] = ty;
  b->seq[b->n] = pt->n_ev++;
  b->at[b->n] = t;
  b->id_off[b->n++] = (uint32_t)b->ids_len;
  memcpy(b->ids + b->ids_len, id, id_len + 1);
  b->ids_len += id_len + 1;
  b->id_off[b->n] = (uint32_t)b->ids_len;
}

static void part_reset(const loader *L, part *pt) {
  unsigned q;
  for (q = 0; q < L->x->n_parts; q++) {
    pt->b[q].n = pt->b[q].ids_len = 0;
    if (pt->b[q].id_off) pt->b[q].id_off[0] = 0;
  }
  strmap_free(&pt->types);
  pt->n_msg = pt->text_len = 0;
  pt->n_ev = 0;
  pt->embeds_line = pt->fatal = 0;
}

/* Parses buf[pt->start ..) until a record starts at or after pt->target,
 * or (before the end of the file) a record reaches the end of the chunk
 * and may be cut: the next part must then start at that record. */
static void part_parse(const loader *L, part *pt) {
  csv_reader    r;
  size_t        prev_end = pt->start, n = L->len - pt->start;
  unsigned long prev_line = pt->first_line;
  int           st, cut = 0;

  part_reset(L, pt);
  pt->stop = pt->start;
  pt->stop_line = pt->first_line;
  if (n == 0) goto done;
  /* offsets are the file's (never 0: the header comes first), so a byte
   * order mark counts only at the start of the file */
  if (csv_open_mem(&r, L->buf + pt->start, n, L->base + pt->start, pt->first_line, L->trim) != 0) {
    pt->nomem = 1;
    return;
  }
  r.expect_fields = L->expect;
  for (;;) {
    size_t off, end;
    st = csv_next(&r);
    if (st == CSV_EOF) break;
    off = (size_t)(r.record_offset - L->base);
    end = (size_t)(csv_tell(&r) - L->base);
    if (off >= pt->target) break;
    if (!L->eof && end >= L->len) {
      cut = 1;
      pt->stop = off;
      pt->stop_line = r.record_line;
      break;
    }
    if (st == CSV_FATAL) {
      part_message(pt, r.error_line, r.error_col, r.error, 1);
      pt->fatal = 1;
      prev_end = end;
      prev_line = r.line;
      break;
    }
    if (st == CSV_BAD) {
      if (strncmp(r.error, "unterminated", 12) == 0) pt->embeds_line = 1;
      part_message(pt, r.error_line, r.error_col, r.error, 0);
    } else {
      part_record(L, pt, &r);
    }
    prev_end = end;
    prev_line = r.line;
    if (pt->nomem) break;
  }
  csv_close(&r);
done:
  if (cut) return;
  if (prev_end <= pt->target && pt->target <= L->len) {
    pt->stop = pt->target;
    pt->stop_line = prev_line + csv_count_lines(L->buf + prev_end, pt->target - prev_end);
  } else {
    pt->stop = prev_end;
    pt->stop_line = prev_line;
  }
}

static void parse_task(void *ctx, size_t task, unsigned worker) {
  loader *L = ctx;
  (void)worker;
  part_parse(L, &L->parts[task]);
}

/* ---- interning a chunk's events, a partition per task ------------------------------- */

static void intern_task(void *ctx, size_t task, unsigned worker) {
  loader       *L = ctx;
  ev_partition *P = &L->x->part[task];
  unsigned      j;
  (void)worker;
  for (j = 0; j < L->n_parts && !L->nomem; j++) {
    const part   *pt = &L->parts[j];
    const bucket *b = &pt->b[task];
    size_t        i, need = P->n_ev + b->n;
    if (!b->n) continue;
    if (need > P->cap_ev) {
      size_t    cap = P->cap_ev ? P->cap_ev : 4096;
      uint64_t *e;
      uint32_t *l;
      /* big arrays grow by a quarter: less slack, and realloc of a large
       * block usually remaps it rather than copying */
      while (cap < need) cap += cap < ((size_t)1 << 20) ? cap : cap / 4;
      if (cap >= NO_INDEX || !(e = realloc(P->ev, cap * sizeof *e))) goto nomem;
      P->ev = e;
      if (!(l = realloc(P->lead, cap * sizeof *l))) goto nomem;
      P->lead = l;
      P->cap_ev = cap;
    }
    for (i = 0; i < b->n; i++) {
      uint32_t n_before = P->ids.n, k;
      size_t   off = b->id_off[i], len = b->id_off[i + 1] - off - 1;
      if (i + AHEAD < b->n) strmap_prefetch_slot(&P->ids, b->h[i + AHEAD]);
      if (i + AHEAD / 2 < b->n) strmap_prefetch_entry(&P->ids, b->h[i + AHEAD / 2]);
      if (strmap_intern(&P->ids, b->ids + off, len, b->h[i], &k) != 0) goto nomem;
      if (P->ids.n != n_before) {
        if (k >= P->cap_first) {
          int       nm = 0;
          uint32_t *f = grow(P->first_seq, &P->cap_first, (size_t)k + 1, sizeof *f, &nm);
          if (!f) goto nomem;
          P->first_seq = f;
        }
        P->first_seq[k] = (uint32_t)(L->seq_base[j] + b->seq[i]);
      }
      P->ev[P->n_ev] =
          (uint64_t)(b->at[i] - LG_TIME_MIN) << EV_TYPE_BITS | pt->type_map[b->type[i]];
      P->lead[P->n_ev++] = k;
    }
  }
  return;
nomem:
  L->nomem = 1;
}

/* ---- grouping a partition by lead ------------------------------------------------ */

static void group_task(void *ctx, size_t task, unsigned worker) {
  loader       *L = ctx;
  ev_partition *x = &L->x->part[task];
  uint32_t     *first, *fill;
  uint64_t     *sorted;
  size_t        i;
  (void)worker;
  first = calloc((size_t)x->ids.n + 1, sizeof *first);
  sorted = x->n_ev ? malloc(x->n_ev * sizeof *sorted) : NULL;
  if (!first || (x->n_ev && !sorted)) {
    free(first);
    free(sorted);
    L->nomem = 1;
    return;
  }
  for (i = 0; i < x->n_ev; i++) first[x->lead[i] + 1]++;
  for (i = 0; i < x->ids.n; i++) first[i + 1] += first[i];
  /* scatter: each lead's running fill position starts at first[k]; the
   * slots first[k + 1] are reused as cursors and restored afterwards */
  fill = first + 1;
  for (i = x->ids.n; i > 0; i--) fill[i - 1] = first[i - 1];
  for (i = 0; i < x->n_ev; i++) sorted[fill[x->lead[i]]++] = x->ev[i];
  x->start = first;
  free(x->ev);
  free(x->lead);
  x->ev = sorted;
  x->lead = NULL;
  x->cap_ev = x->n_ev;
}

/* ---- the file, chunk by chunk --------------------------------------------------------- */

static void loader_free(loader *L) {
  unsigned j, q;
  for (j = 0; j < L->n_parts; j++) {
    part *pt = &L->parts[j];
    if (pt->b)
      for (q = 0; q < L->x->n_parts; q++) bucket_free(&pt->b[q]);
    free(pt->b);
    strmap_free(&pt->types);
    free(pt->type_map);
    free(pt->msg);
    free(pt->text);
  }
  free(L->parts);
  free(L->seq_base);
  free(L->buf);
}

void events_load(events_index *x, cli_csv *c, pool *p, events_bad_fn bad, void *ctx) {
  static const char *const names[3] = { "lead_id", "type", "at" };
  loader                   L;
  csv_reader              *hr = &c->r;
  int                      col[3];
  unsigned                 threads = pool_threads(p), j, q;
  unsigned long            line = hr->line;
  uint64_t                 seq = 0;
  size_t                   have, chunk;
  const char              *env;
  int                      file_eof;

  cli_csv_columns(c, names, 3, col);
  memset(&L, 0, sizeof L);
  memset(x, 0, sizeof *x);
  L.x = x;
  L.path = c->path;
  L.col_id = col[0];
  L.col_type = col[1];
  L.col_at = col[2];
  L.expect = hr->expect_fields;
  L.trim = hr->trim;
  /* more partitions than threads: smaller steps while grouping */
  x->n_parts = threads < EV_PARTITIONS ? EV_PARTITIONS : threads;
  L.n_parts = threads;
  x->part = calloc(x->n_parts, sizeof *x->part);
  L.parts = calloc(threads, sizeof *L.parts);
  L.seq_base = calloc(threads, sizeof *L.seq_base);
  chunk = CHUNK_PER_THREAD;
  if ((env = getenv("LEADGATE_TRIAGE_CHUNK")) != NULL && atol(env) > 0) chunk = (size_t)atol(env);
  chunk *= threads;
  /* what the header's reader has read beyond the header comes first */
  have = hr->end - hr->beg;
  L.cap = have > chunk ? have : chunk;
  L.buf = malloc(L.cap);
  if (!x->part || !L.parts || !L.seq_base || !L.buf) goto nomem;
  for (j = 0; j < threads; j++)
    if (!(L.parts[j].b = calloc(x->n_parts, sizeof *L.parts[j].b))) goto nomem;
  memcpy(L.buf, hr->buf + hr->beg, have);
  L.base = csv_tell(hr);
  file_eof = hr->eof;
  for (;;) {
    size_t        pos = 0, e;
    unsigned long ln = line;
    if (!file_eof && have < L.cap) {
      have += fread(L.buf + have, 1, L.cap - have, c->fp);
      if (have < L.cap) {
        if (ferror(c->fp)) cli_die(c->path, "read error");
        file_eof = 1;
      }
    }
    if (have == 0) break;
    L.len = have < chunk ? have : chunk;
    L.eof = file_eof && L.len == have;
    /* the chunk ends after its last line break (the rest waits for more) */
    for (e = L.len; !L.eof && e > 0 && L.buf[e - 1] != '\n'; e--) {
    }
    for (j = 0; j < threads; j++) {
      part *pt = &L.parts[j];
      pt->start = j ? csv_split_point(L.buf, e, e / threads * j) : 0;
      pt->first_line = j ? 1 : line;
    }
    for (j = 0; j < threads; j++) L.parts[j].target = j + 1 < threads ? L.parts[j + 1].start : e;
    pool_run(p, threads, parse_task, &L);
    /* in file order: keep each part that starts where the one before it
     * stopped, parse the others again from there */
    for (j = 0; j < threads; j++) {
      part         *pt = &L.parts[j];
      size_t        m;
      unsigned long delta;
      if (pt->start != pos || (pt->embeds_line && pt->first_line != ln)) {
        pt->start = pos;
        pt->first_line = ln;
        if (pt->target < pos) pt->target = pos;
        part_parse(&L, pt);
      }
      if (pt->nomem) goto nomem;
      delta = ln - pt->first_line;
      for (m = 0; m < pt->n_msg; m++) {
        const part_msg *g = &pt->msg[m];
        if (g->fatal) cli_die(c->path, "%s", pt->text + g->off);
        bad(ctx, c->path, g->line + delta, g->col, pt->text + g->off);
      }
      if (!(pt->type_map = realloc(pt->type_map, (pt->types.n + 1) * sizeof *pt->type_map)))
        goto nomem;
      for (q = 0; q < pt->types.n; q++) {
        const char *name = strmap_key(&pt->types, q);
        size_t      len = strlen(name);
        uint32_t    h = hash_key(name, len);
        if (!strmap_find_h(&x->types, name, len, h) && x->types.n >= EV_MAX_TYPES)
          cli_die(c->path, "more than 2^25 distinct event types");
        if (strmap_intern(&x->types, name, len, h, &pt->type_map[q]) != 0) goto nomem;
      }
      L.seq_base[j] = seq;
      seq += pt->n_ev;
      if (seq >= NO_INDEX) cli_die(c->path, "more than 4294967294 events");
      pos = pt->stop;
      ln = pt->stop_line + delta;
    }
    pool_run(p, x->n_parts, intern_task, &L);
    if (L.nomem) goto nomem;
    if (L.eof && pos == L.len) break;
    if (pos == 0) { /* a record longer than the chunk: read more at once */
      if (chunk > SIZE_MAX / 2) goto nomem;
      chunk *= 2;
      if (chunk > L.cap) {
        char *b = realloc(L.buf, chunk);
        if (!b) goto nomem;
        L.buf = b;
        L.cap = chunk;
      }
    }
    memmove(L.buf, L.buf + pos, have - pos);
    have -= pos;
    L.base += pos;
    line = ln;
  }
  x->n_ev = seq;
  pool_run(p, x->n_parts, group_task, &L);
  if (L.nomem) goto nomem;
  x->grouped = 1;
  loader_free(&L);
  return;
nomem:
  loader_free(&L);
  cli_die(c->path, "out of memory");
}

void events_free(events_index *x) {
  unsigned q;
  if (x->part)
    for (q = 0; q < x->n_parts; q++) {
      strmap_free(&x->part[q].ids);
      free(x->part[q].ev);
      free(x->part[q].lead);
      free(x->part[q].first_seq);
      free(x->part[q].start);
    }
  free(x->part);
  strmap_free(&x->types);
  memset(x, 0, sizeof *x);
}

/* ---- one row's cells, checked as the parts check them ---------------------------- */

int events_check_cells(size_t id_len, const char *type, int type_known, const char *at, lg_time *t,
                       char *why, size_t cap) {
  char tw[160];
  if (id_len == 0 || id_len > LG_MAX_ID_BYTES) {
    snprintf(why, cap, "%s", id_len ? "lead_id longer than 256 bytes" : "empty lead_id");
    return 1;
  }
  if (!type_known && !name_valid(type)) {
    snprintf(why, cap, "event type '%.64s' is not a name ([a-z][a-z0-9_]{0,63})", type);
    return 2;
  }
  if (at && !cli_parse_time(at, t, tw, sizeof tw)) {
    snprintf(why, cap, "at %s", tw);
    return 3;
  }
  return 0;
}
