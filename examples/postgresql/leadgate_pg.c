/*
 * leadgate_pg.c - the leadgate PostgreSQL extension (CREATE EXTENSION
 * leadgate): scoring, decisions, explanations, follow-up SLAs and business
 * calendars as SQL functions in schema `leadgate`.
 *
 * Memory.  The library is linked in statically, so this module has its own
 * copy of the library's one global, the allocator, and sets it in _PG_init,
 * before the library can have allocated anything (lg_set_allocator must be
 * called before the first allocation and applies to the whole process).
 * The allocator puts every block in a PostgreSQL memory context:
 *   - definitions (rubrics, policies, calendars) are parsed into a context
 *     of their own, a child of "leadgate cache"; evicting one deletes its
 *     context, so nothing a definition allocated can outlive it;
 *   - a call site (one function call in one query) builds its rows'
 *     leads in one lead of its own, reset for each row (so a row like the
 *     earlier ones allocates nothing), in the call site's context
 *     (fn_mcxt), which goes with the query.  An error raised half way
 *     leaves it to be reset by the next row, or released with the query:
 *     nothing leaks across errors, and no PG_TRY is needed.
 * The allocator asks for memory with MCXT_ALLOC_NO_OOM, so an allocation
 * failure is a NULL the library turns into LG_ERR_NOMEM (failure-atomic)
 * and this module into ERROR 53200; nothing ever longjmps through library
 * frames.  malloc would have worked too, but then a lead alive when an
 * ERROR is raised (the ERROR leaves the query) would leak until the
 * backend exits.
 *
 * Per row.  What a query pays per row is kept to the lead itself: attrs
 * are read from the jsonb container in place and the event arrays from
 * their data areas (no deconstruction, no copies); the keys and event
 * types of earlier rows are remembered per call site, checked once and
 * known as read or not read by the definitions; events go to the lead in
 * one lg_lead_add_events; points are written as numeric directly.
 *
 * Cache.  Parsed definitions are kept per backend, keyed by their full
 * text (hash, then length and bytes compared), with the most recently used
 * entry of each kind checked first: a query over a million rows with one
 * rubric parses it once.  The cache is bounded by leadgate.cache_entries
 * (default 64) and leadgate.cache_memory (default 64 MB, counting the
 * memory of the definitions' contexts); the least recently used entries
 * are evicted past either bound, except the ones the current call uses
 * (so a decide call keeps its rubric and policy even with a bound of one).
 *
 * Every function is IMMUTABLE PARALLEL SAFE: the library is pure and the
 * caller passes `now`; each parallel worker has its own cache.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include <inttypes.h>

#include <leadgate.h>

PG_MODULE_MAGIC;

void _PG_init(void);

/* ---- allocator ---------------------------------------------------------- */

/* Each block carries its size, for realloc (PostgreSQL 15 has no
 * repalloc that returns NULL on failure); 16 bytes keep MAXALIGN. */
typedef struct block_head {
  size_t size;
  size_t pad;
} block_head;

static MemoryContext alloc_target;   /* NULL: CurrentMemoryContext */
static int           fail_after = -1; /* leadgate.debug_fail_allocation_after */
static int           alloc_count;

static void fail_after_assign(int value, void *extra) {
  (void)value;
  (void)extra;
  alloc_count = 0;
}

static void *block_alloc(MemoryContext cxt, size_t size) {
  block_head *h;
  if (fail_after >= 0 && alloc_count++ >= fail_after) return NULL;
  if (size > MaxAllocHugeSize - sizeof(block_head)) return NULL;
  h = MemoryContextAllocExtended(cxt, sizeof *h + size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
  if (!h) return NULL;
  h->size = size;
  return h + 1;
}

static void *pg_malloc_fn(void *ud, size_t size) {
  (void)ud;
  return block_alloc(alloc_target ? alloc_target : CurrentMemoryContext, size);
}

static void *pg_realloc_fn(void *ud, void *ptr, size_t size) {
  block_head *old;
  void       *p;
  (void)ud;
  if (!ptr) return pg_malloc_fn(ud, size);
  old = (block_head *)ptr - 1;
  /* the new block goes where the old one was: a definition's blocks stay
   * in its context, a lead's in the caller's */
  if (!(p = block_alloc(GetMemoryChunkContext(old), size))) return NULL;
  memcpy(p, ptr, Min(old->size, size));
  pfree(old);
  return p;
}

static void pg_free_fn(void *ud, void *ptr) {
  (void)ud;
  pfree((block_head *)ptr - 1);
}

/* ---- small helpers -------------------------------------------------------- */

#define SECS_2000_SINCE_1970 INT64CONST(946684800)

static void no_memory(void) {
  ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                  errdetail("An allocation inside leadgate failed.")));
}

/* Maps a library status that only a bug or a missed check here could
 * produce. */
static void check(lg_status st, const char *what) {
  if (st == LG_OK) return;
  if (st == LG_ERR_NOMEM) no_memory();
  if (st == LG_ERR_RANGE)
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("leadgate: %s: %s", what, lg_status_message(st))));
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("leadgate: %s: %s", what, lg_status_message(st))));
}

static lg_time to_lg_time(TimestampTz ts, const char *what, int index) {
  int64 secs;
  if (TIMESTAMP_NOT_FINITE(ts))
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    index ? errmsg("%s[%d] is infinite", what, index)
                          : errmsg("%s is infinite", what)));
  secs = ts / USECS_PER_SEC;
  if (ts % USECS_PER_SEC < 0) secs--; /* floor: the fraction is dropped */
  secs += SECS_2000_SINCE_1970;
  if (secs < LG_TIME_MIN || secs > LG_TIME_MAX)
    ereport(ERROR,
            (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
             index ? errmsg("%s[%d] is outside the years 0001 to 9999", what, index)
                   : errmsg("%s is outside the years 0001 to 9999", what)));
  return secs;
}

static Datum time_datum(lg_time t, bool *isnull) {
  *isnull = (t == LG_TIME_NEVER);
  return *isnull ? (Datum)0 : TimestampTzGetDatum((t - SECS_2000_SINCE_1970) * USECS_PER_SEC);
}

static Datum interval_datum(lg_duration secs) {
  Interval *iv = palloc0(sizeof *iv);
  iv->time = secs * USECS_PER_SEC;
  return IntervalPGetDatum(iv);
}

/* Room for a numeric of up to 7 base-10000 digits (what points_datum
 * writes), int-aligned as a varlena must be. */
typedef union numeric_buf {
  char  bytes[VARHDRSZ + sizeof(uint16) * 8];
  int32 align;
} numeric_buf;

#define POINTS_SHORT_MAX INT64CONST(100000000000000000) /* 10^17: v * 10 fits */

/* Milli-points as numeric with three decimals: the value
 * int64_div_fast_to_numeric(p, 3) gives, byte for byte, written into buf
 * (the datum lives as long as buf; the result row copies it) instead of
 * a palloc'd one.  The short form of numeric's stored format (see
 * short_numeric_int64): header 0x8000 | sign 0x2000 | scale 3 << 7 |
 * weight, then the base-10000 digits from the first nonzero one to the
 * last nonzero one; zero has no digits and weight 0. */
