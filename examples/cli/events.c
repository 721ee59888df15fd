/*
 * events.c - leadgate-triage's events index (see events.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "events.h"

#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_PER_THREAD ((size_t)4 << 20)
#define AHEAD            16   /* lookups between a slot's prefetch and its use */
#define SMALL_MAP_SLOTS  8192 /* a lead id map of at most this many slots is not prefetched */
#define PLAIN_FIELDS     64   /* the most fields a record read by the fast path has */
#define PLAIN_BYTES      4096 /* and the longest line it takes */
#define TYPE_CACHE       16   /* type indexes a part keeps at hand */

/* ---- the events of a part, bucketed by partition ------------------------------- */

/* The id of a bucket_ev is id_len bytes at id_off in the chunk (a plain
 * row's, read in place: the chunk stays until its events are interned)
 * or, with ID_COPIED, in the bucket's ids (a row the reader read). */
#define ID_LEN_BITS 9 /* LG_MAX_ID_BYTES < 2^ID_LEN_BITS */
#define ID_COPIED   ((uint64_t)1 << ID_LEN_BITS)
#define AT_SHIFT    (ID_LEN_BITS + 1)
typedef char id_len_fits[LG_MAX_ID_BYTES < (1 << ID_LEN_BITS) ? 1 : -1];

typedef struct bucket_ev {
  uint64_t at_id; /* (at - LG_TIME_MIN) << AT_SHIFT | ID_COPIED or not | id_len */
  uint32_t h, type, seq;
  uint32_t id_off;
} bucket_ev;

typedef struct bucket {
  bucket_ev *ev;
  size_t     n, cap;
  char      *ids; /* the ids, one after the other */
  size_t     ids_len, ids_cap;
} bucket;

typedef struct part_msg {
  unsigned long line, col;
  size_t        off; /* in text */
  int           fatal;
} part_msg;

/* A type of the part's map at hand: its key there (NULL: none), length
 * and index, and for a length of 8 to 16 bytes its first and last eight
 * bytes (which then make the key).  Adding a type may move the keys: the
 * cache is emptied then. */
typedef struct type_seen {
  const char *key;
  uint64_t    head, tail;
  size_t      len;
  uint32_t    ty;
} type_seen;

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
  char          hour[16]; /* YYYY-MM-DDTHH: of the last UTC time read (zeros before) */
  lg_time       hour_start;
  csv_reader    r; /* for the records the fast path leaves, once r_open */
  int           r_open;
  type_seen     type_cache[TYPE_CACHE]; /* see part_plain */
} part;

typedef struct loader {
  events_index *x;
  const char   *path;
  char         *buf;
  size_t        len, cap;
  int           eof, trim, col_id, col_type, col_at;
  size_t        expect;
  int           plain;               /* the fast path is on (see scan_plain) */
  int           in_place;            /* its ids are referred to in the chunk (offsets fit) */
  signed char   role[PLAIN_FIELDS];  /* field i is 0 lead_id, 1 type, 2 at, -1 else */
  signed char   comma[PLAIN_FIELDS]; /* role[i] for a field i a comma ends, -2 for the last */
  uint64_t      base;                /* file offset of buf[0] */
  part         *parts;
  unsigned      n_parts;
  uint64_t      n_map; /* x->n_parts, at hand for part_append */
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
  if (b->n == b->cap) {
    size_t     cap = b->cap ? b->cap * 2 : 1024;
    bucket_ev *e = realloc(b->ev, cap * sizeof *e);
    if (!e) return -1;
    b->ev = e;
    b->cap = cap;
  }
  if (b->ids_cap - b->ids_len < id_len) {
    char *p = grow(b->ids, &b->ids_cap, b->ids_len + id_len, 1, &nomem);
    if (!p) return -1;
    b->ids = p;
  }
  return 0;
}

/* Room for about n events and id_bytes of ids in an empty bucket, fresh
 * rather than grown (nothing to copy). */