static Datum points_datum(lg_points p, numeric_buf *buf) {
  uint16 dig[8], *out = (uint16 *)(buf->bytes + VARHDRSZ);
  uint64 v;
  int    n = 0, lo = 0, weight = 0, k;
  if (p < -POINTS_SHORT_MAX || p > POINTS_SHORT_MAX)
    return NumericGetDatum(int64_div_fast_to_numeric(p, 3));
  /* tenths of a thousandth's digit group: p / 1000 = v / 10^4, one
   * base-10000 digit after the point */
  v = (uint64)(p < 0 ? -p : p) * 10;
  for (; v; v /= 10000) dig[n++] = (uint16)(v % 10000); /* dig[k] is at 10000^(k - 1) */
  while (lo < n && dig[lo] == 0) lo++;
  if (lo < n) weight = n - 2;
  out[0] = (uint16)(0x8000 | (p < 0 ? 0x2000 : 0) | (3 << 7) | (weight < 0 ? 0x0040 : 0) |
                    (weight & 0x003F));
  for (k = n - 1; k >= lo; k--) *++out = dig[k];
  SET_VARSIZE(buf->bytes, VARHDRSZ + sizeof(uint16) * (size_t)(1 + n - lo));
  return PointerGetDatum(buf->bytes);
}

static Datum fingerprint_datum(uint64_t f) {
  char buf[17];
  snprintf(buf, sizeof buf, "%016" PRIx64, f);
  return CStringGetTextDatum(buf);
}

/* A copy of a key or value, cut at a character boundary, for messages. */
static char *shown(const char *s, int len) {
  return pnstrdup(s, pg_mbcliplen(s, len, Min(len, 80)));
}

static void need_utf8(void) {
  if (GetDatabaseEncoding() != PG_UTF8)
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("leadgate needs a database with encoding UTF8")));
}

/* What a call site (one function call in one query) keeps between rows:
 * its result row descriptor, and for definitions passed as constants, the
 * cache entry they were found in (see definition_arg). */
/* A valid name seen in the previous rows (an attrs key or an event type)
 * and whether the definitions read it; len 0: an empty slot. */
typedef struct name_memo {
  uint8 len;
  uint8 kind; /* lg_input_kind */
  bool  wanted;
  char  name[LG_MAX_NAME_BYTES + 1];
} name_memo;

/* An open-addressing table, filled to at most MEMO_FILL names (a CRM
 * with more distinct keys checks the others on every row, as before). */
#define MEMO_SLOTS 64
#define MEMO_FILL  48

typedef struct call_site {
  TupleDesc desc;
  lg_lead  *lead; /* built anew on each row (new_lead) */
  /* the events of a row, as lg_lead_add_events takes them */
  const char **ev_types;
  lg_time     *ev_at;
  int          ev_cap;
  /* names seen on earlier rows, for the definitions of ids memo_for */
  uint64    memo_for[2];
  name_memo names[MEMO_SLOTS];
  int       n_names;
  struct {
    bool        constant;
    const void *datum;
    uint64      epoch; /* cache_epoch when found: no eviction since */
    void       *entry; /* a cache_entry */
  } def[2];
} call_site;

static bool arg_is_const(FmgrInfo *flinfo, int argno) {
  Node *expr = flinfo->fn_expr;
  List *args;
  if (!expr || !IsA(expr, FuncExpr)) return false;
  args = ((FuncExpr *)expr)->args;
  return argno < list_length(args) && IsA(list_nth(args, argno), Const);
}

static call_site *site(FunctionCallInfo fcinfo) {
  call_site *cs = fcinfo->flinfo->fn_extra;
  if (!cs) {
    cs = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *cs);
    cs->def[0].constant = arg_is_const(fcinfo->flinfo, 0);
    cs->def[1].constant = arg_is_const(fcinfo->flinfo, 1);
    fcinfo->flinfo->fn_extra = cs;
  }
  return cs;
}

/* Result row descriptor, looked up once per call site. */
static TupleDesc result_desc(FunctionCallInfo fcinfo) {
  call_site *cs = site(fcinfo);
  if (!cs->desc) {
    TupleDesc     found;
    MemoryContext old;
    if (get_call_result_type(fcinfo, NULL, &found) != TYPEFUNC_COMPOSITE)
      ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                      errmsg("function returning a row called in a context that cannot take one")));
    old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    cs->desc = BlessTupleDesc(CreateTupleDescCopy(found));
    MemoryContextSwitchTo(old);
  }
  return cs->desc;
}

/* ---- names ---------------------------------------------------------------- */

/* A name from the library's lg_X_name; NULL (a value outside the enum)
 * would be a library bug, reported rather than printed as something. */
static Datum name_datum(const char *name, const char *what, int value) {
  if (!name) elog(ERROR, "leadgate: %s %d has no name", what, value);
  return CStringGetTextDatum(name);
}

/* ---- definition cache ----------------------------------------------------- */

typedef enum def_kind { DEF_RUBRIC, DEF_POLICY, DEF_CALENDAR } def_kind;

static const char *const def_names[] = {"rubric", "policy", "calendar"};

typedef struct cache_entry {
  void         *obj;
  uint64        id;   /* unique in the backend's life: what call sites remember */
  def_kind      kind;
  uint32        hash;
  size_t        len;
  const char   *text; /* a copy, in cxt */
  MemoryContext cxt;
  Size          bytes;
  uint64        last_used;
  uint64        call;  /* the call that last used it: never evicted by it */
  /* rubrics: names of the knockout criteria, in text order */
  const char  **knockouts;
  int           n_knockouts;
  /* rubrics and policies: the attributes and event types they read */
  struct input *inputs;
  int           n_inputs;
} cache_entry;

typedef struct input {
  const char   *name; /* points into the definition */
  size_t        len;
  lg_input_kind kind;
} input;

#define CACHE_ENTRIES_MAX 1024

/* Entries live in their definition's context: eviction moves pointers,
 * never an entry, so one the current call holds stays where it is. */
static cache_entry  *cache[CACHE_ENTRIES_MAX];
static int           cache_n;
static int           cache_mru[3] = {-1, -1, -1};
static Size          cache_bytes;
static uint64        cache_clock, call_clock, cache_epoch, entry_ids;
static MemoryContext cache_root;
static int           cache_entries_max = 64;      /* leadgate.cache_entries */
static int           cache_memory_kb = 64 * 1024; /* leadgate.cache_memory */

static void begin_call(void) {
  call_clock++;
  alloc_target = NULL; /* a call that raised an ERROR may have left it set */
  need_utf8();
}

static void evict(int i) {
  cache_bytes -= cache[i]->bytes;
  MemoryContextDelete(cache[i]->cxt);
  cache[i] = cache[--cache_n];
  cache_mru[0] = cache_mru[1] = cache_mru[2] = -1;
  cache_epoch++; /* entries moved */
}

/* Evicts least recently used entries past the bounds (at most `entries`
 * entries), sparing those the current call uses. */
static void enforce_bounds_to(int entries) {
  while (cache_n > entries || cache_bytes > (Size)cache_memory_kb * 1024) {
    int i, lru = -1;
    for (i = 0; i < cache_n; i++)
      if (cache[i]->call != call_clock && (lru < 0 || cache[i]->last_used < cache[lru]->last_used))
        lru = i;
    if (lru < 0) return;
    evict(lru);
  }
}

static void enforce_bounds(void) { enforce_bounds_to(cache_entries_max); }

static void parse_error(def_kind kind, lg_status st, const lg_error *err) {
  if (st == LG_ERR_NOMEM) no_memory();
  if (err->line > 0)
    ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("leadgate: the %s does not parse", def_names[kind]),
                    errdetail("line %u, column %u: %s", err->line, err->column, err->message)));
  ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                  errmsg("leadgate: the %s does not parse", def_names[kind]),
                  errdetail("%s", err->message[0] ? err->message : lg_status_message(st))));
}

/* Knockout names of a fresh rubric, read once from an explanation of an
 * empty lead (its strings point into the rubric). */
static lg_status index_knockouts(cache_entry *e) {
  lg_lead         *lead;
  lg_contribution *items = NULL;
  size_t           n = 0, i;
  lg_status        st;
  if ((st = lg_lead_create("knockouts", &lead)) != LG_OK) return st;
  st = lg_explain(e->obj, lead, 0, NULL, 0, &n);
  if (st == LG_ERR_BUFFER) {
    if (!(items = MemoryContextAllocExtended(e->cxt, n * sizeof *items, MCXT_ALLOC_NO_OOM)) ||
        !(e->knockouts = MemoryContextAllocExtended(e->cxt, n * sizeof *e->knockouts,
                                                    MCXT_ALLOC_NO_OOM)))
      st = LG_ERR_NOMEM;
    else
      st = lg_explain(e->obj, lead, 0, items, n, &n);
  }
  lg_lead_free(lead);
  for (i = 0; st == LG_OK && i < n; i++)
    if (items[i].kind == LG_KIND_KNOCKOUT) e->knockouts[e->n_knockouts++] = items[i].criterion;
  if (items) pfree(items);
  return st;
}

/* What a fresh rubric or policy reads (lg_*_input_at): leads built for it
 * skip the attributes and events nothing reads. */
static lg_status index_inputs(cache_entry *e) {
  size_t n = e->kind == DEF_RUBRIC ? lg_rubric_input_count(e->obj) : lg_policy_input_count(e->obj);
  size_t i;
  if (n == 0) return LG_OK;
  if (!(e->inputs = MemoryContextAllocExtended(e->cxt, n * sizeof *e->inputs, MCXT_ALLOC_NO_OOM)))
    return LG_ERR_NOMEM;
  for (i = 0; i < n; i++) {
    input    *in = &e->inputs[i];
    lg_status st = e->kind == DEF_RUBRIC
                       ? lg_rubric_input_at(e->obj, i, &in->name, &in->kind, NULL)
                       : lg_policy_input_at(e->obj, i, &in->name, &in->kind, NULL);
    if (st != LG_OK) return st;
    in->len = strlen(in->name);
  }
  e->n_inputs = (int)n;
  return LG_OK;
}

static cache_entry *definition(def_kind kind, text *t) {
  const char  *s = VARDATA_ANY(t);
  size_t       len = VARSIZE_ANY_EXHDR(t);
  int          i = cache_mru[kind];
  uint32       hash;
  cache_entry *e;
  MemoryContext cxt;
  char        *copy;
  void        *obj = NULL;
  lg_error     err;
  lg_status    st;

  if (i < 0 || cache[i]->len != len || memcmp(cache[i]->text, s, len) != 0) {
    hash = hash_bytes((const unsigned char *)s, (int)len);
    for (i = 0; i < cache_n; i++)
      if (cache[i]->kind == kind && cache[i]->hash == hash && cache[i]->len == len &&
          memcmp(cache[i]->text, s, len) == 0)
        break;
  }
  if (i < cache_n) {
    e = cache[i];
    cache_mru[kind] = i;
    e->last_used = ++cache_clock;
    e->call = call_clock;
    return e;
  }

  hash = hash_bytes((const unsigned char *)s, (int)len);
  if (!cache_root)
    cache_root = AllocSetContextCreate(TopMemoryContext, "leadgate cache", ALLOCSET_SMALL_SIZES);
  cxt = AllocSetContextCreate(cache_root, "leadgate definition", ALLOCSET_SMALL_SIZES);
  e = MemoryContextAllocExtended(cxt, sizeof *e, MCXT_ALLOC_NO_OOM | MCXT_ALLOC_ZERO);
  copy = e ? MemoryContextAllocExtended(cxt, len + 1, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM) : NULL;
  if (!copy) {
    MemoryContextDelete(cxt);
    no_memory();
  }
  memcpy(copy, s, len);
  copy[len] = '\0';
  alloc_target = cxt;
  switch (kind) {
  case DEF_RUBRIC: st = lg_rubric_parse(copy, len, (lg_rubric **)&obj, &err); break;
  case DEF_POLICY: st = lg_policy_parse(copy, len, (lg_policy **)&obj, &err); break;
  default: st = lg_calendar_parse(copy, len, (lg_calendar **)&obj, &err); break;
  }
  alloc_target = NULL;
  if (st != LG_OK) {
    MemoryContextDelete(cxt);
    parse_error(kind, st, &err);
  }
  e->obj = obj;
  e->id = ++entry_ids;
  e->kind = kind;
  e->hash = hash;
  e->len = len;
  e->text = copy;
  e->cxt = cxt;
  if (kind != DEF_CALENDAR) {
    alloc_target = cxt;
    st = index_inputs(e);
    if (st == LG_OK && kind == DEF_RUBRIC) st = index_knockouts(e);
    alloc_target = NULL;
    if (st != LG_OK) {
      MemoryContextDelete(cxt);
      check(st, "indexing a definition");
    }
  }
  e->bytes = MemoryContextMemAllocated(cxt, true);
  e->last_used = ++cache_clock;
  e->call = call_clock;
  /* room first (the GUC's maximum is the array's size; only the current
   * call's other definition is spared, so this always makes room) */
  enforce_bounds_to(cache_entries_max - 1);
  if (cache_n == CACHE_ENTRIES_MAX) {
    MemoryContextDelete(cxt);
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("leadgate: the definition cache is full")));
  }
  cache[cache_n] = e;
  cache_bytes += e->bytes;
  cache_mru[kind] = cache_n++;
  enforce_bounds();
  return e;
}

/* The definition in argument argno (0 or 1).  A constant argument is the
 * same datum on every row, so its entry is remembered and its text not
 * compared again while no entry was evicted. */
static cache_entry *definition_arg(FunctionCallInfo fcinfo, int argno, def_kind kind) {
  call_site   *cs = site(fcinfo);
  text        *t = PG_GETARG_TEXT_PP(argno);
  cache_entry *e;
  if (cs->def[argno].constant && cs->def[argno].datum == t && cs->def[argno].epoch == cache_epoch) {
    e = cs->def[argno].entry;
    e->last_used = ++cache_clock;
    e->call = call_clock;
    return e;
  }
  e = definition(kind, t);
  if (cs->def[argno].constant) {
    cs->def[argno].datum = t;
    cs->def[argno].epoch = cache_epoch;
    cs->def[argno].entry = e;
  }
  return e;
}

#define POLICY_ARG(n) ((const lg_policy *)definition_arg(fcinfo, n, DEF_POLICY)->obj)
#define CALENDAR_ARG(n) ((const lg_calendar *)definition_arg(fcinfo, n, DEF_CALENDAR)->obj)

/* ---- leads from SQL values -------------------------------------------------- */

/* Copies a name of len bytes into buf (LG_MAX_NAME_BYTES + 1 bytes);
 * false, with lg_name_check's reason in err, when it is not a name. */