static int bucket_presize(bucket *b, size_t n, size_t id_bytes) {
  if (b->cap < n) {
    free(b->ev);
    b->cap = 0;
    if (!(b->ev = malloc(n * sizeof *b->ev))) return -1;
    b->cap = n;
  }
  if (b->ids_cap < id_bytes) {
    free(b->ids);
    b->ids_cap = 0;
    if (!(b->ids = malloc(id_bytes))) return -1;
    b->ids_cap = id_bytes;
  }
  return 0;
}

static void bucket_free(bucket *b) {
  free(b->ev);
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

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#  define EV_LITTLE_ENDIAN 1
#else
#  define EV_LITTLE_ENDIAN 0
#endif

/* Nonzero unless the bytes of w are 0..9 but the bytes 2 and 5, which
 * are 0: NN:NN:NN xor "00:00:00" when it is digits and colons. */
static inline uint64_t not_digits_and_colons(uint64_t w) {
  return ((((w & CSV_REP(0x7f)) + CSV_REP(0x80 - 10)) | w) & CSV_REP(0x80)) |
         (w & UINT64_C(0x0000ff0000ff0000));
}

/* The seconds into the day of YYYY-MM-DDTHH:MM:SSZ (s[0..len)), or -1
 * when s has another form (the date is not looked at). */
static long utc_seconds(const char *s, size_t len) {
  if (len != 20 || s[10] != 'T' || s[19] != 'Z') return -1;
#if EV_LITTLE_ENDIAN
  {
    /* HH:MM:SS at once: digits become 0..9 and the colons 0, anything
     * else some other byte */
    uint64_t w = load_word(s + 11) ^ UINT64_C(0x30303a30303a3030);
    unsigned h1, m1, s1;
    if (not_digits_and_colons(w)) return -1;
    h1 = (unsigned)(w & 0xff) * 10 + (unsigned)(w >> 8 & 0xff);
    m1 = (unsigned)(w >> 24 & 0xff);
    s1 = (unsigned)(w >> 48 & 0xff);
    if (h1 > 23 || m1 > 5 || s1 > 5) return -1;
    return (long)h1 * 3600 + (long)(m1 * 10 + (w >> 32 & 0xff)) * 60 + (long)(s1 * 10 + (w >> 56));
  }
#else
  {
    static const unsigned char at[6] = { 11, 12, 14, 15, 17, 18 };
    int                        i, d[6];
    if (s[13] != ':' || s[16] != ':') return -1;
    for (i = 0; i < 6; i++) {
      d[i] = s[at[i]] - '0';
      if (d[i] < 0 || d[i] > 9) return -1;
    }
    if (d[0] * 10 + d[1] > 23 || d[2] > 5 || d[4] > 5) return -1;
    return (long)(d[0] * 10 + d[1]) * 3600 + (d[2] * 10 + d[3]) * 60 + d[4] * 10 + d[5];
  }
#endif
}

/* A time cell s[0..len) (no NUL among its bytes), as cli_parse_time
 * reads it: 1 with *t, or 0 when it does not read (cli_parse_time on it
 * says why).  sec is utc_seconds(s, len).  The date of a UTC time parsed
 * in full is kept for part_time. */
static int part_time_full(part *pt, const char *s, size_t len, long sec, lg_time *t) {
  if (sec < 0 && len <= 12) { /* epoch seconds of at most 12 digits, no sign, in range */
    uint64_t v = 0;
    size_t   i;
    for (i = 0; i < len && (unsigned)((unsigned char)s[i] - '0') < 10u; i++)
      v = v * 10 + (unsigned)((unsigned char)s[i] - '0');
    if (len && i == len && v <= (uint64_t)LG_TIME_MAX) {
      *t = (lg_time)v;
      return 1;
    }
  }
  if (lg_time_parse(s, len, t) != LG_OK) return 0;
  if (sec >= 0) {
    memcpy(pt->day, s, 10);
    pt->day_start = *t - sec;
  }
  return 1;
}

/* The seconds into the hour of a UTC time s[0..20) from its MM:SSZ, or
 * -1 when those bytes are not of that form. */
static inline long utc_hour_seconds(const char *s) {
#if EV_LITTLE_ENDIAN
  /* s[14..20) as the bytes 0..5 of w: digits become 0..9, the colon and
   * the Z 0, anything else some other byte */
  uint64_t w = (load_word(s + 12) ^ UINT64_C(0x5a30303a30300000)) >> 16;
  unsigned m1, s1;
  if (not_digits_and_colons(w)) return -1;
  m1 = (unsigned)(w & 0xff);
  s1 = (unsigned)(w >> 24 & 0xff);
  if (m1 > 5 || s1 > 5) return -1;
  return (long)(m1 * 10 + (w >> 8 & 0xff)) * 60 + (long)(s1 * 10 + (w >> 32 & 0xff));
#else
  (void)s;
  return -1;
#endif
}

/* part_time_full, but the events of a file often share their day, and
 * their hour: a UTC time in the hour of the last one read takes only its
 * minutes and seconds from the cell; one on the day of the last one parsed
 * in full only its time of day.  (Before the first, pt->hour and pt->day
 * are zeros, which no cell holds: the reader refuses a NUL byte, and a
 * line with one is not plain.) */
static inline int part_time(part *pt, const char *s, size_t len, lg_time *t) {
  long sec;
  int  ok;
  if (len == 20 && load_word(s) == load_word(pt->hour) &&
      load_word(s + 6) == load_word(pt->hour + 6) && (sec = utc_hour_seconds(s)) >= 0) {
    *t = pt->hour_start + sec;
    return 1;
  }
  sec = utc_seconds(s, len);
  if (sec >= 0 && load_word(s) == load_word(pt->day) && s[8] == pt->day[8] && s[9] == pt->day[9]) {
    *t = pt->day_start + sec;
    ok = 1;
  } else {
    ok = part_time_full(pt, s, len, sec, t);
  }
  if (ok && sec >= 0 && EV_LITTLE_ENDIAN) {
    memcpy(pt->hour, s, 14);
    pt->hour_start = *t - sec % 3600;
  }
  return ok;
}

/* Event number pt->n_ev (lead id id[0..id_len), 1 <= id_len <=
 * LG_MAX_ID_BYTES, type index ty, time t) into its bucket, its id copied
 * there unless `in_place` (id is then in the chunk). */
static inline void part_append(const loader *L, part *pt, const char *id, size_t id_len,
                               uint32_t ty, lg_time t, int in_place) {
  uint32_t   h = hash_key(id, id_len);
  bucket    *b = &pt->b[(size_t)((h * L->n_map) >> 32)];
  bucket_ev *v;
  size_t     copy = in_place ? 0 : id_len;
  if ((b->n == b->cap || b->ids_cap - b->ids_len < copy) && bucket_reserve(b, copy) != 0) {
    pt->nomem = 1;
    return;
  }
  v = &b->ev[b->n++];
  v->at_id = (uint64_t)(t - LG_TIME_MIN) << AT_SHIFT | id_len;
  v->h = h;
  v->type = ty;
  v->seq = pt->n_ev++;
  if (in_place) {
    v->id_off = (uint32_t)(id - L->buf);
  } else {
    v->at_id |= ID_COPIED;
    v->id_off = (uint32_t)b->ids_len;
    memcpy(b->ids + b->ids_len, id, id_len);
    b->ids_len += id_len;
  }
}

static void type_cache_clear(part *pt) {
  unsigned q;
  for (q = 0; q < TYPE_CACHE; q++) pt->type_cache[q].key = NULL;
}

/* One record of the part from the CSV reader: its event into the
 * buckets, or a message. */
static void part_record(const loader *L, part *pt, const csv_reader *cr) {
  const char *id = cr->fields[L->col_id], *type = cr->fields[L->col_type];
  const char *at = cr->fields[L->col_at];
  size_t      id_len = cr->lens[L->col_id], type_len = cr->lens[L->col_type];
  uint32_t    type_h, ty;
  const char *e;
  lg_time     t;
  char        why[192], tw[160];

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
  if (!part_time(pt, at, cr->lens[L->col_at], &t)) {
    (void)cli_parse_time(at, &t, tw, sizeof tw);
    snprintf(why, sizeof why, "at %s", tw);
    part_message(pt, cr->pos[L->col_at].line, cr->pos[L->col_at].col, why, 0);
    return;
  }
  if (ty == NO_INDEX) {
    if (strmap_add(&pt->types, type, type_len, type_h, &ty) != 0) {
      pt->nomem = 1;
      return;
    }
    type_cache_clear(pt);
  }
  part_append(L, pt, id, id_len, ty, t, 0);
}

/* ---- the fast path: plain records ----------------------------------------------------
 *
 * Most event rows are plain: no quote, no byte at or below ' ' but the LF
 * that ends them, the header's number of fields, a known type and a time
 * that reads.  Such a row is taken straight from the chunk, without the
 * CSV reader: the reader would give the same fields (nothing to unquote,
 * trim or refuse) and part_record the same event.  Any other row, and any
 * row whose event part_record would refuse, goes to the reader, so every
 * message comes from there. */

/* A plain line: where its fields of interest are, and where it ends. */
typedef struct plain {
  const char *f[3]; /* lead_id, type, at */
  size_t      len[3];
  size_t      next; /* just past its LF */
} plain;

enum { PLAIN_NO, PLAIN_RECORD, PLAIN_BLANK };

/* Whether the line at buf[off] (in the chunk) is a plain record or a blank
 * line "\n" (the reader skips both the same way), or PLAIN_NO: anything
 * else, for the reader.  Eight bytes at a time: csv_flags flags ',' and LF
 * and all the bytes that make a line not plain. */
static int scan_plain(const loader *L, size_t off, plain *pl) {
  const char *const buf = L->buf;
  const char *const lim = buf + (L->len - off < PLAIN_BYTES ? L->len : off + PLAIN_BYTES);
  const char       *p = buf + off, *field = p;
  size_t            nf = 0;
  if (p < lim && *p == '\n') {
    pl->next = off + 1;
    return PLAIN_BLANK;
  }
  /* the words may run past lim, up to 7 bytes past the data (zeros there:
   * see events_load): the scan ends at the first word from lim on, so
   * only the LF need be before lim (a comma or another flagged byte from
   * lim on may be taken for one of the line, the line is refused anyway) */
  for (; p < lim; p += 8) {
    uint64_t m = csv_flags(load_word(p));
    while (m) {
      const char *q = p + csv_first_flag(m);
      int         c = (unsigned char)*q, role;
      m &= m - 1;
      if (c == ',') { /* nf < L->expect: the last field's comma returns */
        role = L->comma[nf++];
        if (role >= 0) {
          pl->f[role] = field;
          pl->len[role] = (size_t)(q - field);
        } else if (role != -1) {
          return PLAIN_NO;
        }
        field = q + 1;
        continue;
      }
      if (c != '\n') {
        if (c <= ' ' || c == '"') return PLAIN_NO;
        continue;
      }
      if (q >= lim || nf + 1 != L->expect) return PLAIN_NO;
      role = L->role[nf];
      if (role >= 0) {
        pl->f[role] = field;
        pl->len[role] = (size_t)(q - field);
      }
      pl->next = (size_t)(q + 1 - buf);
      return PLAIN_RECORD;
    }
  }
  return PLAIN_NO;
}

/* A plain record's event into the buckets, as part_record would put it:
 * 1, or 0 when part_record must see it (it would refuse it, or add its
 * type).  A file has few event types: the part keeps the index of the
 * last one seen for each (length + first byte) mod TYPE_CACHE, and only
 * looks up the map when that one is another type. */
static int part_plain(const loader *L, part *pt, const plain *pl) {
  const char *type = pl->f[1];
  size_t      type_len = pl->len[1];
  type_seen  *c = &pt->type_cache[(type_len + (unsigned char)type[0]) % TYPE_CACHE];
  uint32_t    ty = c->ty;
  lg_time     t;
  if (pl->len[0] == 0 || pl->len[0] > LG_MAX_ID_BYTES) return 0;
  if (!(c->key && c->len == type_len &&
        (type_len >= 8 && type_len <= 16
             ? load_word(type) == c->head && load_word(type + type_len - 8) == c->tail
             : key_eq(c->key, type, type_len)))) {
    const char *e = strmap_find_h(&pt->types, type, type_len, hash_key(type, type_len));
    if (!e) return 0;
    c->key = e + ENTRY_HEAD;
    c->len = type_len;
    if (type_len >= 8 && type_len <= 16) {
      c->head = load_word(type);
      c->tail = load_word(type + type_len - 8);
    }
    c->ty = ty = entry_value(e, 0);
  }
  if (!part_time(pt, pl->f[2], pl->len[2], &t)) return 0;
  part_append(L, pt, pl->f[0], pl->len[0], ty, t, L->in_place);
  return 1;
}

/* Empties the part for parsing buf[pt->start .. pt->target) and sizes its
 * buckets for the events of that many bytes, as a guess: 0, or -1 when
 * out of memory. */
static int part_reset(const loader *L, part *pt) {
  unsigned q;
  size_t   bytes = pt->target > pt->start ? pt->target - pt->start : 0;
  size_t   per = bytes / L->x->n_parts;
  for (q = 0; q < L->x->n_parts; q++) {
    pt->b[q].n = pt->b[q].ids_len = 0;
    /* with the fast path, the ids of plain rows stay in the chunk */
    if (bucket_presize(&pt->b[q], per / 32 + 64, L->in_place ? 0 : per / 4 + 256) != 0) return -1;
  }
  type_cache_clear(pt);
  strmap_free(&pt->types);
  pt->n_msg = pt->text_len = 0;
  pt->n_ev = 0;
  pt->embeds_line = pt->fatal = 0;
  return 0;
}

/* Parses buf[pt->start ..) until a record starts at or after pt->target,
 * or (before the end of the file) a record reaches the end of the chunk
 * and may be cut: the next part must then start at that record.  Plain
 * lines take the fast path; the reader reads the rest, started over
 * where needed (r_at: where it stands, when it has just read a record). */
static void part_parse(const loader *L, part *pt) {
  csv_reader   *r = &pt->r;
  size_t        pos = pt->start, prev_end = pt->start, r_at = SIZE_MAX;
  unsigned long line = pt->first_line, prev_line = pt->first_line;
  int           st, cut = 0;

  if (part_reset(L, pt) != 0) {
    pt->nomem = 1;
    return;
  }
  pt->stop = pt->start;
  pt->stop_line = pt->first_line;
  if (L->len == pt->start) goto done;
  for (;;) {
    size_t off, end;
    plain  pl;
    int    k = L->plain ? scan_plain(L, pos, &pl) : PLAIN_NO;
    if (k == PLAIN_BLANK) {
      pos = pl.next;
      line++;
      continue;
    }
    if (k == PLAIN_RECORD) {
      if (pos >= pt->target) break;
      if (!L->eof && pl.next >= L->len) {
        cut = 1;
        pt->stop = pos;
        pt->stop_line = line;
        break;
      }
      if (part_plain(L, pt, &pl)) {
        prev_end = pos = pl.next;
        prev_line = ++line;
        if (pt->nomem) break;
        continue;
      }
    }
    /* the reader, from pos; offsets are the file's (never 0: the header
     * comes first), so a byte order mark counts only at the start of the
     * file */
    if (!pt->r_open) {
      if (csv_open_mem(r, L->buf + pos, L->len - pos, L->base + pos, line, L->trim) != 0) {
        pt->nomem = 1;
        return;
      }
      pt->r_open = 1;
      r->expect_fields = L->expect;
    } else if (r_at != pos) {
      csv_seek_mem(r, L->buf + pos, L->len - pos, L->base + pos, line);
    }
    st = csv_next(r);
    if (st == CSV_EOF) break;
    off = (size_t)(r->record_offset - L->base);
    end = (size_t)(csv_tell(r) - L->base);
    if (off >= pt->target) break;
    if (!L->eof && end >= L->len) {
      cut = 1;
      pt->stop = off;
      pt->stop_line = r->record_line;
      break;
    }
    if (st == CSV_FATAL) {
      part_message(pt, r->error_line, r->error_col, r->error, 1);
      pt->fatal = 1;
      prev_end = end;
      prev_line = r->line;
      break;
    }
    if (st == CSV_BAD) {
      if (strncmp(r->error, "unterminated", 12) == 0) pt->embeds_line = 1;
      part_message(pt, r->error_line, r->error_col, r->error, 0);
    } else {
      part_record(L, pt, r);
    }
    prev_end = pos = r_at = end;
    prev_line = line = r->line;
    if (pt->nomem) break;
  }
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
    {
      /* in locals: the stores below may alias the map's fields for the compiler */
      const bucket_ev *v = b->ev;
      const size_t     n = b->n;
      const uint32_t  *type_map = pt->type_map;
      const char      *ids = b->ids, *chunk = L->buf;
      const uint64_t   seq0 = L->seq_base[j];
      uint64_t        *ev = P->ev + P->n_ev;
      uint32_t        *lead = P->lead + P->n_ev;
      /* a map that fits in the cache gains nothing from the hints */
      const int ahead = P->ids.n_slots > SMALL_MAP_SLOTS;
      for (i = 0; i < n; i++, v++) {
        uint32_t    n_before = P->ids.n, k;
        size_t      len = (size_t)(v->at_id & (ID_COPIED - 1));
        const char *id = (v->at_id & ID_COPIED ? ids : chunk) + v->id_off;
        if (ahead) {
          if (i + AHEAD < n) strmap_prefetch_slot(&P->ids, v[AHEAD].h);
          if (i + AHEAD / 2 < n) strmap_prefetch_entry(&P->ids, v[AHEAD / 2].h);
        }
        if (strmap_intern(&P->ids, id, len, v->h, &k) != 0) goto nomem;
        if (k == n_before) { /* a new lead id */
          if (k >= P->cap_first) {
            int       nm = 0;
            uint32_t *f = grow(P->first_seq, &P->cap_first, (size_t)k + 1, sizeof *f, &nm);
            if (!f) goto nomem;
            P->first_seq = f;
          }
          P->first_seq[k] = (uint32_t)(seq0 + v->seq);
        }
        ev[i] = (v->at_id >> AT_SHIFT) << EV_TYPE_BITS | type_map[v->type];
        lead[i] = k;
      }
      P->n_ev += n;
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
    if (pt->r_open) csv_close(&pt->r);
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
  /* the fast path, unless the environment asks for the reader alone
   * (LEADGATE_TRIAGE_READER=1, for tests: the same results either way) */
  L.plain = EV_LITTLE_ENDIAN && L.expect >= 1 && L.expect <= PLAIN_FIELDS &&
            !((env = getenv("LEADGATE_TRIAGE_READER")) != NULL && strcmp(env, "1") == 0);
  memset(L.role, -1, sizeof L.role);
  for (j = 0; j < 3; j++)
    if ((size_t)col[j] >= L.expect || col[j] >= PLAIN_FIELDS)
      L.plain = 0;
    else
      L.role[col[j]] = (signed char)j;
  memcpy(L.comma, L.role, sizeof L.comma);
  if (L.plain) L.comma[L.expect - 1] = -2;
  /* more partitions than threads: smaller steps while grouping */
  x->n_parts = threads < EV_PARTITIONS ? EV_PARTITIONS : threads;
  L.n_parts = threads;
  L.n_map = x->n_parts;
  x->part = calloc(x->n_parts, sizeof *x->part);
  L.parts = calloc(threads, sizeof *L.parts);
  L.seq_base = calloc(threads, sizeof *L.seq_base);
  chunk = CHUNK_PER_THREAD;
  if ((env = getenv("LEADGATE_TRIAGE_CHUNK")) != NULL && atol(env) > 0) chunk = (size_t)atol(env);
  chunk *= threads;
  /* what the header's reader has read beyond the header comes first */
  have = hr->end - hr->beg;
  L.cap = have > chunk ? have : chunk;
  L.buf = malloc(L.cap + 8); /* 8 zero bytes after the data: see scan_plain */
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
    memset(L.buf + have, 0, 8);
    L.len = have < chunk ? have : chunk;
    L.eof = file_eof && L.len == have;
    L.in_place = L.plain && L.len <= UINT32_MAX;
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
        char *b = realloc(L.buf, chunk + 8);
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