static bool copy_name(const char *s, size_t len, char *buf, lg_error *err) {
  if (len > LG_MAX_NAME_BYTES) {
    snprintf(err->message, sizeof err->message, "a name is at most %d bytes, got %zu",
             LG_MAX_NAME_BYTES, len);
    return false;
  }
  memcpy(buf, s, len);
  buf[len] = '\0';
  if (memchr(s, '\0', len) == NULL && lg_name_check(buf, NULL) == LG_OK) return true;
  lg_name_check(buf, err);
  return false;
}

static void bad_attr(const char *key, int len, const char *why, const char *detail) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("attrs key \"%s\": %s", shown(key, len), why),
                  detail ? errdetail("%s", detail) : 0));
}

/* The definitions a lead is built for: only what they read goes into the
 * lead (the answers are the same, and a wide CRM row costs less); the rest
 * is checked all the same, so a bad key or value is an error wherever it
 * is. */
typedef struct read_set {
  const cache_entry *defs[2];
} read_set;

static bool reads(const read_set *rs, lg_input_kind kind, const char *s, size_t len) {
  int d, i;
  for (d = 0; d < 2; d++)
    if (rs->defs[d])
      for (i = 0; i < rs->defs[d]->n_inputs; i++) {
        const input *in = &rs->defs[d]->inputs[i];
        if (in->len == len && in->name[0] == s[0] && in->kind == kind &&
            memcmp(in->name, s, len) == 0)
          return true;
      }
  return false;
}

/* A JSON number as an int64: integers only (3.0 is 3; 3.5 and numbers past
 * the int64 range are errors, never rounded). */
static bool exact_int64(Numeric num, int64 *out) {
  const char *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
  bool        neg = (*s == '-');
  uint64      v = 0, limit = neg ? (uint64)PG_INT64_MAX + 1 : (uint64)PG_INT64_MAX;
  if (neg) s++;
  if (*s < '0' || *s > '9') return false;
  for (; *s >= '0' && *s <= '9'; s++) {
    unsigned d = (unsigned)(*s - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  if (*s == '.')
    for (s++; *s == '0'; s++) continue;
  if (*s) return false;
  *out = neg ? (v == (uint64)PG_INT64_MAX + 1 ? PG_INT64_MIN : -(int64)v) : (int64)v;
  return true;
}

/* The same without printing the number, for the short form of the
 * numeric's stored format (numeric.c; what every numeric made since 9.1
 * has when it fits, a JSON number included): a 16-bit header (0x8000,
 * sign 0x2000, display scale, weight in 7 bits), then base-10000 digits,
 * the first at 10000^weight.  1 and *out set, 0 for a number that is not
 * an integer within int64, -1 for another form (exact_int64 decides). */
static int short_numeric_int64(Numeric num, int64 *out) {
  /* read by memcpy: behind a 1-byte varlena header the words are not
   * aligned */
  const char *p = VARDATA_ANY(num);
  size_t      bytes = VARSIZE_ANY_EXHDR(num);
  int         n, k, weight;
  uint16      head, d;
  bool        neg;
  uint64      v = 0, limit;
  if (bytes < sizeof head || (bytes & 1)) return -1;
  memcpy(&head, p, sizeof head);
  if ((head & 0xC000) != 0x8000) return -1;
  n = (int)(bytes / sizeof head) - 1;
  neg = (head & 0x2000) != 0;
  weight = (head & 0x0040) ? (int)(head & 0x003F) - 64 : (int)(head & 0x003F);
  limit = neg ? (uint64)PG_INT64_MAX + 1 : (uint64)PG_INT64_MAX;
  for (k = 0; k < n; k++) {
    memcpy(&d, p + sizeof head * (size_t)(1 + k), sizeof d);
    if (d > 9999) return -1;
    if (k > weight && d != 0) return 0; /* a fraction */
  }
  if (n > 0 && weight > 4) return 0; /* 10000^5 is past int64 */
  for (k = 0; n > 0 && k <= weight; k++) {
    d = 0;
    if (k < n) memcpy(&d, p + sizeof head * (size_t)(1 + k), sizeof d);
    if (v > (limit - d) / 10000) return 0;
    v = v * 10000 + d;
  }
  *out = neg ? (v == (uint64)PG_INT64_MAX + 1 ? PG_INT64_MIN : -(int64)v) : (int64)v;
  return 1;
}

/* The call site's memory of names, for these definitions (emptied when
 * they change). */
static void memo_for(call_site *cs, const read_set *rs) {
  uint64 a = rs->defs[0] ? rs->defs[0]->id : 0, b = rs->defs[1] ? rs->defs[1]->id : 0;
  int    i;
  if (cs->memo_for[0] == a && cs->memo_for[1] == b) return;
  for (i = 0; i < MEMO_SLOTS; i++) cs->names[i].len = 0;
  cs->n_names = 0;
  cs->memo_for[0] = a;
  cs->memo_for[1] = b;
}

/* memcmp(a, b, len) == 0 for short names, inline: eight bytes at a time. */
static inline bool same_name(const char *a, const char *b, size_t len) {
  for (; len >= 8; a += 8, b += 8, len -= 8) {
    uint64 x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; len > 0; len--)
    if (*a++ != *b++) return false;
  return true;
}

/* The remembered name s[0..len) of kind `kind`, else NULL. */
static const name_memo *memo_find(call_site *cs, lg_input_kind kind, const char *s, size_t len) {
  unsigned h = ((unsigned)len * 131u + (unsigned char)s[0] * 31u + (unsigned char)s[len - 1] +
                (unsigned)kind * 17u) % MEMO_SLOTS;
  for (;; h = (h + 1) % MEMO_SLOTS) {
    const name_memo *m = &cs->names[h];
    if (m->len == 0) return NULL;
    if (m->len == len && m->kind == kind && same_name(m->name, s, len)) return m;
  }
}

/* Remembers the valid name s[0..len) (not remembered yet), with whether
 * rs reads it; NULL when the table is full. */
static const name_memo *memo_add(call_site *cs, const read_set *rs, lg_input_kind kind,
                                 const char *s, size_t len) {
  unsigned   h = ((unsigned)len * 131u + (unsigned char)s[0] * 31u + (unsigned char)s[len - 1] +
                (unsigned)kind * 17u) % MEMO_SLOTS;
  name_memo *m;
  if (cs->n_names >= MEMO_FILL) return NULL;
  while (cs->names[h].len != 0) h = (h + 1) % MEMO_SLOTS;
  m = &cs->names[h];
  m->wanted = reads(rs, kind, s, len);
  m->kind = (uint8)kind;
  memcpy(m->name, s, len);
  m->name[len] = '\0';
  m->len = (uint8)len;
  cs->n_names++;
  return m;
}

/* Reads the object's container in place, in its stored order (keys
 * sorted, then the values in the same order), without unpacking it: a
 * key is found in the call site's memory of the earlier rows' keys at
 * the same position, else checked and remembered. */
static void set_attrs(call_site *cs, lg_lead *lead, const read_set *rs, Jsonb *attrs) {
  JsonbContainer *jc = &attrs->root;
  const char     *base;
  char            name[LG_MAX_NAME_BYTES + 1];
  char            value[LG_MAX_TEXT_BYTES + 1];
  uint32          n, i, koff, voff;
  int             present = 0;
  lg_error        err;

  if (!JB_ROOT_IS_OBJECT(attrs))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("attrs must be a JSON object"),
                    errdetail("Got a JSON %s.", JB_ROOT_IS_SCALAR(attrs) ? "scalar" : "array")));
  memo_for(cs, rs);
  n = JsonContainerSize(jc);
  base = (const char *)&jc->children[n * 2];
  koff = 0;
  voff = n ? getJsonbOffset(jc, (int)n) : 0;
  for (i = 0; i < n; i++) {
    JEntry      ke = jc->children[i], ve = jc->children[n + i];
    uint32      kend = JBE_HAS_OFF(ke) ? JBE_OFFLENFLD(ke) : koff + JBE_OFFLENFLD(ke);
    uint32      vend = JBE_HAS_OFF(ve) ? JBE_OFFLENFLD(ve) : voff + JBE_OFFLENFLD(ve);
    const char *key = base + koff, *val = base + voff;
    int         key_len = (int)(kend - koff), val_len = (int)(vend - voff);
    const name_memo *m = key_len > 0 && key_len <= LG_MAX_NAME_BYTES
                             ? memo_find(cs, LG_INPUT_ATTRIBUTE, key, (size_t)key_len)
                             : NULL;
    const char *nm;
    bool        wanted;
    lg_status   st = LG_OK;
    int64       iv;
    int         dec;
    koff = kend;
    voff = vend;
    if (m) {
      wanted = m->wanted;
      nm = m->name;
    } else {
      /* a name a definition reads is valid (the parsers check names) */
      wanted = reads(rs, LG_INPUT_ATTRIBUTE, key, (size_t)key_len);
      if (!wanted && !copy_name(key, (size_t)key_len, name, &err))
        bad_attr(key, key_len, "not a valid attribute name ([a-z][a-z0-9_]{0,63})", err.message);
      if ((m = memo_add(cs, rs, LG_INPUT_ATTRIBUTE, key, (size_t)key_len)) != NULL) {
        nm = m->name;
      } else {
        memcpy(name, key, (size_t)key_len);
        name[key_len] = '\0';
        nm = name;
      }
    }
    switch (ve & JENTRY_TYPEMASK) {
    case JENTRY_ISNULL: continue; /* absent */
    case JENTRY_ISBOOL_TRUE:
    case JENTRY_ISBOOL_FALSE:
      if (wanted) st = lg_lead_set_bool(lead, nm, (ve & JENTRY_TYPEMASK) == JENTRY_ISBOOL_TRUE);
      break;
    case JENTRY_ISNUMERIC: {
      /* numbers are stored int-aligned */
      Numeric num = (Numeric)(base + INTALIGN(vend - (uint32)val_len));
      dec = short_numeric_int64(num, &iv);
      if (dec == 0 || (dec < 0 && !exact_int64(num, &iv)))
        bad_attr(key, key_len, "numbers must be integers within the bigint range", NULL);
      if (wanted) st = lg_lead_set_int(lead, nm, iv);
      break;
    }
    case JENTRY_ISSTRING:
      if (val_len > LG_MAX_TEXT_BYTES)
        bad_attr(key, key_len, "text values are at most 1024 bytes", NULL);
      if (!wanted) break;
      memcpy(value, val, (size_t)val_len);
      value[val_len] = '\0';
      st = lg_lead_set_text(lead, nm, value);
      if (st == LG_ERR_INVALID &&
          lg_text_check(value, (size_t)val_len, LG_MAX_TEXT_BYTES, &err) != LG_OK)
        bad_attr(key, key_len, "not a valid text value", err.message);
      break;
    default:
      bad_attr(key, key_len, "values must be strings, integers, booleans or null, not objects or arrays",
               NULL);
    }
    /* the lead's limit, counted over every attribute given */
    if (++present > LG_MAX_ATTRIBUTES || st == LG_ERR_LIMIT)
      bad_attr(key, key_len, "a lead holds at most 256 attributes", NULL);
    check(st, "attrs");
  }
}

/* Elements of a one-dimensional array (NULL: none). */
static int array_items(ArrayType *a, Oid type, int16 elmlen, bool byval, char align,
                       const char *what, Datum **items, bool **nulls) {
  int n;
  if (!a) {
    *items = NULL;
    *nulls = NULL;
    return 0;
  }
  if (ARR_NDIM(a) > 1)
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("%s must be a one-dimensional array", what)));
  deconstruct_array(a, type, elmlen, byval, align, items, nulls, &n);
  return n;
}

static int text_items(ArrayType *a, const char *what, Datum **items, bool **nulls) {
  return array_items(a, TEXTOID, -1, false, TYPALIGN_INT, what, items, nulls);
}

static int time_items(ArrayType *a, const char *what, Datum **items, bool **nulls) {
  return array_items(a, TIMESTAMPTZOID, sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
                     what, items, nulls);
}

static void no_null_item(const bool *nulls, int i, const char *what) {
  if (nulls && nulls[i])
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("%s[%d] is NULL", what, i + 1)));
}

static void same_length(int a, int b, const char *what_a, const char *what_b) {
  if (a != b)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s has %d elements and %s %d", what_a, a, what_b, b),
                    errdetail("The arrays are read pairwise and must have the same length.")));
}

/* Length of a one-dimensional array (NULL: 0). */
static int length_1d(ArrayType *a, const char *what) {
  if (!a || ARR_NDIM(a) == 0) return 0;
  if (ARR_NDIM(a) > 1)
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("%s must be a one-dimensional array", what)));
  return ARR_DIMS(a)[0];
}

/* The events, read in place (no copy of the arrays: this runs per row):
 * the types' text in the array's data area, the times as the int64s they
 * are; each type is found among the distinct types of the earlier rows
 * (the call site's memory), else checked and remembered. */
static void add_events(call_site *cs, lg_lead *lead, const read_set *rs, ArrayType *types,
                       ArrayType *times) {
  int                n = length_1d(types, "event_types");
  int                i, k = 0;
  const bits8       *tnulls, *snulls;
  const char        *tp;
  const TimestampTz *sp;
  same_length(n, length_1d(times, "event_times"), "event_types", "event_times");
  if (n > LG_MAX_EVENTS)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("a lead holds at most %d events", LG_MAX_EVENTS)));
  if (n == 0) return;
  memo_for(cs, rs);
  if (n > cs->ev_cap) {
    MemoryContext cxt = GetMemoryChunkContext(cs);
    if (cs->ev_types) {
      pfree(cs->ev_types);
      pfree(cs->ev_at);
    }
    cs->ev_cap = Max(n, 64);
    cs->ev_types = MemoryContextAlloc(cxt, (size_t)cs->ev_cap * sizeof *cs->ev_types);
    cs->ev_at = MemoryContextAlloc(cxt, (size_t)cs->ev_cap * sizeof *cs->ev_at);
  }
  tnulls = ARR_NULLBITMAP(types);
  snulls = ARR_NULLBITMAP(times);
  tp = ARR_DATA_PTR(types);
  sp = (const TimestampTz *)ARR_DATA_PTR(times);
  for (i = 0; i < n; i++) {
    bool        type_null = tnulls && !(tnulls[i / 8] & (1 << (i % 8)));
    bool        time_null = snulls && !(snulls[i / 8] & (1 << (i % 8)));
    const char *s;
    size_t      len;
    char        type[LG_MAX_NAME_BYTES + 1];
    lg_time     at;
    lg_error    err;
    const name_memo *m;
    if (type_null || time_null)
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("%s[%d] is NULL", type_null ? "event_types" : "event_times", i + 1)));
    s = VARDATA_ANY(tp);
    len = VARSIZE_ANY_EXHDR(tp);
    tp = att_addlength_pointer(tp, -1, tp);
    tp = (const char *)att_align_nominal(tp, TYPALIGN_INT);
    at = to_lg_time(*sp++, "event_times", i + 1);
    m = len > 0 && len <= LG_MAX_NAME_BYTES ? memo_find(cs, LG_INPUT_EVENT, s, len) : NULL;
    if (!m) {
      if (!reads(rs, LG_INPUT_EVENT, s, len) && !copy_name(s, len, type, &err))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("event_types[%d] \"%s\" is not a valid event type ([a-z][a-z0-9_]{0,63})",
                               i + 1, shown(s, (int)len)),
                        errdetail("%s", err.message)));
      if ((m = memo_add(cs, rs, LG_INPUT_EVENT, s, len)) != NULL) {
        /* remembered */
      } else if (reads(rs, LG_INPUT_EVENT, s, len)) {
        /* past the memo's fill: a copy of its own, for this row */
        char *copy = palloc(len + 1);
        memcpy(copy, s, len);
        copy[len] = '\0';
        cs->ev_types[k] = copy;
        cs->ev_at[k++] = at;
        continue;
      } else {
        continue;
      }
    }
    if (m->wanted) {
      /* the memo's pointer: the same for the same type, so the library
       * checks and looks up each type once per row */
      cs->ev_types[k] = m->name;
      cs->ev_at[k++] = at;
    }
  }
  /* every name and time was checked above: only memory can fail */
  if (k > 0) check(lg_lead_add_events(lead, cs->ev_types, cs->ev_at, (size_t)k), "events");
}

/* The lifecycle path from NEW to each stage, for a lead known only by its
 * current stage. */
static void set_stage(lg_lead *lead, text *stage, lg_time now) {
  static const lg_stage paths[][5] = {
      {LG_STAGE_NEW},
      {LG_STAGE_NURTURE},
      {LG_STAGE_MQL},
      {LG_STAGE_MQL, LG_STAGE_SAL},
      {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL},
      {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY},
      {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_WON},
      {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_LOST},
      {LG_STAGE_DISQUALIFIED}};
  char    *s = text_to_cstring(stage);
  lg_stage target;
  int      i;
  if (lg_stage_from_name(s, &target) != LG_OK)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("unknown stage \"%s\"", shown(s, (int)strlen(s))),
                    errhint("Stages are new, nurture, mql, sal, sql, opportunity, won, lost "
                            "and disqualified.")));
  for (i = 0; i < 5 && (i == 0 || paths[target][i] != LG_STAGE_NEW); i++)
    check(lg_lead_set_stage(lead, paths[target][i], now), "stage");
}

/* The call site's lead, emptied for this call: a query builds one lead
 * per row, and lg_lead_reset keeps the memory of the largest so far, so a
 * row like the earlier ones allocates nothing.  The lead lives in the
 * call site's context (fn_mcxt, which goes with the query): its blocks go
 * there while it is built (alloc_target, until lead_done or the next
 * call's begin_call, after an ERROR). */
static lg_lead *new_lead(FunctionCallInfo fcinfo) {
  call_site *cs = site(fcinfo);
  lg_status  st;
  alloc_target = fcinfo->flinfo->fn_mcxt;
  st = cs->lead ? lg_lead_reset(cs->lead, "sql") : lg_lead_create("sql", &cs->lead);
  if (st != LG_OK) no_memory();
  return cs->lead;
}

static void lead_done(void) { alloc_target = NULL; }

/* A lead from (attrs, event_types, event_times) at arguments a, a+1, a+2;
 * NULL arguments are empty. */
static lg_lead *lead_from_args(FunctionCallInfo fcinfo, int a, const read_set *rs) {
  lg_lead *lead = new_lead(fcinfo);
  if (!PG_ARGISNULL(a)) set_attrs(site(fcinfo), lead, rs, PG_GETARG_JSONB_P(a));
  add_events(site(fcinfo), lead, rs, PG_ARGISNULL(a + 1) ? NULL : PG_GETARG_ARRAYTYPE_P(a + 1),
             PG_ARGISNULL(a + 2) ? NULL : PG_GETARG_ARRAYTYPE_P(a + 2));
  return lead;
}

/* ---- SQL functions ---------------------------------------------------------- */

PG_FUNCTION_INFO_V1(lg_pg_score);
PG_FUNCTION_INFO_V1(lg_pg_decide);
PG_FUNCTION_INFO_V1(lg_pg_explain);
PG_FUNCTION_INFO_V1(lg_pg_next_question);
PG_FUNCTION_INFO_V1(lg_pg_sla);
PG_FUNCTION_INFO_V1(lg_pg_calendar_add);
PG_FUNCTION_INFO_V1(lg_pg_calendar_between);
PG_FUNCTION_INFO_V1(lg_pg_canonical);
PG_FUNCTION_INFO_V1(lg_pg_fingerprint);
PG_FUNCTION_INFO_V1(lg_pg_cache_stats);

/* score(rubric, attrs, event_types, event_times, now) -> leadgate.score */
Datum lg_pg_score(PG_FUNCTION_ARGS) {
  cache_entry *rubric;
  read_set     rs = {{NULL, NULL}};
  lg_lead     *lead;
  lg_time      now;
  lg_score     s;
  lg_status    st;
  Datum        values[6];
  bool         nulls[6] = {false};
  numeric_buf  nb[3];

  if (PG_ARGISNULL(0) || PG_ARGISNULL(4)) PG_RETURN_NULL();
  begin_call();
  rs.defs[0] = rubric = definition_arg(fcinfo, 0, DEF_RUBRIC);
  now = to_lg_time(PG_GETARG_TIMESTAMPTZ(4), "now", 0);
  lead = lead_from_args(fcinfo, 1, &rs);
  st = lg_score_lead(rubric->obj, lead, now, &s);
  lead_done();
  check(st, "score");
  values[0] = points_datum(s.fit, &nb[0]);
  values[1] = points_datum(s.engagement, &nb[1]);
  values[2] = points_datum(s.total, &nb[2]);
  values[3] = BoolGetDatum(s.knocked_out != 0);
  if (s.knocked_out && s.knockout_index >= 0 && s.knockout_index < rubric->n_knockouts)
    values[4] = CStringGetTextDatum(rubric->knockouts[s.knockout_index]);
  else
    nulls[4] = true;
  values[5] = Int32GetDatum((int32)s.missing_count);
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

/* decide(rubric, policy, attrs, event_types, event_times, stage, now)
 * -> leadgate.decision */
Datum lg_pg_decide(PG_FUNCTION_ARGS) {
  read_set         rs;
  lg_lead         *lead;
  lg_time          now;
  lg_decision      d;
  lg_status        st;
  Datum            values[11];
  bool             nulls[11] = {false};
  numeric_buf      nb[3];

  if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(6)) PG_RETURN_NULL();
  begin_call();
  rs.defs[0] = definition_arg(fcinfo, 0, DEF_RUBRIC);
  rs.defs[1] = definition_arg(fcinfo, 1, DEF_POLICY);
  now = to_lg_time(PG_GETARG_TIMESTAMPTZ(6), "now", 0);
  lead = lead_from_args(fcinfo, 2, &rs);
  if (!PG_ARGISNULL(5)) set_stage(lead, PG_GETARG_TEXT_PP(5), now);
  st = lg_decide(rs.defs[0]->obj, rs.defs[1]->obj, lead, now, &d);
  lead_done();
  check(st, "decide");
  values[0] = name_datum(lg_verdict_name((lg_verdict)d.verdict), "verdict", d.verdict);
  if (d.grade[0])
    values[1] = CStringGetTextDatum(d.grade);
  else
    nulls[1] = true;
  values[2] = name_datum(lg_stage_name((lg_stage)d.stage), "stage", d.stage);
  values[3] = CStringGetTextDatum(d.reason);
  values[4] = points_datum(d.score.fit, &nb[0]);
  values[5] = points_datum(d.score.engagement, &nb[1]);
  values[6] = points_datum(d.score.total, &nb[2]);
  values[7] = BoolGetDatum(d.score.knocked_out != 0);
  values[8] = time_datum(d.next_at, &nulls[8]);
  values[9] = fingerprint_datum(d.rubric_fingerprint);
  values[10] = fingerprint_datum(d.policy_fingerprint);
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

/* explain(rubric, attrs, event_types, event_times, now) -> SETOF (criterion,
 * attribute, kind, missing, points, max_points) */
Datum lg_pg_explain(PG_FUNCTION_ARGS) {
  ReturnSetInfo   *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
  const lg_rubric *rubric;
  read_set         rs = {{NULL, NULL}};
  lg_lead         *lead;
  lg_time          now;
  lg_contribution *items = NULL;
  size_t           n = 0, i;
  lg_status        st;

  InitMaterializedSRF(fcinfo, 0);
  if (PG_ARGISNULL(0) || PG_ARGISNULL(4)) return (Datum)0;
  begin_call();
  rs.defs[0] = definition_arg(fcinfo, 0, DEF_RUBRIC);
  rubric = rs.defs[0]->obj;
  now = to_lg_time(PG_GETARG_TIMESTAMPTZ(4), "now", 0);
  lead = lead_from_args(fcinfo, 1, &rs);
  st = lg_explain(rubric, lead, now, NULL, 0, &n);
  if (st == LG_ERR_BUFFER) {
    items = palloc(Max(n, 1) * sizeof *items);
    st = lg_explain(rubric, lead, now, items, n, &n);
  }
  lead_done();
  check(st, "explain");
  for (i = 0; i < n; i++) {
    Datum       values[6];
    bool        nulls[6] = {false};
    numeric_buf nb[2];
    values[0] = CStringGetTextDatum(items[i].criterion);
    values[1] = CStringGetTextDatum(items[i].attribute);
    values[2] = name_datum(lg_kind_name((lg_kind)items[i].kind), "kind", items[i].kind);
    values[3] = BoolGetDatum(items[i].missing != 0);
    values[4] = points_datum(items[i].points, &nb[0]);
    values[5] = points_datum(items[i].max_points, &nb[1]);
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
  }
  return (Datum)0;
}

/* next_question(rubric, attrs) -> text, NULL when nothing is missing */
Datum lg_pg_next_question(PG_FUNCTION_ARGS) {
  read_set         rs = {{NULL, NULL}};
  lg_lead         *lead;
  const char      *attribute;
  lg_points        gain;
  lg_status        st;

  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  begin_call();
  rs.defs[0] = definition_arg(fcinfo, 0, DEF_RUBRIC);
  lead = new_lead(fcinfo);
  if (!PG_ARGISNULL(1)) set_attrs(site(fcinfo), lead, &rs, PG_GETARG_JSONB_P(1));
  st = lg_next_question(rs.defs[0]->obj, lead, &attribute, &gain);
  lead_done();
  if (st == LG_ERR_NOT_FOUND) PG_RETURN_NULL();
  check(st, "next_question");
  PG_RETURN_TEXT_P(cstring_to_text(attribute)); /* points into the cached rubric */
}

static void add_assignments(lg_lead *lead, FunctionCallInfo fcinfo, lg_time *last) {
  Datum *ov = NULL, *av = NULL, *tv = NULL;
  bool  *on = NULL, *an = NULL, *tn = NULL;
  int    n = PG_ARGISNULL(1) ? 0 : text_items(PG_GETARG_ARRAYTYPE_P(1), "owners", &ov, &on);
  int    m = PG_ARGISNULL(2) ? 0 : time_items(PG_GETARG_ARRAYTYPE_P(2), "assigned_at", &av, &an);
  int    k = PG_ARGISNULL(3) ? n : time_items(PG_GETARG_ARRAYTYPE_P(3), "touched_at", &tv, &tn);
  int    i;
  same_length(n, m, "owners", "assigned_at");
  same_length(n, k, "owners", "touched_at");
  for (i = 0; i < n; i++) {
    char     *owner;
    lg_status st;
    no_null_item(on, i, "owners");
    no_null_item(an, i, "assigned_at");
    owner = TextDatumGetCString(ov[i]);
    *last = to_lg_time(DatumGetTimestampTz(av[i]), "assigned_at", i + 1);
    st = lg_lead_assign(lead, owner, *last);
    if (st == LG_ERR_INVALID)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("owners[%d] is not a valid owner", i + 1),
                      errdetail("An owner is 1 to 256 bytes.")));
    if (st == LG_ERR_STATE)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("assigned_at[%d] is earlier than assigned_at[%d]", i + 1, i),
                      errdetail("Assignments form a timeline, in time order.")));
    if (st == LG_ERR_LIMIT)
      ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                      errmsg("a lead holds at most %d assignments", LG_MAX_ASSIGNMENTS)));
    check(st, "assignment");
    pfree(owner);
    if (tv && !tn[i]) {
      st = lg_lead_touch(lead, to_lg_time(DatumGetTimestampTz(tv[i]), "touched_at", i + 1));
      if (st == LG_ERR_STATE)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("touched_at[%d] is before assigned_at[%d]", i + 1, i + 1)));
      check(st, "touch");
    }
  }
}

static void record_actions(lg_lead *lead, ArrayType *actions, bool assigned, lg_time at) {
  Datum *v;
  bool  *nulls;
  int    n = text_items(actions, "recorded_actions", &v, &nulls), i;
  for (i = 0; i < n; i++) {
    char     *s;
    lg_action action;
    no_null_item(nulls, i, "recorded_actions");
    s = TextDatumGetCString(v[i]);
    if (lg_action_from_name(s, &action) != LG_OK || action == LG_ACTION_NONE)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("recorded_actions[%d] \"%s\" is not an action", i + 1,
                             shown(s, (int)strlen(s))),
                      errhint("Actions are warn, remind, escalate, reassign and recycle.")));
    if (!assigned)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("recorded_actions given for a lead without an assignment")));
    /* the time is checked against the timeline, not stored: the current
     * assignment's own time always fits */
    check(lg_lead_record_action(lead, action, at), "recorded action");
  }
}

/* sla(policy, owners, assigned_at, touched_at, recorded_actions, now)
 * -> leadgate.sla_status */
Datum lg_pg_sla(PG_FUNCTION_ARGS) {
  const lg_policy *policy;
  lg_lead         *lead;
  lg_time          now, last = LG_TIME_NEVER;
  lg_sla_status    s;
  lg_status        st;
  Datum            values[8];
  bool             nulls[8] = {false};
  bool             none;

  if (PG_ARGISNULL(0) || PG_ARGISNULL(5)) PG_RETURN_NULL();
  begin_call();
  policy = POLICY_ARG(0);
  now = to_lg_time(PG_GETARG_TIMESTAMPTZ(5), "now", 0);
  lead = new_lead(fcinfo);
  add_assignments(lead, fcinfo, &last);
  if (!PG_ARGISNULL(4))
    record_actions(lead, PG_GETARG_ARRAYTYPE_P(4), last != LG_TIME_NEVER, last);
  st = lg_sla_eval(policy, lead, now, &s);
  lead_done();
  check(st, "sla");
  none = (s.state == LG_SLA_NONE);
  values[0] = name_datum(lg_sla_state_name((lg_sla_state)s.state), "state", s.state);
  values[1] = name_datum(lg_action_name((lg_action)s.action), "action", s.action);
  values[2] = time_datum(none ? LG_TIME_NEVER : s.started_at, &nulls[2]);
  values[3] = time_datum(none ? LG_TIME_NEVER : s.due_at, &nulls[3]);
  values[4] = time_datum(s.next_at, &nulls[4]);
  nulls[5] = nulls[6] = none;
  if (!none) {
    values[5] = interval_datum(s.elapsed);
    values[6] = interval_datum(s.remaining);
  }
  values[7] = Int32GetDatum(s.reassignments);
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

/* Days count 24 hours: a calendar duration is business time, not dates. */
static lg_duration interval_seconds(const Interval *iv) {
  lg_duration secs;
  if (iv->month != 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("the interval must not contain months or years"),
                    errdetail("Their length in seconds is not fixed; write days or hours.")));
  if (iv->time % USECS_PER_SEC != 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("the interval must be whole seconds")));
  secs = (lg_duration)iv->day * SECS_PER_DAY + iv->time / USECS_PER_SEC;
  if (secs < 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("the interval must not be negative")));
  return secs;
}

/* calendar_add(calendar, start, d) -> timestamptz */
Datum lg_pg_calendar_add(PG_FUNCTION_ARGS) {
  const lg_calendar *cal;
  lg_time            start, out;
  lg_duration        d;
  lg_status          st;
  bool               isnull;
  Datum              result;

  begin_call();
  cal = CALENDAR_ARG(0);
  start = to_lg_time(PG_GETARG_TIMESTAMPTZ(1), "start", 0);
  d = interval_seconds(PG_GETARG_INTERVAL_P(2));
  st = lg_calendar_add(cal, start, d, &out);
  if (st == LG_ERR_RANGE)
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("no such time: the calendar is not open that long again before "
                           "9999-12-31")));
  check(st, "calendar_add");
  result = time_datum(out, &isnull);
  PG_RETURN_DATUM(result);
}

/* calendar_between(calendar, a, b) -> interval */
Datum lg_pg_calendar_between(PG_FUNCTION_ARGS) {
  const lg_calendar *cal;
  lg_time            a, b;
  lg_duration        d;

  begin_call();
  cal = CALENDAR_ARG(0);
  a = to_lg_time(PG_GETARG_TIMESTAMPTZ(1), "a", 0);
  b = to_lg_time(PG_GETARG_TIMESTAMPTZ(2), "b", 0);
  check(lg_calendar_between(cal, a, b, &d), "calendar_between");
  PG_RETURN_DATUM(interval_datum(d));
}

/* A policy starts with one of its statements; anything else (an empty
 * text included) is read as a rubric. */
static def_kind kind_of(text *t) {
  static const char *const policy_words[] = {"policy", "disqualify", "qualify", "grade",
                                             "calendar", "follow-up", "route"};
  const char *s = VARDATA_ANY(t), *end = s + VARSIZE_ANY_EXHDR(t), *w;
  size_t      i;
  while (s < end) {
    if (*s == '#') {
      while (s < end && *s != '\n') s++;
    } else if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
      s++;
    } else {
      break;
    }
  }
  for (w = s; w < end && ((*w >= 'a' && *w <= 'z') || *w == '-'); w++) continue;
  for (i = 0; i < lengthof(policy_words); i++)
    if ((size_t)(w - s) == strlen(policy_words[i]) && memcmp(s, policy_words[i], (size_t)(w - s)) == 0)
      return DEF_POLICY;
  return DEF_RUBRIC;
}

/* canonical(rubric_or_policy) -> text */
Datum lg_pg_canonical(PG_FUNCTION_ARGS) {
  text        *t = PG_GETARG_TEXT_PP(0);
  def_kind     kind;
  cache_entry *e;
  size_t       needed = 0;
  char        *buf;
  lg_status    st;

  begin_call();
  kind = kind_of(t);
  e = definition(kind, t);
  st = kind == DEF_POLICY ? lg_policy_to_text(e->obj, NULL, 0, &needed)
                          : lg_rubric_to_text(e->obj, NULL, 0, &needed);
  if (st != LG_ERR_BUFFER && st != LG_OK) check(st, "canonical");
  buf = palloc(needed);
  st = kind == DEF_POLICY ? lg_policy_to_text(e->obj, buf, needed, &needed)
                          : lg_rubric_to_text(e->obj, buf, needed, &needed);
  check(st, "canonical");
  PG_RETURN_TEXT_P(cstring_to_text(buf));
}

/* fingerprint(rubric_or_policy) -> 16 hex digits */
Datum lg_pg_fingerprint(PG_FUNCTION_ARGS) {
  text        *t = PG_GETARG_TEXT_PP(0);
  def_kind     kind;
  cache_entry *e;

  begin_call();
  kind = kind_of(t);
  e = definition(kind, t);
  PG_RETURN_DATUM(fingerprint_datum(kind == DEF_POLICY ? lg_policy_fingerprint(e->obj)
                                                       : lg_rubric_fingerprint(e->obj)));
}

/* cache_stats() -> (entries, bytes): what the definition cache holds */
Datum lg_pg_cache_stats(PG_FUNCTION_ARGS) {
  Datum values[2];
  bool  nulls[2] = {false};
  values[0] = Int32GetDatum(cache_n);
  values[1] = Int64GetDatum((int64)cache_bytes);
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

/* ---- load ------------------------------------------------------------------- */

void _PG_init(void) {
  static const lg_allocator a = {pg_malloc_fn, pg_realloc_fn, pg_free_fn, NULL, {NULL, NULL}};
  /* The module's own, statically linked copy of the library: nothing can
   * have allocated through it before this, its first call.  LG_ERR_STATE
   * here would mean that rule was broken; objects would then come from
   * malloc and pfree them, so refuse to load. */
  if (lg_set_allocator(&a) != LG_OK) elog(ERROR, "leadgate: the allocator could not be set");
  DefineCustomIntVariable("leadgate.cache_entries",
                          "Parsed rubrics, policies and calendars kept per backend.", NULL,
                          &cache_entries_max, 64, 1, CACHE_ENTRIES_MAX, PGC_USERSET, 0, NULL,
                          NULL, NULL);
  DefineCustomIntVariable("leadgate.cache_memory",
                          "Memory for parsed definitions kept per backend.", NULL,
                          &cache_memory_kb, 64 * 1024, 64, INT_MAX / 1024, PGC_USERSET,
                          GUC_UNIT_KB, NULL, NULL, NULL);
  DefineCustomIntVariable("leadgate.debug_fail_allocation_after",
                          "Testing: make library allocations fail after this many (-1: never).",
                          NULL, &fail_after, -1, -1, INT_MAX, PGC_USERSET, GUC_NOT_IN_SAMPLE,
                          NULL, fail_after_assign, NULL);
  MarkGUCPrefixReserved("leadgate");
}
