/*
 * addon.c - the Node-API addon behind index.js.
 *
 * It turns JavaScript values into leadgate calls and results back into
 * JavaScript values; index.js wraps these functions in classes.  Library
 * objects travel as externals pointing at handles from the addon's own
 * pool (so a foreign external is recognised and refused), freed by a
 * finalizer or by close(), whichever comes first.  Every argument is
 * checked here, whatever index.js did: a wrong type is a TypeError, a
 * number that is not an exact integer in range (NaN, 1.5, 2^60 as a
 * double, an invalid Date) or a string that is not well-formed (a lone
 * surrogate, a NUL) a RangeError, and whatever the library refuses a
 * LeadgateError carrying the lg_status name, line and column.
 *
 * Times in are Date, epoch seconds (a safe integer) or a BigInt; times out
 * are epoch seconds as numbers (exact: |t| < 2^53), LG_TIME_NEVER as null.
 * Points are milli-points as numbers (exact for the same reason).
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <leadgate.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- handles ------------------------------------------------------------ */

enum { K_RUBRIC, K_POLICY, K_CALENDAR, K_LEAD, K_STATS, K_COUNT };

static const char *const kind_names[K_COUNT] = { "Rubric", "Policy", "Calendar", "Lead", "Stats" };

/* The library object lives while the JavaScript side has not closed it or
 * while a dependent (a policy's calendar, a Stats book) needs it; the
 * handle itself lives until its external is finalized and the object is
 * gone. */
typedef struct handle {
  int            kind;
  int            closed;    /* close() called, or finalized */
  int            finalized; /* the external is gone */
  int            deps;      /* dependents holding `ptr` alive */
  void          *ptr;       /* NULL once freed */
  struct handle *owner;     /* the policy of a calendar view or of a Stats */
  int            in_use;    /* 0: on the pool's free list */
  struct handle *next_free;
  uint32_t       serial; /* place in the pool, for handle_key */
  uint32_t       gen;    /* uses of this place so far */
} handle;

static void handle_release(handle *h);

/* Handles come from slabs of this addon's own, so that a pointer from any
 * external can be checked before it is read: one made by another addon
 * lies in no slab and is refused.  Slabs double in size and are kept for
 * the life of the process (peak handles x 56 bytes); freed handles are
 * reused.  One pool for the process, as worker threads share the addon,
 * under a lock taken once per call (once per batch for scoreMany). */
#define N_SLABS 32
static struct {
  handle *slab[N_SLABS];
  size_t  size[N_SLABS];
  int     n;
  handle *free_list;
  size_t  in_use;
} pool;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static handle *handle_alloc(void) {
  handle *h = NULL;
  pthread_mutex_lock(&pool_lock);
  if (!pool.free_list && pool.n < N_SLABS) {
    size_t  size = (size_t)256 << pool.n, i;
    handle *slab = calloc(size, sizeof *slab);
    if (slab) {
      pool.slab[pool.n] = slab;
      pool.size[pool.n++] = size;
      for (i = size; i-- > 0;) {
        slab[i].serial = (uint32_t)(size - 256 + i); /* slabs before hold size - 256 */
        slab[i].next_free = pool.free_list;
        pool.free_list = &slab[i];
      }
    }
  }
  if ((h = pool.free_list) != NULL) {
    uint32_t serial = h->serial, gen = h->gen + 1;
    pool.free_list = h->next_free;
    memset(h, 0, sizeof *h);
    h->serial = serial;
    h->gen = gen;
    h->in_use = 1;
    pool.in_use++;
  }
  pthread_mutex_unlock(&pool_lock);
  return h;
}

static void handle_dispose(handle *h) {
  pthread_mutex_lock(&pool_lock);
  h->in_use = 0;
  h->next_free = pool.free_list;
  pool.free_list = h;
  pool.in_use--;
  pthread_mutex_unlock(&pool_lock);
}

/* A handle as a number (exact in a double): its place in the pool and
 * the low 20 bits of its generation, so that a key kept after the handle
 * was reused names nothing.  scoreMany and calibrate take leads as keys:
 * a Float64Array is read without one engine call per lead. */
#define KEY_GEN_MASK 0xFFFFFu
static double handle_key(const handle *h) {
  return (double)(h->gen & KEY_GEN_MASK) * 4294967296.0 + (double)h->serial;
}

/* Under pool_lock: the handle in use that `key` names, or NULL. */
static handle *pool_key(double key) {
  uint32_t serial, gen;
  int      i;
  if (!(key >= 0 && key < 4503599627370496.0) || floor(key) != key) return NULL; /* 2^52 */
  gen = (uint32_t)(key / 4294967296.0);
  serial = (uint32_t)(key - (double)gen * 4294967296.0);
  for (i = 0; i < pool.n; i++) {
    size_t base = pool.size[i] - 256; /* places in the slabs before */
    if (serial < base + pool.size[i]) {
      handle *h = &pool.slab[i][serial - base];
      return h->in_use && (h->gen & KEY_GEN_MASK) == gen ? h : NULL;
    }
  }
  return NULL;
}

/* Under pool_lock: p as a handle in use, or NULL. */
static handle *pool_find(const void *p) {
  uintptr_t a = (uintptr_t)p;
  int       i;
  for (i = 0; i < pool.n; i++) {
    uintptr_t base = (uintptr_t)pool.slab[i];
    if (a >= base && a < base + pool.size[i] * sizeof(handle)) {
      handle *h = &pool.slab[i][(a - base) / sizeof(handle)];
      return (a - base) % sizeof(handle) == 0 && h->in_use ? h : NULL;
    }
  }
  return NULL;
}

static void handle_maybe_free(handle *h) {
  if (h->ptr && h->closed && h->deps == 0) {
    switch (h->kind) {
    case K_RUBRIC: lg_rubric_free(h->ptr); break;
    case K_POLICY: lg_policy_free(h->ptr); break;
    case K_CALENDAR:
      if (!h->owner) lg_calendar_free(h->ptr);
      break;
    case K_LEAD: lg_lead_free(h->ptr); break;
    case K_STATS: lg_stats_free(h->ptr); break;
    default: break;
    }
    h->ptr = NULL;
    if (h->owner) {
      handle *o = h->owner;
      h->owner = NULL;
      handle_release(o);
    }
  }
  if (h->finalized && !h->ptr) handle_dispose(h);
}

static void handle_release(handle *h) {
  h->deps--;
  handle_maybe_free(h);
}

static void handle_finalize(napi_env env, void *data, void *hint) {
  handle *h = data;
  (void)env;
  (void)hint;
  h->closed = 1;
  h->finalized = 1;
  handle_maybe_free(h);
}

/* ---- per-environment data ----------------------------------------------- */

typedef struct addon_data {
  napi_ref error_ctor; /* LeadgateError, given by index.js through init() */
} addon_data;

static void data_finalize(napi_env env, void *data, void *hint) {
  addon_data *d = data;
  (void)hint;
  if (d->error_ctor) napi_delete_reference(env, d->error_ctor);
  free(d);
}

/* ---- throwing ----------------------------------------------------------- */

/* After a failed napi_* call: leave a pending exception alone, else throw
 * the engine's message. */
static void throw_napi(napi_env env) {
  bool                            pending = false;
  const napi_extended_error_info *info = NULL;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  napi_get_last_error_info(env, &info);
  napi_throw_error(env, NULL,
                   info && info->error_message ? info->error_message : "Node-API call failed");
}

#define CHECK(call)          \
  do {                       \
    if ((call) != napi_ok) { \
      throw_napi(env);       \
      return NULL;           \
    }                        \
  } while (0)

/* The same, for helpers that return 0 on failure. */
#define CHECK0(call)         \
  do {                       \
    if ((call) != napi_ok) { \
      throw_napi(env);       \
      return 0;              \
    }                        \
  } while (0)

static void throw_type(napi_env env, const char *what, const char *expected, napi_value v) {
  static const char *const type_names[] = { "undefined",   "null",     "a boolean", "a number",
                                            "a string",    "a symbol", "an object", "a function",
                                            "an external", "a bigint" };
  char                     msg[320];
  napi_valuetype           t = napi_undefined;
  napi_typeof(env, v, &t);
  snprintf(msg, sizeof msg, "%s must be %s, got %s", what, expected,
           (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "a value");
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
}

static void throw_range(napi_env env, const char *what, const char *why) {
  char msg[320];
  snprintf(msg, sizeof msg, "%s %s", what, why);
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
}

/* Throws LeadgateError(message, status, line, column, index, detail).
 * `what` says which call or argument; `e` (may be NULL) gives position and
 * the library's own message (detail; else the status's sentence); `index`
 * >= 0 names an element of an array argument. */
static void throw_lg(napi_env env, lg_status st, const char *what, const lg_error *e, long index) {
  addon_data *d = NULL;
  napi_value  ctor, argv[6], err;
  char        msg[512];
  uint32_t    line = e ? e->line : 0, column = e ? e->column : 0;

  if (e && e->line)
    snprintf(msg, sizeof msg, "%s: line %u, column %u: %s", what, (unsigned)line, (unsigned)column,
             e->message);
  else if (e && e->message[0])
    snprintf(msg, sizeof msg, "%s: %s", what, e->message);
  else
    snprintf(msg, sizeof msg, "%s: %s", what, lg_status_message(st));

  if (napi_get_instance_data(env, (void **)&d) != napi_ok || !d || !d->error_ctor ||
      napi_get_reference_value(env, d->error_ctor, &ctor) != napi_ok || !ctor) {
    napi_throw_error(env, lg_status_name(st), msg);
    return;
  }
  if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &argv[0]) != napi_ok ||
      napi_create_string_utf8(env, lg_status_name(st), NAPI_AUTO_LENGTH, &argv[1]) != napi_ok ||
      napi_create_uint32(env, line, &argv[2]) != napi_ok ||
      napi_create_uint32(env, column, &argv[3]) != napi_ok ||
      (index >= 0 ? napi_create_int64(env, index, &argv[4]) : napi_get_null(env, &argv[4])) !=
          napi_ok ||
      napi_create_string_utf8(env, e && e->message[0] ? e->message : lg_status_message(st),
                              NAPI_AUTO_LENGTH, &argv[5]) != napi_ok ||
      napi_new_instance(env, ctor, 6, argv, &err) != napi_ok) {
    throw_napi(env);
    return;
  }
  napi_throw(env, err);
}

/* 1 if st is LG_OK, else throws for `what` and gives 0. */
static int lg_ok(napi_env env, lg_status st, const char *what) {
  if (st == LG_OK) return 1;
  throw_lg(env, st, what, NULL, -1);
  return 0;
}

/* ---- arguments ---------------------------------------------------------- */

#define MAX_ARGS 6

/* Fetches exactly the arguments the function declares (missing ones read
 * as undefined, which every converter refuses unless it is optional). */
static int get_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  size_t argc = n;
  CHECK0(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  return 1;
}

static napi_valuetype type_of(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  return t;
}

static int is_nullish(napi_env env, napi_value v) {
  napi_valuetype t = type_of(env, v);
  return t == napi_undefined || t == napi_null;
}

/* Under pool_lock: the handle of any kind behind v, or NULL. */
static handle *lookup(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL; /* not an external */
  return pool_find(p);
}

/* Throws for a value that is not an open handle of `kind` (h as looked up). */
static handle *check_handle(napi_env env, napi_value v, handle *h, int kind, const char *what) {
  char msg[200];
  if (!h || h->kind != kind) {
    snprintf(msg, sizeof msg, "a %s", kind_names[kind]);
    throw_type(env, what, msg, v);
    return NULL;
  }
  if (h->closed || !h->ptr) {
    snprintf(msg, sizeof msg, "%s: the %s is closed", what, kind_names[kind]);
    throw_lg(env, LG_ERR_STATE, msg, NULL, -1);
    return NULL;
  }
  return h;
}

static handle *get_handle(napi_env env, napi_value v, int kind, const char *what) {
  handle *h;
  pthread_mutex_lock(&pool_lock);
  h = lookup(env, v);
  pthread_mutex_unlock(&pool_lock);
  return check_handle(env, v, h, kind, what);
}

static napi_value new_handle(napi_env env, int kind, void *ptr, handle *owner) {
  handle    *h = handle_alloc();
  napi_value v;
  if (!h) {
    napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
    return NULL;
  }
  h->kind = kind;
  h->ptr = ptr;
  h->owner = owner;
  if (napi_create_external(env, h, handle_finalize, NULL, &v) != napi_ok) {
    handle_dispose(h);
    throw_napi(env);
    return NULL;
  }
  /* from here the finalizer owns h and ptr */
  if (owner) owner->deps++;
  return v;
}

/* A string argument as NUL-terminated UTF-8.  Short strings use the inline
 * buffer, so `p` of a jstr in an array that grew (moved) is stale until
 * strs_moved; release with str_free, which is right either way. */
typedef struct jstr {
  char  *p;
  size_t len;
  int    heap; /* p is malloc'd */
  char   buf[256];
} jstr;

static void str_free(jstr *s) {
  if (s->heap) free(s->p);
  s->p = NULL;
  s->heap = 0;
}

/* Points the inline strings of s[0..n) back at their own buffers. */
static void strs_moved(jstr *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (!s[i].heap) s[i].p = s[i].buf;
}

/* Index of the first lone surrogate in the UTF-16 of v, or -1. */
static long lone_surrogate(napi_env env, napi_value v) {
  size_t    n = 0, i;
  char16_t *u;
  long      bad = -1;
  if (napi_get_value_string_utf16(env, v, NULL, 0, &n) != napi_ok) return -1;
  u = malloc((n + 1) * sizeof *u);
  if (!u) return -1;
  if (napi_get_value_string_utf16(env, v, u, n + 1, &n) == napi_ok) {
    for (i = 0; i < n && bad < 0; i++) {
      if (u[i] >= 0xD800 && u[i] <= 0xDBFF) {
        if (i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
          i++;
        else
          bad = (long)i;
      } else if (u[i] >= 0xDC00 && u[i] <= 0xDFFF) {
        bad = (long)i;
      }
    }
  }
  free(u);
  return bad;
}

/* 1 if the UTF-8 in p[0..n) holds U+FFFD. */
static int has_replacement(const char *p, size_t n) {
  size_t i;
  for (i = 0; i + 2 < n; i++)
    if ((unsigned char)p[i] == 0xEF && (unsigned char)p[i + 1] == 0xBF &&
        (unsigned char)p[i + 2] == 0xBD)
      return 1;
  return 0;
}

static int get_string(napi_env env, napi_value v, const char *what, jstr *s) {
  size_t      len = 0, got = 0;
  long        bad;
  napi_status st;
  s->p = s->buf;
  s->len = 0;
  s->heap = 0;
  /* One call when the string fits the inline buffer with room to spare
   * (a character that does not fit is left out whole, up to 4 bytes). */
  st = napi_get_value_string_utf8(env, v, s->buf, sizeof s->buf, &got);
  if (st == napi_string_expected) {
    s->p = NULL;
    throw_type(env, what, "a string", v);
    return 0;
  }
  if (st != napi_ok) {
    s->p = NULL;
    throw_napi(env);
    return 0;
  }
  if (got + 5 > sizeof s->buf) {
    CHECK0(napi_get_value_string_utf8(env, v, NULL, 0, &len));
    if (!(s->p = malloc(len + 1))) {
      napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
      return 0;
    }
    s->heap = 1;
    if (napi_get_value_string_utf8(env, v, s->p, len + 1, &got) != napi_ok) {
      str_free(s);
      throw_napi(env);
      return 0;
    }
  }
  s->len = got;
  if (strlen(s->p) != got) {
    str_free(s);
    throw_range(env, what, "contains a NUL character");
    return 0;
  }
  /* Node writes U+FFFD for a lone surrogate: only then look closer. */
  if (has_replacement(s->p, got) && (bad = lone_surrogate(env, v)) >= 0) {
    char why[96];
    snprintf(why, sizeof why, "contains a lone surrogate at index %ld (not valid UTF-16)", bad);
    str_free(s);
    throw_range(env, what, why);
    return 0;
  }
  return 1;
}

/* Element i of the Array arr as a string, "<prefix>[i]" in errors. */
static int get_string_at(napi_env env, napi_value arr, uint32_t i, const char *prefix, jstr *s) {
  napi_value e;
  char       what[48];
  snprintf(what, sizeof what, "%s[%u]", prefix, (unsigned)i);
  if (napi_get_element(env, arr, i, &e) != napi_ok) {
    throw_napi(env);
    return 0;
  }
  return get_string(env, e, what, s);
}

#define SAFE_MAX 9007199254740991.0 /* 2^53 - 1 */

/* An integer from a number (an exact safe integer) or a BigInt (int64). */
/* get_int64 for a value whose type t is known. */
static int get_int64_typed(napi_env env, napi_value v, napi_valuetype t, const char *what,
                           int64_t *out) {
  if (t == napi_number) {
    double x;
    CHECK0(napi_get_value_double(env, v, &x));
    if (isnan(x)) {
      throw_range(env, what, "is NaN, not an integer");
      return 0;
    }
    if (!isfinite(x) || fabs(x) > SAFE_MAX) {
      throw_range(env, what,
                  "is beyond Number.MAX_SAFE_INTEGER (not exact); pass a BigInt for int64 values");
      return 0;
    }
    if (floor(x) != x) {
      throw_range(env, what, "must be an integer, got a fraction");
      return 0;
    }
    *out = (int64_t)x;
    return 1;
  }
  if (t == napi_bigint) {
    int64_t r;
    bool    lossless = false;
    CHECK0(napi_get_value_bigint_int64(env, v, &r, &lossless));
    if (!lossless) {
      throw_range(env, what, "is outside the int64 range");
      return 0;
    }
    *out = r;
    return 1;
  }
  throw_type(env, what, "an integer (number or BigInt)", v);
  return 0;
}

static int get_int64(napi_env env, napi_value v, const char *what, int64_t *out) {
  return get_int64_typed(env, v, type_of(env, v), what, out);
}

static int get_int32(napi_env env, napi_value v, const char *what, int32_t *out) {
  int64_t x;
  if (!get_int64(env, v, what, &x)) return 0;
  if (x < INT32_MIN || x > INT32_MAX) {
    throw_range(env, what, "is outside the int32 range");
    return 0;
  }
  *out = (int32_t)x;
  return 1;
}

static int get_size(napi_env env, napi_value v, const char *what, size_t *out) {
  int64_t x;
  if (!get_int64(env, v, what, &x)) return 0;
  if (x < 0) {
    throw_range(env, what, "must not be negative");
    return 0;
  }
  *out = (size_t)x;
  return 1;
}

/* A time: Date (milliseconds dropped, rounding down), epoch seconds, or a
 * BigInt of epoch seconds. */
static int get_time(napi_env env, napi_value v, const char *what, lg_time *out) {
  napi_valuetype t = type_of(env, v);
  bool           is_date = false;
  if (t == napi_number || t == napi_bigint) return get_int64_typed(env, v, t, what, out);
  if (t == napi_object) CHECK0(napi_is_date(env, v, &is_date));
  if (is_date) {
    double ms;
    CHECK0(napi_get_date_value(env, v, &ms));
    if (isnan(ms)) {
      throw_range(env, what, "is an invalid Date");
      return 0;
    }
    *out = (lg_time)floor(ms / 1000.0);
    return 1;
  }
  throw_type(env, what, "a Date or epoch seconds", v);
  return 0;
}

static int get_bool(napi_env env, napi_value v, const char *what, int *out) {
  bool b;
  if (type_of(env, v) != napi_boolean) {
    throw_type(env, what, "a boolean", v);
    return 0;
  }
  CHECK0(napi_get_value_bool(env, v, &b));
  *out = b ? 1 : 0;
  return 1;
}

/* The length of an Array argument. */
static int get_array(napi_env env, napi_value v, const char *what, uint32_t *len) {
  bool is = false;
  CHECK0(napi_is_array(env, v, &is));
  if (!is) {
    throw_type(env, what, "an Array", v);
    return 0;
  }
  CHECK0(napi_get_array_length(env, v, len));
  return 1;
}

/* Makes room for element i of the array *p of `size`-byte elements and
 * capacity *cap, doubling from 64: arrays grow with the elements checked,
 * so a huge sparse Array fails at its first bad element, not in malloc.
 * 0 after throwing. */
static int room_for(napi_env env, void **p, size_t *cap, size_t i, size_t size, const char *what) {
  size_t ncap = *cap ? *cap : 64;
  void  *q;
  if (i < *cap) return 1;
  while (ncap <= i && ncap <= SIZE_MAX / 2) ncap *= 2;
  if (ncap <= i || ncap > SIZE_MAX / size || !(q = realloc(*p, ncap * size))) {
    throw_range(env, what, "is too long to hold in memory");
    return 0;
  }
  *p = q;
  *cap = ncap;
  return 1;
}

/* ---- results ------------------------------------------------------------ */

static napi_value js_int(napi_env env, int64_t x) {
  napi_value v;
  if (x > (int64_t)SAFE_MAX || x < -(int64_t)SAFE_MAX)
    CHECK(napi_create_bigint_int64(env, x, &v));
  else
    CHECK(napi_create_int64(env, x, &v));
  return v;
}

static napi_value js_time(napi_env env, lg_time t) {
  napi_value v;
  if (t == LG_TIME_NEVER) {
    CHECK(napi_get_null(env, &v));
    return v;
  }
  return js_int(env, t);
}

static napi_value js_str(napi_env env, const char *s) {
  napi_value v;
  if (!s) {
    CHECK(napi_get_null(env, &v));
    return v;
  }
  CHECK(napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v));
  return v;
}

static napi_value js_bool(napi_env env, int b) {
  napi_value v;
  CHECK(napi_get_boolean(env, b != 0, &v));
  return v;
}

static napi_value js_hex(napi_env env, uint64_t x) {
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", (unsigned long long)x);
  return js_str(env, buf);
}

static int set(napi_env env, napi_value obj, const char *name, napi_value v) {
  if (!v) return 0;
  CHECK0(napi_set_named_property(env, obj, name, v));
  return 1;
}

static napi_value js_undefined(napi_env env) {
  napi_value v;
  CHECK(napi_get_undefined(env, &v));
  return v;
}

/* Name of an enum value, or the number when the library has no name. */
static napi_value js_name(napi_env env, const char *name, int value) {
  if (name) return js_str(env, name);
  return js_int(env, value);
}

static const char *value_type_name(lg_value_type t) {
  switch (t) {
  case LG_VALUE_TEXT: return "text";
  case LG_VALUE_INT: return "int";
  case LG_VALUE_BOOL: return "bool";
  default: return NULL;
  }
}

/* ---- text objects ------------------------------------------------------- */

typedef lg_status (*parse_fn)(const char *, size_t, void **, lg_error *);

static napi_value parse_common(napi_env env, napi_callback_info info, int kind, const char *what) {
  napi_value argv[1];
  jstr       text;
  void      *obj = NULL;
  lg_error   err;
  lg_status  st;
  napi_value v;
  if (!get_args(env, info, 1, argv) || !get_string(env, argv[0], what, &text)) return NULL;
  if (kind == K_RUBRIC)
    st = lg_rubric_parse(text.p, text.len, (lg_rubric **)&obj, &err);
  else if (kind == K_POLICY)
    st = lg_policy_parse(text.p, text.len, (lg_policy **)&obj, &err);
  else
    st = lg_calendar_parse(text.p, text.len, (lg_calendar **)&obj, &err);
  str_free(&text);
  if (st != LG_OK) {
    throw_lg(env, st, what, &err, -1);
    return NULL;
  }
  v = new_handle(env, kind, obj, NULL);
  if (!v) {
    if (kind == K_RUBRIC)
      lg_rubric_free(obj);
    else if (kind == K_POLICY)
      lg_policy_free(obj);
    else
      lg_calendar_free(obj);
  }
  return v;
}

static napi_value rubric_parse(napi_env env, napi_callback_info info) {
  return parse_common(env, info, K_RUBRIC, "Rubric text");
}
static napi_value policy_parse(napi_env env, napi_callback_info info) {
  return parse_common(env, info, K_POLICY, "Policy text");
}
static napi_value calendar_parse(napi_env env, napi_callback_info info) {
  return parse_common(env, info, K_CALENDAR, "Calendar text");
}

/* Canonical text of any of the three. */
static napi_value to_text(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  handle    *h = NULL;
  size_t     needed = 0;
  char      *buf;
  lg_status  st;
  int        k;
  if (!get_args(env, info, 1, argv)) return NULL;
  pthread_mutex_lock(&pool_lock);
  h = lookup(env, argv[0]);
  pthread_mutex_unlock(&pool_lock);
  k = h && h->kind <= K_CALENDAR ? h->kind : K_RUBRIC; /* K_RUBRIC: for the message */
  if (!check_handle(env, argv[0], h, k, "object")) return NULL;
  st = k == K_RUBRIC   ? lg_rubric_to_text(h->ptr, NULL, 0, &needed)
       : k == K_POLICY ? lg_policy_to_text(h->ptr, NULL, 0, &needed)
                       : lg_calendar_to_text(h->ptr, NULL, 0, &needed);
  if (st != LG_ERR_BUFFER && st != LG_OK) {
    throw_lg(env, st, "toText", NULL, -1);
    return NULL;
  }
  if (!(buf = malloc(needed))) {
    napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
    return NULL;
  }
  st = k == K_RUBRIC   ? lg_rubric_to_text(h->ptr, buf, needed, &needed)
       : k == K_POLICY ? lg_policy_to_text(h->ptr, buf, needed, &needed)
                       : lg_calendar_to_text(h->ptr, buf, needed, &needed);
  if (st != LG_OK) {
    free(buf);
    throw_lg(env, st, "toText", NULL, -1);
    return NULL;
  }
  v = js_str(env, buf);
  free(buf);
  return v;
}

/* Inputs of a rubric or policy: [{name, kind, type}]. */
static napi_value inputs_common(napi_env env, napi_value arg, int kind) {
  handle       *h = get_handle(env, arg, kind, kind == K_RUBRIC ? "rubric" : "policy");
  napi_value    arr, o;
  size_t        i, n;
  const char   *name;
  lg_input_kind ik;
  lg_value_type vt;
  lg_status     st;
  if (!h) return NULL;
  n = kind == K_RUBRIC ? lg_rubric_input_count(h->ptr) : lg_policy_input_count(h->ptr);
  CHECK(napi_create_array_with_length(env, n, &arr));
  for (i = 0; i < n; i++) {
    st = kind == K_RUBRIC ? lg_rubric_input_at(h->ptr, i, &name, &ik, &vt)
                          : lg_policy_input_at(h->ptr, i, &name, &ik, &vt);
    if (st != LG_OK) {
      throw_lg(env, st, "inputs", NULL, -1);
      return NULL;
    }
    CHECK(napi_create_object(env, &o));
    if (!set(env, o, "name", js_str(env, name)) ||
        !set(env, o, "kind", js_str(env, ik == LG_INPUT_EVENT ? "event" : "attribute")) ||
        !set(env, o, "type", js_str(env, value_type_name(vt))))
      return NULL;
    CHECK(napi_set_element(env, arr, (uint32_t)i, o));
  }
  return arr;
}

static napi_value rubric_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], o;
  handle    *h;
  if (!get_args(env, info, 1, argv) || !(h = get_handle(env, argv[0], K_RUBRIC, "rubric")))
    return NULL;
  CHECK(napi_create_object(env, &o));
  if (!set(env, o, "name", js_str(env, lg_rubric_name(h->ptr))) ||
      !set(env, o, "fingerprint", js_hex(env, lg_rubric_fingerprint(h->ptr))) ||
      !set(env, o, "maxFit", js_int(env, lg_rubric_max_fit(h->ptr))) ||
      !set(env, o, "inputs", inputs_common(env, argv[0], K_RUBRIC)))
    return NULL;
  return o;
}

static napi_value policy_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], o;
  handle    *h;
  if (!get_args(env, info, 1, argv) || !(h = get_handle(env, argv[0], K_POLICY, "policy")))
    return NULL;
  CHECK(napi_create_object(env, &o));
  if (!set(env, o, "name", js_str(env, lg_policy_name(h->ptr))) ||
      !set(env, o, "fingerprint", js_hex(env, lg_policy_fingerprint(h->ptr))) ||
      !set(env, o, "inputs", inputs_common(env, argv[0], K_POLICY)))
    return NULL;
  return o;
}

/* The policy's calendar as a Calendar handle that keeps the policy alive. */
static napi_value policy_calendar(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  handle    *h;
  if (!get_args(env, info, 1, argv) || !(h = get_handle(env, argv[0], K_POLICY, "policy")))
    return NULL;
  return new_handle(env, K_CALENDAR, (void *)lg_policy_calendar(h->ptr), h);
}

static napi_value close_handle(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  handle    *h;
  if (!get_args(env, info, 1, argv)) return NULL;
  pthread_mutex_lock(&pool_lock);
  h = lookup(env, argv[0]);
  pthread_mutex_unlock(&pool_lock);
  if (!h) {
    throw_type(env, "close()", "a leadgate handle", argv[0]);
    return NULL;
  }
  if (!h->closed) {
    h->closed = 1;
    handle_maybe_free(h);
  }
  return js_undefined(env);
}

/* ---- calendar ----------------------------------------------------------- */

static napi_value calendar_add(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  lg_time    start, out;
  int64_t    d;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_CALENDAR, "calendar")) ||
      !get_time(env, argv[1], "start", &start) || !get_int64(env, argv[2], "seconds", &d))
    return NULL;
  if (!lg_ok(env, lg_calendar_add(h->ptr, start, d, &out), "calendar.add")) return NULL;
  return js_time(env, out);
}

static napi_value calendar_between(napi_env env, napi_callback_info info) {
  napi_value  argv[3];
  handle     *h;
  lg_time     a, b;
  lg_duration out;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_CALENDAR, "calendar")) ||
      !get_time(env, argv[1], "a", &a) || !get_time(env, argv[2], "b", &b))
    return NULL;
  if (!lg_ok(env, lg_calendar_between(h->ptr, a, b, &out), "calendar.between")) return NULL;
  return js_int(env, out);
}

/* isOpen and nextOpen answer 0 / NEVER for a bad time; range-check here so
 * that a bad time is an error, not a silent "closed". */
static int calendar_time_arg(napi_env env, napi_callback_info info, handle **h, lg_time *t) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv) || !(*h = get_handle(env, argv[0], K_CALENDAR, "calendar")) ||
      !get_time(env, argv[1], "t", t))
    return 0;
  if (*t < LG_TIME_MIN || *t > LG_TIME_MAX) {
    throw_lg(env, LG_ERR_RANGE, "calendar: t", NULL, -1);
    return 0;
  }
  return 1;
}

static napi_value calendar_is_open(napi_env env, napi_callback_info info) {
  handle *h;
  lg_time t;
  if (!calendar_time_arg(env, info, &h, &t)) return NULL;
  return js_bool(env, lg_calendar_is_open(h->ptr, t));
}

static napi_value calendar_next_open(napi_env env, napi_callback_info info) {
  handle *h;
  lg_time t;
  if (!calendar_time_arg(env, info, &h, &t)) return NULL;
  return js_time(env, lg_calendar_next_open(h->ptr, t));
}

/* ---- leads -------------------------------------------------------------- */

/* A failed name or text: say where and why when the library can tell. */
static void throw_lead(napi_env env, lg_status st, const char *what, const char *name,
                       const jstr *text, long index) {
  lg_error e;
  memset(&e, 0, sizeof e);
  if (st == LG_ERR_INVALID && name && lg_name_check(name, &e) != LG_OK) {
    throw_lg(env, st, what, &e, index);
    return;
  }
  if (st == LG_ERR_INVALID && text && lg_text_check(text->p, text->len, 0, &e) != LG_OK) {
    throw_lg(env, st, what, &e, index);
    return;
  }
  throw_lg(env, st, what, NULL, index);
}

/* buf = a + b + c, cut to cap (what snprintf "%s%s%s" gives, without its
 * cost: this runs for every attribute and event of a lead). */
static void join3(char *buf, size_t cap, const char *a, const char *b, const char *c) {
  const char *parts[3];
  size_t      n = 0, k;
  parts[0] = a;
  parts[1] = b;
  parts[2] = c;
  for (k = 0; k < 3; k++)
    for (; *parts[k] && n + 1 < cap; parts[k]++) buf[n++] = *parts[k];
  buf[n] = '\0';
}

/* The decimal digits of i (at most 10 and a NUL). */
static const char *digits(uint32_t i, char buf[11]) {
  char *p = buf + 10;
  *p = '\0';
  do *--p = (char)('0' + i % 10);
  while (i /= 10);
  return p;
}

/* Sets attribute `name` from a JS string, boolean, number or BigInt. */
static int set_attr(napi_env env, lg_lead *lead, const char *name, napi_value v, const char *what) {
  napi_valuetype t = type_of(env, v);
  lg_status      st;
  if (t == napi_string) {
    jstr s;
    if (!get_string(env, v, what, &s)) return 0;
    st = lg_lead_set_text(lead, name, s.p);
    if (st != LG_OK) throw_lead(env, st, what, name, &s, -1);
    str_free(&s);
    return st == LG_OK;
  }
  if (t == napi_boolean) {
    bool b = false;
    CHECK0(napi_get_value_bool(env, v, &b));
    st = lg_lead_set_bool(lead, name, b ? 1 : 0);
  } else if (t == napi_number || t == napi_bigint) {
    int64_t x;
    if (!get_int64_typed(env, v, t, what, &x)) return 0;
    st = lg_lead_set_int(lead, name, x);
  } else {
    throw_type(env, what,
               "a string, boolean, integer or BigInt (leave a key out for a missing "
               "attribute)",
               v);
    return 0;
  }
  if (st != LG_OK) throw_lead(env, st, what, name, NULL, -1);
  return st == LG_OK;
}

static int set_attrs(napi_env env, lg_lead *lead, napi_value obj) {
  napi_value     keys, k, v;
  uint32_t       n, i;
  napi_valuetype t = type_of(env, obj);
  bool           is_arr = false;
  if (t == napi_undefined || t == napi_null) return 1;
  napi_is_array(env, obj, &is_arr);
  if (t != napi_object || is_arr) {
    throw_type(env, "attrs", "a plain object of attribute values", obj);
    return 0;
  }
  CHECK0(napi_get_all_property_names(env, obj, napi_key_own_only,
                                     napi_key_enumerable | napi_key_skip_symbols,
                                     napi_key_numbers_to_strings, &keys));
  CHECK0(napi_get_array_length(env, keys, &n));
  if (n > LG_MAX_ATTRIBUTES) {
    char msg[96];
    snprintf(msg, sizeof msg, "attrs: %u attributes, at most %d", (unsigned)n, LG_MAX_ATTRIBUTES);
    throw_lg(env, LG_ERR_LIMIT, msg, NULL, -1);
    return 0;
  }
  for (i = 0; i < n; i++) {
    jstr name;
    char what[LG_MAX_NAME_BYTES + 32];
    int  ok;
    CHECK0(napi_get_element(env, keys, i, &k));
    if (!get_string(env, k, "attribute name", &name)) return 0;
    CHECK0(napi_get_property(env, obj, k, &v));
    join3(what, sizeof what, "attrs.", name.p, "");
    ok = set_attr(env, lead, name.p, v, what);
    str_free(&name);
    if (!ok) return 0;
  }
  return 1;
}

static int add_events(napi_env env, lg_lead *lead, napi_value arr) {
  uint32_t n, i, m;
  if (is_nullish(env, arr)) return 1;
  if (!get_array(env, arr, "events", &n)) return 0;
  if (n > LG_MAX_EVENTS) {
    char msg[96];
    snprintf(msg, sizeof msg, "events: %u events, at most %d", (unsigned)n, LG_MAX_EVENTS);
    throw_lg(env, LG_ERR_LIMIT, msg, NULL, -1);
    return 0;
  }
  for (i = 0; i < n; i++) {
    napi_value e, type_v, at_v;
    char       what[64], num[11];
    jstr       type;
    lg_time    at;
    lg_status  st;
    CHECK0(napi_get_element(env, arr, i, &e));
    join3(what, sizeof what, "events[", digits(i, num), "]");
    if (napi_get_array_length(env, e, &m) != napi_ok || m != 2) { /* not an Array, or not 2 */
      throw_type(env, what, "a [type, Date | epochSeconds] pair", e);
      return 0;
    }
    CHECK0(napi_get_element(env, e, 0, &type_v));
    CHECK0(napi_get_element(env, e, 1, &at_v));
    join3(what, sizeof what, "events[", digits(i, num), "][1]");
    if (!get_time(env, at_v, what, &at)) return 0;
    join3(what, sizeof what, "events[", digits(i, num), "][0]");
    if (!get_string(env, type_v, what, &type)) return 0;
    st = lg_lead_add_event(lead, type.p, at);
    if (st != LG_OK) throw_lead(env, st, what, type.p, NULL, (long)i);
    str_free(&type);
    if (st != LG_OK) return 0;
  }
  return 1;
}

/* leadNew(id, attrs?, events?) */
static napi_value lead_new(napi_env env, napi_callback_info info) {
  napi_value argv[3], v;
  jstr       id;
  lg_lead   *lead = NULL;
  lg_status  st;
  if (!get_args(env, info, 3, argv) || !get_string(env, argv[0], "id", &id)) return NULL;
  st = lg_lead_create(id.p, &lead);
  str_free(&id);
  if (st != LG_OK) {
    throw_lg(env, st, "Lead id (1 to 256 bytes of UTF-8)", NULL, -1);
    return NULL;
  }
  if (!set_attrs(env, lead, argv[1]) || !add_events(env, lead, argv[2]) ||
      !(v = new_handle(env, K_LEAD, lead, NULL))) {
    lg_lead_free(lead);
    return NULL;
  }
  return v;
}

static napi_value lead_clone(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  handle    *h;
  lg_lead   *copy;
  if (!get_args(env, info, 1, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead"))) return NULL;
  if (!lg_ok(env, lg_lead_clone(h->ptr, &copy), "lead.clone")) return NULL;
  if (!(v = new_handle(env, K_LEAD, copy, NULL))) lg_lead_free(copy);
  return v;
}

/* leadSet(lead, name, value) */
static napi_value lead_set(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  jstr       name;
  int        ok;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_string(env, argv[1], "name", &name))
    return NULL;
  ok = set_attr(env, h->ptr, name.p, argv[2], "value");
  str_free(&name);
  return ok ? js_undefined(env) : NULL;
}

static napi_value lead_unset(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  handle    *h;
  jstr       name;
  lg_status  st;
  if (!get_args(env, info, 2, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_string(env, argv[1], "name", &name))
    return NULL;
  st = lg_lead_unset(h->ptr, name.p);
  if (st != LG_OK && st != LG_ERR_NOT_FOUND) throw_lead(env, st, "lead.unset", name.p, NULL, -1);
  str_free(&name);
  return st == LG_OK ? js_bool(env, 1) : st == LG_ERR_NOT_FOUND ? js_bool(env, 0) : NULL;
}

static napi_value attr_value(napi_env env, const lg_lead *lead, const char *name) {
  const char *s;
  int64_t     x;
  int         b;
  switch (lg_lead_attr_type(lead, name)) {
  case LG_VALUE_TEXT: return lg_lead_get_text(lead, name, &s) == LG_OK ? js_str(env, s) : NULL;
  case LG_VALUE_INT: return lg_lead_get_int(lead, name, &x) == LG_OK ? js_int(env, x) : NULL;
  case LG_VALUE_BOOL: return lg_lead_get_bool(lead, name, &b) == LG_OK ? js_bool(env, b) : NULL;
  default: return js_undefined(env);
  }
}

static napi_value lead_get(napi_env env, napi_callback_info info) {
  napi_value argv[2], v;
  handle    *h;
  jstr       name;
  if (!get_args(env, info, 2, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_string(env, argv[1], "name", &name))
    return NULL;
  v = attr_value(env, h->ptr, name.p);
  str_free(&name);
  if (!v) throw_lg(env, LG_ERR_STATE, "lead.get", NULL, -1);
  return v;
}

static napi_value lead_add_event(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  jstr       type;
  lg_time    at;
  lg_status  st;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_time(env, argv[2], "at", &at) || !get_string(env, argv[1], "type", &type))
    return NULL;
  st = lg_lead_add_event(h->ptr, type.p, at);
  if (st != LG_OK) throw_lead(env, st, "lead.addEvent", type.p, NULL, -1);
  str_free(&type);
  return st == LG_OK ? js_undefined(env) : NULL;
}

/* leadAssign(lead, owner, at) */
static napi_value lead_assign(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  jstr       owner;
  lg_time    at;
  lg_status  st;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_time(env, argv[2], "at", &at) || !get_string(env, argv[1], "owner", &owner))
    return NULL;
  st = lg_lead_assign(h->ptr, owner.p, at);
  if (st != LG_OK) throw_lead(env, st, "lead.assign", NULL, &owner, -1);
  str_free(&owner);
  return st == LG_OK ? js_undefined(env) : NULL;
}

static napi_value lead_touch(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  handle    *h;
  lg_time    at;
  if (!get_args(env, info, 2, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_time(env, argv[1], "at", &at))
    return NULL;
  if (!lg_ok(env, lg_lead_touch(h->ptr, at), "lead.touch")) return NULL;
  return js_undefined(env);
}

/* An enum argument by its lg_*_name string. */
static int get_action(napi_env env, napi_value v, lg_action *out) {
  jstr      s;
  lg_status st;
  if (!get_string(env, v, "action", &s)) return 0;
  st = lg_action_from_name(s.p, out);
  str_free(&s);
  if (st != LG_OK) {
    throw_range(env, "action",
                "must be one of 'warn', 'remind', 'escalate', 'reassign', 'recycle'");
    return 0;
  }
  return 1;
}

static int get_stage(napi_env env, napi_value v, lg_stage *out) {
  jstr      s;
  lg_status st;
  if (!get_string(env, v, "stage", &s)) return 0;
  st = lg_stage_from_name(s.p, out);
  str_free(&s);
  if (st != LG_OK) {
    throw_range(env, "stage",
                "must be one of 'new', 'nurture', 'mql', 'sal', 'sql', 'opportunity', "
                "'won', 'lost', 'disqualified'");
    return 0;
  }
  return 1;
}

static napi_value lead_record_action(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  lg_action  a;
  lg_time    at;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_action(env, argv[1], &a) || !get_time(env, argv[2], "at", &at))
    return NULL;
  if (!lg_ok(env, lg_lead_record_action(h->ptr, a, at), "lead.recordAction")) return NULL;
  return js_undefined(env);
}

/* leadSnooze(lead, from, until) */
static napi_value lead_snooze(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  lg_time    from, until;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_time(env, argv[1], "from", &from) || !get_time(env, argv[2], "until", &until))
    return NULL;
  if (!lg_ok(env, lg_lead_snooze(h->ptr, from, until), "lead.snooze")) return NULL;
  return js_undefined(env);
}

static napi_value lead_set_stage(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *h;
  lg_stage   s;
  lg_time    at;
  if (!get_args(env, info, 3, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead")) ||
      !get_stage(env, argv[1], &s) || !get_time(env, argv[2], "at", &at))
    return NULL;
  if (!lg_ok(env, lg_lead_set_stage(h->ptr, s, at), "lead.setStage")) return NULL;
  return js_undefined(env);
}

/* A failed read-back (the lead changed under us; cannot happen). */
static napi_value read_back_failed(napi_env env, lg_status st) {
  throw_lg(env, st, "lead read-back", NULL, -1);
  return NULL;
}

/* The attributes as an object, in ascending name order. */
static napi_value attrs_of(napi_env env, const lg_lead *lead) {
  napi_value    o;
  size_t        i, n = lg_lead_attr_count(lead);
  const char   *name;
  lg_value_type vt;
  lg_status     st;
  CHECK(napi_create_object(env, &o));
  for (i = 0; i < n; i++) {
    if ((st = lg_lead_attr_at(lead, i, &name, &vt)) != LG_OK) return read_back_failed(env, st);
    if (!set(env, o, name, attr_value(env, lead, name))) return NULL;
  }
  return o;
}

/* [type, at] pairs in time order. */
static napi_value events_of(napi_env env, const lg_lead *lead) {
  napi_value  arr, e;
  size_t      i, n = lg_lead_event_count(lead);
  const char *name;
  lg_time     at;
  lg_status   st;
  CHECK(napi_create_array_with_length(env, n, &arr));
  for (i = 0; i < n; i++) {
    if ((st = lg_lead_event_at(lead, i, &name, &at)) != LG_OK) return read_back_failed(env, st);
    CHECK(napi_create_array_with_length(env, 2, &e));
    CHECK(napi_set_element(env, e, 0, js_str(env, name)));
    CHECK(napi_set_element(env, e, 1, js_time(env, at)));
    CHECK(napi_set_element(env, arr, (uint32_t)i, e));
  }
  return arr;
}

/* {owner, at, touchedAt} in order. */
static napi_value assignments_of(napi_env env, const lg_lead *lead) {
  napi_value  arr, e;
  size_t      i, n = lg_lead_assignment_count(lead);
  const char *owner;
  lg_time     at, touched;
  lg_status   st;
  CHECK(napi_create_array_with_length(env, n, &arr));
  for (i = 0; i < n; i++) {
    if ((st = lg_lead_assignment_at(lead, i, &owner, &at, &touched)) != LG_OK)
      return read_back_failed(env, st);
    CHECK(napi_create_object(env, &e));
    if (!set(env, e, "owner", js_str(env, owner)) || !set(env, e, "at", js_time(env, at)) ||
        !set(env, e, "touchedAt", js_time(env, touched)))
      return NULL;
    CHECK(napi_set_element(env, arr, (uint32_t)i, e));
  }
  return arr;
}

/* leadInfo(lead, part): part 'id', 'stage', 'owner', 'attrs', 'events' or
 * 'assignments' gives that; anything else {id, stage, owner, attrs,
 * events, assignments}. */
static napi_value lead_info(napi_env env, napi_callback_info info) {
  napi_value     argv[2], o;
  handle        *h;
  const lg_lead *lead;
  lg_stage       stage;
  char           part[16] = "";
  size_t         got = 0;
  if (!get_args(env, info, 2, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead"))) return NULL;
  lead = h->ptr;
  stage = lg_lead_stage(lead);
  if (type_of(env, argv[1]) == napi_string)
    CHECK(napi_get_value_string_utf8(env, argv[1], part, sizeof part, &got));
  if (!strcmp(part, "id")) return js_str(env, lg_lead_id(lead));
  if (!strcmp(part, "stage")) return js_name(env, lg_stage_name(stage), (int)stage);
  if (!strcmp(part, "owner")) return js_str(env, lg_lead_owner(lead));
  if (!strcmp(part, "attrs")) return attrs_of(env, lead);
  if (!strcmp(part, "events")) return events_of(env, lead);
  if (!strcmp(part, "assignments")) return assignments_of(env, lead);
  CHECK(napi_create_object(env, &o));
  if (!set(env, o, "id", js_str(env, lg_lead_id(lead))) ||
      !set(env, o, "stage", js_name(env, lg_stage_name(stage), (int)stage)) ||
      !set(env, o, "owner", js_str(env, lg_lead_owner(lead))) ||
      !set(env, o, "attrs", attrs_of(env, lead)) || !set(env, o, "events", events_of(env, lead)) ||
      !set(env, o, "assignments", assignments_of(env, lead)))
    return NULL;
  return o;
}

/* ---- scoring ------------------------------------------------------------ */

static int score_into(napi_env env, napi_value o, const lg_score *s) {
  return set(env, o, "fit", js_int(env, s->fit)) &&
         set(env, o, "engagement", js_int(env, s->engagement)) &&
         set(env, o, "total", js_int(env, s->total)) &&
         set(env, o, "knockedOut", js_bool(env, s->knocked_out)) &&
         set(env, o, "knockoutIndex", js_int(env, s->knockout_index)) &&
         set(env, o, "missingCount", js_int(env, s->missing_count));
}

static napi_value score(napi_env env, napi_callback_info info) {
  napi_value argv[3], o;
  handle    *r, *l;
  lg_time    now;
  lg_score   s;
  if (!get_args(env, info, 3, argv) || !(r = get_handle(env, argv[0], K_RUBRIC, "rubric")) ||
      !(l = get_handle(env, argv[1], K_LEAD, "lead")) || !get_time(env, argv[2], "now", &now))
    return NULL;
  if (!lg_ok(env, lg_score_lead(r->ptr, l->ptr, now, &s), "score")) return NULL;
  CHECK(napi_create_object(env, &o));
  return score_into(env, o, &s) ? o : NULL;
}

/* The lead pointers of an Array of lead handles or a Float64Array of lead
 * keys (malloc'd, never NULL on success; NULL after a throw). */
static const lg_lead **get_leads(napi_env env, napi_value arr, size_t *n) {
  uint32_t        len = 0, i;
  const lg_lead **leads = NULL;
  size_t          cap = 0, tlen = 0;
  handle         *h = NULL;
  napi_value      e = NULL;
  int             grown = 1;
  bool            typed = false;
  double         *keys = NULL;
  CHECK0(napi_is_typedarray(env, arr, &typed));
  if (typed) {
    napi_typedarray_type tt;
    void                *data = NULL;
    CHECK0(napi_get_typedarray_info(env, arr, &tt, &tlen, &data, NULL, NULL));
    if (tt != napi_float64_array || tlen > UINT32_MAX) {
      throw_type(env, "leads", "an Array of Lead", arr);
      return NULL;
    }
    keys = data;
    len = (uint32_t)tlen;
  } else if (!get_array(env, arr, "leads", &len)) {
    return NULL;
  }
  /* a typed array's length is memory the caller already has */
  if (!room_for(env, (void **)&leads, &cap, typed && len ? len - 1 : 0, sizeof *leads, "leads"))
    return NULL;
  pthread_mutex_lock(&pool_lock);
  for (i = 0; i < len; i++) {
    if (typed) {
      h = pool_key(keys[i]);
    } else {
      e = NULL;
      if (napi_get_element(env, arr, i, &e) != napi_ok) break;
      h = lookup(env, e);
    }
    if (!h || h->kind != K_LEAD || h->closed || !h->ptr) break;
    if (!(grown = room_for(env, (void **)&leads, &cap, i, sizeof *leads, "leads"))) break;
    leads[i] = h->ptr;
  }
  pthread_mutex_unlock(&pool_lock);
  if (i < len) { /* say what is wrong with leads[i] */
    char what[40];
    snprintf(what, sizeof what, "leads[%u]", (unsigned)i);
    free(leads);
    if (!grown) return NULL;
    if (typed && napi_create_double(env, keys[i], &e) != napi_ok) e = NULL;
    if (!e)
      throw_napi(env);
    else
      check_handle(env, e, h, K_LEAD, what);
    return NULL;
  }
  *n = len;
  return leads;
}

/* leadKey(lead) -> the lead's key (see handle_key). */
static napi_value lead_key(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  handle    *h;
  double     key;
  if (!get_args(env, info, 1, argv) || !(h = get_handle(env, argv[0], K_LEAD, "lead"))) return NULL;
  pthread_mutex_lock(&pool_lock);
  key = handle_key(h);
  pthread_mutex_unlock(&pool_lock);
  CHECK(napi_create_double(env, key, &v));
  return v;
}

/* scoreMany(rubric, leads, now) -> Float64Array of 6 numbers per lead:
 * fit, engagement, total, knocked_out, knockout_index, missing_count. */
static napi_value score_many(napi_env env, napi_callback_info info) {
  napi_value      argv[3], ab, out;
  handle         *r;
  lg_time         now;
  const lg_lead **leads;
  lg_score       *scores;
  double         *d;
  size_t          n = 0, i;
  lg_status       st;
  if (!get_args(env, info, 3, argv) || !(r = get_handle(env, argv[0], K_RUBRIC, "rubric")) ||
      !get_time(env, argv[2], "now", &now) || !(leads = get_leads(env, argv[1], &n)))
    return NULL;
  if (!(scores = malloc((n ? n : 1) * sizeof *scores))) {
    free(leads);
    throw_range(env, "leads", "is too long to hold in memory");
    return NULL;
  }
  st = lg_score_many(r->ptr, leads, n, now, scores);
  free(leads);
  if (st != LG_OK) {
    free(scores);
    throw_lg(env, st, "scoreMany", NULL, -1);
    return NULL;
  }
  if (napi_create_arraybuffer(env, n * 6 * sizeof(double), (void **)&d, &ab) != napi_ok ||
      napi_create_typedarray(env, napi_float64_array, n * 6, ab, 0, &out) != napi_ok) {
    free(scores);
    throw_napi(env);
    return NULL;
  }
  for (i = 0; i < n; i++) {
    d[6 * i + 0] = (double)scores[i].fit;
    d[6 * i + 1] = (double)scores[i].engagement;
    d[6 * i + 2] = (double)scores[i].total;
    d[6 * i + 3] = scores[i].knocked_out;
    d[6 * i + 4] = scores[i].knockout_index;
    d[6 * i + 5] = scores[i].missing_count;
  }
  free(scores);
  return out;
}

static napi_value decide(napi_env env, napi_callback_info info) {
  napi_value  argv[4], o;
  handle     *r, *p, *l;
  lg_time     now;
  lg_decision d;
  if (!get_args(env, info, 4, argv) || !(r = get_handle(env, argv[0], K_RUBRIC, "rubric")) ||
      !(p = get_handle(env, argv[1], K_POLICY, "policy")) ||
      !(l = get_handle(env, argv[2], K_LEAD, "lead")) || !get_time(env, argv[3], "now", &now))
    return NULL;
  if (!lg_ok(env, lg_decide(r->ptr, p->ptr, l->ptr, now, &d), "decide")) return NULL;
  CHECK(napi_create_object(env, &o));
  if (!score_into(env, o, &d.score) ||
      !set(env, o, "verdict", js_name(env, lg_verdict_name((lg_verdict)d.verdict), d.verdict)) ||
      !set(env, o, "stage", js_name(env, lg_stage_name((lg_stage)d.stage), d.stage)) ||
      !set(env, o, "grade", js_str(env, d.grade)) ||
      !set(env, o, "reason", js_str(env, d.reason)) ||
      !set(env, o, "rubricFingerprint", js_hex(env, d.rubric_fingerprint)) ||
      !set(env, o, "policyFingerprint", js_hex(env, d.policy_fingerprint)) ||
      !set(env, o, "nextAt", js_time(env, d.next_at)))
    return NULL;
  return o;
}

static napi_value explain(napi_env env, napi_callback_info info) {
  napi_value       argv[3], arr, o;
  handle          *r, *l;
  lg_time          now;
  lg_contribution *items;
  size_t           count = 0, i;
  lg_status        st;
  if (!get_args(env, info, 3, argv) || !(r = get_handle(env, argv[0], K_RUBRIC, "rubric")) ||
      !(l = get_handle(env, argv[1], K_LEAD, "lead")) || !get_time(env, argv[2], "now", &now))
    return NULL;
  st = lg_explain(r->ptr, l->ptr, now, NULL, 0, &count);
  if (st != LG_OK && st != LG_ERR_BUFFER) {
    throw_lg(env, st, "explain", NULL, -1);
    return NULL;
  }
  if (!(items = malloc((count ? count : 1) * sizeof *items))) {
    napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
    return NULL;
  }
  if (count && (st = lg_explain(r->ptr, l->ptr, now, items, count, &count)) != LG_OK) {
    free(items);
    throw_lg(env, st, "explain", NULL, -1);
    return NULL;
  }
  if (napi_create_array_with_length(env, count, &arr) != napi_ok) {
    free(items);
    throw_napi(env);
    return NULL;
  }
  for (i = 0; i < count; i++) {
    const lg_contribution *c = &items[i];
    if (napi_create_object(env, &o) != napi_ok ||
        !set(env, o, "criterion", js_str(env, c->criterion)) ||
        !set(env, o, "attribute", js_str(env, c->attribute)) ||
        !set(env, o, "kind", js_name(env, lg_kind_name((lg_kind)c->kind), c->kind)) ||
        !set(env, o, "missing", js_bool(env, c->missing)) ||
        !set(env, o, "points", js_int(env, c->points)) ||
        !set(env, o, "maxPoints", js_int(env, c->max_points)) ||
        napi_set_element(env, arr, (uint32_t)i, o) != napi_ok) {
      free(items);
      throw_napi(env);
      return NULL;
    }
  }
  free(items);
  return arr;
}

/* nextQuestion(rubric, lead) -> {attribute, gain} or null (nothing missing) */
static napi_value next_question(napi_env env, napi_callback_info info) {
  napi_value  argv[2], o;
  handle     *r, *l;
  const char *attr;
  lg_points   gain;
  lg_status   st;
  if (!get_args(env, info, 2, argv) || !(r = get_handle(env, argv[0], K_RUBRIC, "rubric")) ||
      !(l = get_handle(env, argv[1], K_LEAD, "lead")))
    return NULL;
  st = lg_next_question(r->ptr, l->ptr, &attr, &gain);
  if (st == LG_ERR_NOT_FOUND) {
    CHECK(napi_get_null(env, &o));
    return o;
  }
  if (st != LG_OK) {
    throw_lg(env, st, "nextQuestion", NULL, -1);
    return NULL;
  }
  CHECK(napi_create_object(env, &o));
  if (!set(env, o, "attribute", js_str(env, attr)) || !set(env, o, "gain", js_int(env, gain)))
    return NULL;
  return o;
}

static napi_value sla(napi_env env, napi_callback_info info) {
  napi_value    argv[3], o;
  handle       *p, *l;
  lg_time       now;
  lg_sla_status s;
  if (!get_args(env, info, 3, argv) || !(p = get_handle(env, argv[0], K_POLICY, "policy")) ||
      !(l = get_handle(env, argv[1], K_LEAD, "lead")) || !get_time(env, argv[2], "now", &now))
    return NULL;
  if (!lg_ok(env, lg_sla_eval(p->ptr, l->ptr, now, &s), "sla")) return NULL;
  CHECK(napi_create_object(env, &o));
  if (!set(env, o, "state", js_name(env, lg_sla_state_name((lg_sla_state)s.state), s.state)) ||
      !set(env, o, "action", js_name(env, lg_action_name((lg_action)s.action), s.action)) ||
      !set(env, o, "startedAt", js_time(env, s.started_at)) ||
      !set(env, o, "dueAt", js_time(env, s.due_at)) ||
      !set(env, o, "nextAt", js_time(env, s.next_at)) ||
      !set(env, o, "elapsed", js_int(env, s.elapsed)) ||
      !set(env, o, "remaining", js_int(env, s.remaining)) ||
      !set(env, o, "reassignments", js_int(env, s.reassignments)) ||
      !set(env, o, "tier", js_int(env, s.tier)))
    return NULL;
  return o;
}

/* ---- routing ------------------------------------------------------------ */

/* An optional property of a rep object: 0 when absent (undefined). */
static int rep_prop(napi_env env, napi_value obj, const char *name, napi_value *v) {
  bool has = false;
  CHECK0(napi_has_named_property(env, obj, name, &has));
  if (!has) {
    *v = NULL;
    return 1;
  }
  CHECK0(napi_get_named_property(env, obj, name, v));
  if (type_of(env, *v) == napi_undefined) *v = NULL;
  return 1;
}

static int get_rep(napi_env env, napi_value obj, uint32_t i, lg_rep *rep, jstr *id) {
  napi_value v;
  char       what[64];
  memset(rep, 0, sizeof *rep);
  rep->available = 1;
  rep->weight = 1;
  rep->last_assigned_at = LG_TIME_MIN;
  snprintf(what, sizeof what, "reps[%u]", (unsigned)i);
  if (type_of(env, obj) != napi_object) {
    throw_type(env, what,
               "an object {id, available, openLeads, capacity, weight, "
               "lastAssignedAt}",
               obj);
    return 0;
  }
  snprintf(what, sizeof what, "reps[%u].id", (unsigned)i);
  if (!rep_prop(env, obj, "id", &v)) return 0;
  if (!v) {
    throw_type(env, what, "a string", NULL);
    return 0;
  }
  if (!get_string(env, v, what, id)) return 0;
  rep->id = id->p;
#define REP_FIELD(js, member)                               \
  snprintf(what, sizeof what, "reps[%u]." js, (unsigned)i); \
  if (!rep_prop(env, obj, js, &v)) return 0;                \
  if (v && !get_int32(env, v, what, &rep->member)) return 0
  snprintf(what, sizeof what, "reps[%u].available", (unsigned)i);
  if (!rep_prop(env, obj, "available", &v)) return 0;
  if (v && type_of(env, v) == napi_boolean) {
    int b;
    if (!get_bool(env, v, what, &b)) return 0;
    rep->available = b;
  } else if (v && !get_int32(env, v, what, &rep->available)) {
    return 0;
  }
  REP_FIELD("openLeads", open_leads);
  REP_FIELD("capacity", capacity);
  REP_FIELD("weight", weight);
#undef REP_FIELD
  snprintf(what, sizeof what, "reps[%u].lastAssignedAt", (unsigned)i);
  if (!rep_prop(env, obj, "lastAssignedAt", &v)) return 0;
  if (v && type_of(env, v) != napi_null && !get_time(env, v, what, &rep->last_assigned_at))
    return 0;
  return 1;
}

/* route(policy, lead, reps, now) -> index, or null when nobody can take it */
static napi_value route(napi_env env, napi_callback_info info) {
  napi_value argv[4], v = NULL;
  handle    *p, *l;
  lg_time    now;
  uint32_t   n, i, got = 0;
  lg_rep    *reps = NULL;
  jstr      *ids = NULL;
  size_t     chosen = 0, reps_cap = 0, ids_cap = 0;
  lg_status  st;
  if (!get_args(env, info, 4, argv) || !(p = get_handle(env, argv[0], K_POLICY, "policy")) ||
      !(l = get_handle(env, argv[1], K_LEAD, "lead")) || !get_array(env, argv[2], "reps", &n) ||
      !get_time(env, argv[3], "now", &now))
    return NULL;
  for (; got < n; got++) {
    napi_value e;
    if (!room_for(env, (void **)&reps, &reps_cap, got, sizeof *reps, "reps") ||
        !room_for(env, (void **)&ids, &ids_cap, got, sizeof *ids, "reps"))
      break;
    if (napi_get_element(env, argv[2], got, &e) != napi_ok) {
      throw_napi(env);
      break;
    }
    ids[got].heap = 0; /* for str_free below, if get_rep fails after the id */
    if (!get_rep(env, e, got, &reps[got], &ids[got])) {
      str_free(&ids[got]);
      break;
    }
  }
  if (got == n) {
    strs_moved(ids, n); /* ids grew: the reps' id pointers follow them */
    for (i = 0; i < n; i++) reps[i].id = ids[i].p;
    st = lg_route(p->ptr, l->ptr, reps, n, now, &chosen);
    if (st == LG_OK) {
      v = js_int(env, (int64_t)chosen);
    } else if (st == LG_ERR_NOT_FOUND) {
      if (napi_get_null(env, &v) != napi_ok) throw_napi(env);
    } else if (st == LG_ERR_INVALID && chosen < n) {
      char what[48];
      snprintf(what, sizeof what, "route: reps[%zu]", chosen);
      throw_lg(env, st, what, NULL, (long)chosen);
    } else {
      throw_lg(env, st, "route", NULL, -1);
    }
  }
  for (i = 0; i < got; i++) str_free(&ids[i]);
  free(ids);
  free(reps);
  return v;
}

/* ---- stats and calibration ---------------------------------------------- */

static napi_value stats_new(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  handle    *p;
  lg_stats  *s;
  if (!get_args(env, info, 1, argv) || !(p = get_handle(env, argv[0], K_POLICY, "policy")))
    return NULL;
  if (!lg_ok(env, lg_stats_create(p->ptr, &s), "Stats")) return NULL;
  if (!(v = new_handle(env, K_STATS, s, p))) lg_stats_free(s);
  return v;
}

static napi_value stats_add(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  handle    *s, *l;
  lg_time    now;
  if (!get_args(env, info, 3, argv) || !(s = get_handle(env, argv[0], K_STATS, "stats")) ||
      !(l = get_handle(env, argv[1], K_LEAD, "lead")) || !get_time(env, argv[2], "now", &now))
    return NULL;
  if (!lg_ok(env, lg_stats_add(s->ptr, l->ptr, now), "stats.add")) return NULL;
  return js_undefined(env);
}

static napi_value stats_reps(napi_env env, napi_callback_info info) {
  napi_value   argv[1], arr, o;
  handle      *s;
  size_t       i, n;
  lg_rep_stats r;
  if (!get_args(env, info, 1, argv) || !(s = get_handle(env, argv[0], K_STATS, "stats")))
    return NULL;
  n = lg_stats_rep_count(s->ptr);
  CHECK(napi_create_array_with_length(env, n, &arr));
  for (i = 0; i < n; i++) {
    if (!lg_ok(env, lg_stats_rep(s->ptr, i, &r), "stats.reps")) return NULL;
    CHECK(napi_create_object(env, &o));
    if (!set(env, o, "rep", js_str(env, r.rep)) ||
        !set(env, o, "assigned", js_int(env, r.assigned)) ||
        !set(env, o, "touched", js_int(env, r.touched)) ||
        !set(env, o, "touchedInSla", js_int(env, r.touched_in_sla)) ||
        !set(env, o, "breached", js_int(env, r.breached)) ||
        !set(env, o, "openOverdue", js_int(env, r.open_overdue)) ||
        !set(env, o, "medianResponse", js_int(env, r.median_response)) ||
        !set(env, o, "p90Response", js_int(env, r.p90_response)))
      return NULL;
    CHECK(napi_set_element(env, arr, (uint32_t)i, o));
  }
  return arr;
}

/* statsCorrelation(stats, reps: string[], attainment: number[]) */
static napi_value stats_correlation(napi_env env, napi_callback_info info) {
  napi_value   argv[3], v = NULL;
  handle      *s;
  uint32_t     n, m, got = 0, i;
  jstr        *names = NULL;
  const char **ptrs = NULL;
  double      *att = NULL, r = 0;
  size_t       names_cap = 0, ptrs_cap = 0, att_cap = 0;
  lg_status    st;
  if (!get_args(env, info, 3, argv) || !(s = get_handle(env, argv[0], K_STATS, "stats")) ||
      !get_array(env, argv[1], "reps", &n) || !get_array(env, argv[2], "attainment", &m))
    return NULL;
  if (n != m) {
    throw_range(env, "attainment", "must have one number per rep");
    return NULL;
  }
  if (!room_for(env, (void **)&ptrs, &ptrs_cap, 0, sizeof *ptrs, "reps") ||
      !room_for(env, (void **)&att, &att_cap, 0, sizeof *att, "attainment"))
    goto done;
  for (; got < n; got++) {
    napi_value e;
    char       what[48];
    double     x;
    if (!room_for(env, (void **)&names, &names_cap, got, sizeof *names, "reps") ||
        !room_for(env, (void **)&ptrs, &ptrs_cap, got, sizeof *ptrs, "reps") ||
        !room_for(env, (void **)&att, &att_cap, got, sizeof *att, "reps"))
      goto done;
    snprintf(what, sizeof what, "attainment[%u]", (unsigned)got);
    if (napi_get_element(env, argv[2], got, &e) != napi_ok) {
      throw_napi(env);
      goto done;
    }
    if (type_of(env, e) != napi_number) {
      throw_type(env, what, "a number", e);
      goto done;
    }
    napi_get_value_double(env, e, &x);
    if (!isfinite(x)) {
      throw_range(env, what, "must be a finite number");
      goto done;
    }
    att[got] = x;
    if (!get_string_at(env, argv[1], got, "reps", &names[got])) goto done;
  }
  strs_moved(names, n); /* names grew: the pointers follow them */
  for (i = 0; i < n; i++) ptrs[i] = names[i].p;
  st = lg_stats_correlation(s->ptr, ptrs, att, n, &r);
  if (st != LG_OK)
    throw_lg(env, st, "stats.correlation", NULL, -1);
  else if (napi_create_double(env, r, &v) != napi_ok)
    throw_napi(env);
done:
  for (i = 0; i < got; i++) str_free(&names[i]);
  free(names);
  free(ptrs);
  free(att);
  return v;
}

/* calibrate(rubric, leads, now, dimension, capacity) -> {threshold, count} */
static napi_value calibrate(napi_env env, napi_callback_info info) {
  napi_value      argv[5], o;
  handle         *r;
  lg_time         now;
  const lg_lead **leads;
  size_t          n = 0, capacity, count = 0;
  lg_points       threshold = 0;
  lg_dimension    dim;
  jstr            d;
  lg_status       st;
  if (!get_args(env, info, 5, argv) || !(r = get_handle(env, argv[0], K_RUBRIC, "rubric")) ||
      !get_time(env, argv[2], "now", &now) || !get_string(env, argv[3], "dimension", &d))
    return NULL;
  if (!strcmp(d.p, "fit"))
    dim = LG_DIM_FIT;
  else if (!strcmp(d.p, "engagement"))
    dim = LG_DIM_ENGAGEMENT;
  else if (!strcmp(d.p, "total"))
    dim = LG_DIM_TOTAL;
  else {
    str_free(&d);
    throw_range(env, "dimension", "must be 'fit', 'engagement' or 'total'");
    return NULL;
  }
  str_free(&d);
  if (!get_size(env, argv[4], "capacity", &capacity) || !(leads = get_leads(env, argv[1], &n)))
    return NULL;
  st = lg_calibrate(r->ptr, leads, n, now, dim, capacity, &threshold, &count);
  free(leads);
  if (st != LG_OK) {
    throw_lg(env, st, "calibrate", NULL, -1);
    return NULL;
  }
  CHECK(napi_create_object(env, &o));
  if (!set(env, o, "threshold", js_int(env, threshold)) ||
      !set(env, o, "count", js_int(env, (int64_t)count)))
    return NULL;
  return o;
}

/* ---- learning ----------------------------------------------------------- */

#define LEARN_MAX_ATTRIBUTES 1024 /* lg_learn_rubric's limit (LG_ERR_LIMIT beyond) */

/* An optional unsigned 32-bit option (0 when absent: the default). */
static int learn_option_u32(napi_env env, napi_value opts, const char *name, uint32_t *out) {
  napi_value v;
  int64_t    x;
  char       what[48];
  if (!rep_prop(env, opts, name, &v)) return 0;
  if (!v) return 1;
  join3(what, sizeof what, "options.", name, "");
  if (!get_int64(env, v, what, &x)) return 0;
  if (x < 0 || x > (int64_t)UINT32_MAX) {
    throw_range(env, what, "must be an integer from 0 to 4294967295");
    return 0;
  }
  *out = (uint32_t)x;
  return 1;
}

/* {maxValues, bins, minCount, scale}, all optional; undefined or null: all
 * defaults. */
static int get_learn_options(napi_env env, napi_value v, lg_learn_options *o) {
  napi_value scale;
  bool       is_arr = false;
  memset(o, 0, sizeof *o);
  if (is_nullish(env, v)) return 1;
  napi_is_array(env, v, &is_arr);
  if (type_of(env, v) != napi_object || is_arr) {
    throw_type(env, "options", "an object {maxValues, bins, minCount, scale}", v);
    return 0;
  }
  if (!learn_option_u32(env, v, "maxValues", &o->max_values) ||
      !learn_option_u32(env, v, "bins", &o->bins) ||
      !learn_option_u32(env, v, "minCount", &o->min_count) || !rep_prop(env, v, "scale", &scale))
    return 0;
  return !scale || get_int64(env, scale, "options.scale", &o->scale);
}

/* Why lg_learn_rubric said LG_ERR_INVALID, when it is about a name:
 * throws, with the attribute's index when it is one. */
static void throw_learn_invalid(napi_env env, const jstr *attrs, uint32_t n, const jstr *name) {
  lg_error e;
  uint32_t i, j;
  size_t   k;
  int      control = 0;
  memset(&e, 0, sizeof e);
  for (i = 0; i < n; i++) {
    char what[48];
    snprintf(what, sizeof what, "learnRubric: attributes[%u]", (unsigned)i);
    if (lg_name_check(attrs[i].p, &e) != LG_OK) {
      throw_lg(env, LG_ERR_INVALID, what, &e, (long)i);
      return;
    }
    for (j = 0; j < i; j++) {
      if (!strcmp(attrs[j].p, attrs[i].p)) {
        snprintf(e.message, sizeof e.message, "'%s' is given twice", attrs[i].p);
        throw_lg(env, LG_ERR_INVALID, what, &e, (long)i);
        return;
      }
    }
  }
  for (k = 0; k < name->len; k++)
    if ((unsigned char)name->p[k] < 0x20 || name->p[k] == 0x7f) control = 1;
  if (n == 0)
    snprintf(e.message, sizeof e.message, "no attributes to learn from");
  else if (name->len < 1 || name->len > 64 || control)
    snprintf(e.message, sizeof e.message,
             "the rubric name must be 1 to 64 bytes of UTF-8 without control characters");
  else
    snprintf(e.message, sizeof e.message,
             "an option is out of range (maxValues and bins at most 256, scale at most "
             "1000000 milli-points)");
  throw_lg(env, LG_ERR_INVALID, "learnRubric", &e, -1);
}

/* learnRubric(leads, converted, attributes, name, options?) -> rubric text */
static napi_value learn_rubric(napi_env env, napi_callback_info info) {
  napi_value       argv[5], v = NULL;
  const lg_lead  **leads = NULL;
  int32_t         *conv = NULL;
  jstr            *attrs = NULL, name;
  const char     **ptrs = NULL;
  char            *buf = NULL;
  size_t           n = 0, conv_cap = 0, cap, needed = 0, won = 0;
  uint32_t         m, n_attrs, got = 0, i;
  int              have_name = 0, tries;
  lg_learn_options opts;
  lg_status        st = LG_OK;
  lg_error         e;
  if (!get_args(env, info, 5, argv) || !(leads = get_leads(env, argv[0], &n))) return NULL;
  if (!get_array(env, argv[1], "converted", &m)) goto done;
  if (m != n) {
    throw_range(env, "converted", "must have one outcome per lead");
    goto done;
  }
  if (!room_for(env, (void **)&conv, &conv_cap, n ? n - 1 : 0, sizeof *conv, "converted"))
    goto done;
  for (i = 0; i < m; i++) {
    napi_value     c;
    napi_valuetype t;
    char           what[40];
    int64_t        x;
    snprintf(what, sizeof what, "converted[%u]", (unsigned)i);
    if (napi_get_element(env, argv[1], i, &c) != napi_ok) {
      throw_napi(env);
      goto done;
    }
    t = type_of(env, c);
    if (t == napi_boolean) {
      int b;
      if (!get_bool(env, c, what, &b)) goto done;
      x = b;
    } else if (t == napi_number) {
      if (!get_int64(env, c, what, &x)) goto done;
      if (x != 0 && x != 1) {
        throw_range(env, what, "must be true, false, 1 or 0");
        goto done;
      }
    } else {
      throw_type(env, what, "a boolean (or 1 or 0)", c);
      goto done;
    }
    conv[i] = (int32_t)x;
    won += (size_t)x;
  }
  if (!get_array(env, argv[2], "attributes", &n_attrs)) goto done;
  if (n_attrs > LEARN_MAX_ATTRIBUTES) {
    char msg[96];
    snprintf(msg, sizeof msg, "learnRubric: %u attributes, at most %d", (unsigned)n_attrs,
             LEARN_MAX_ATTRIBUTES);
    throw_lg(env, LG_ERR_LIMIT, msg, NULL, -1);
    goto done;
  }
  /* allocated whole: a jstr must not move (short strings point into it) */
  attrs = malloc((n_attrs ? n_attrs : 1) * sizeof *attrs);
  ptrs = malloc((n_attrs ? n_attrs : 1) * sizeof *ptrs);
  if (!attrs || !ptrs) {
    napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
    goto done;
  }
  for (; got < n_attrs; got++) {
    if (!get_string_at(env, argv[2], got, "attributes", &attrs[got])) goto done;
    ptrs[got] = attrs[got].p;
  }
  if (!get_string(env, argv[3], "name", &name)) goto done;
  have_name = 1;
  if (!get_learn_options(env, argv[4], &opts)) goto done;
  /* a first guess, then the size the library asks for */
  cap = (size_t)1024 * ((size_t)n_attrs + 1);
  if (cap > ((size_t)1 << 20) + 1) cap = ((size_t)1 << 20) + 1;
  for (tries = 0; tries < 2; tries++) {
    char *nb = realloc(buf, cap);
    if (!nb) {
      napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
      goto done;
    }
    buf = nb;
    st = lg_learn_rubric(leads, conv, n, ptrs, n_attrs, name.p, &opts, buf, cap, &needed);
    if (st != LG_ERR_BUFFER) break;
    cap = needed;
  }
  memset(&e, 0, sizeof e);
  if (st == LG_OK) {
    v = js_str(env, buf);
  } else if (st == LG_ERR_INVALID) {
    throw_learn_invalid(env, attrs, n_attrs, &name);
  } else if (st == LG_ERR_RANGE) {
    if (won < 10 || n - won < 10)
      snprintf(e.message, sizeof e.message,
               "needs at least 10 converted and 10 other leads (got %zu and %zu)", won, n - won);
    else
      snprintf(e.message, sizeof e.message,
               "an integer bin edge lies beyond +-10^15 (a rubric's match numbers)");
    throw_lg(env, st, "learnRubric", &e, -1);
  } else {
    throw_lg(env, st, "learnRubric", NULL, -1);
  }
done:
  for (i = 0; i < got; i++) str_free(&attrs[i]);
  if (have_name) str_free(&name);
  free(buf);
  free(attrs);
  free(ptrs);
  free(conv);
  free(leads);
  return v;
}

/* ---- lint --------------------------------------------------------------- */

/* An optional handle: NULL (and no throw) for undefined or null. */
static int get_optional_handle(napi_env env, napi_value v, int kind, const char *what,
                               handle **out) {
  *out = NULL;
  if (is_nullish(env, v)) return 1;
  return (*out = get_handle(env, v, kind, what)) != NULL;
}

/* lint(rubric?, policy?) -> [{severity, source, line, code, message}] */
static napi_value lint(napi_env env, napi_callback_info info) {
  napi_value  argv[2], arr = NULL, o;
  handle     *r, *p;
  lg_finding *items = NULL;
  size_t      count = 0, i;
  lg_status   st;
  lg_error    e;
  if (!get_args(env, info, 2, argv) || !get_optional_handle(env, argv[0], K_RUBRIC, "rubric", &r) ||
      !get_optional_handle(env, argv[1], K_POLICY, "policy", &p))
    return NULL;
  if (!r && !p) {
    memset(&e, 0, sizeof e);
    snprintf(e.message, sizeof e.message, "give a rubric, a policy or both");
    throw_lg(env, LG_ERR_INVALID, "lint", &e, -1);
    return NULL;
  }
  st = lg_lint(r ? r->ptr : NULL, p ? p->ptr : NULL, NULL, 0, &count);
  if (st != LG_OK && st != LG_ERR_BUFFER) {
    throw_lg(env, st, "lint", NULL, -1);
    return NULL;
  }
  if (!(items = malloc((count ? count : 1) * sizeof *items))) {
    napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
    return NULL;
  }
  st = lg_lint(r ? r->ptr : NULL, p ? p->ptr : NULL, items, count, &count);
  if (st != LG_OK) {
    throw_lg(env, st, "lint", NULL, -1);
    goto done;
  }
  if (napi_create_array_with_length(env, count, &arr) != napi_ok) {
    throw_napi(env);
    goto done;
  }
  for (i = 0; i < count; i++) {
    const lg_finding *f = &items[i];
    if (napi_create_object(env, &o) != napi_ok) {
      throw_napi(env);
      arr = NULL;
      goto done;
    }
    if (!set(env, o, "severity",
             js_name(env, lg_severity_name((lg_severity)f->severity), f->severity)) ||
        !set(env, o, "source",
             f->source == 0   ? js_str(env, "rubric")
             : f->source == 1 ? js_str(env, "policy")
                              : js_int(env, f->source)) ||
        !set(env, o, "line", js_int(env, f->line)) || !set(env, o, "code", js_str(env, f->code)) ||
        !set(env, o, "message", js_str(env, f->message))) {
      arr = NULL;
      goto done;
    }
    if (napi_set_element(env, arr, (uint32_t)i, o) != napi_ok) {
      throw_napi(env);
      arr = NULL;
      goto done;
    }
  }
done:
  free(items);
  return arr;
}

/* ---- times -------------------------------------------------------------- */

static napi_value time_parse(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  jstr       s;
  lg_time    t;
  lg_status  st;
  if (!get_args(env, info, 1, argv) || !get_string(env, argv[0], "text", &s)) return NULL;
  st = lg_time_parse(s.p, s.len, &t);
  str_free(&s);
  if (st != LG_OK) {
    throw_lg(env, st, "parseTime (YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM) or epoch seconds)", NULL, -1);
    return NULL;
  }
  return js_time(env, t);
}

static napi_value time_format(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  lg_time    t;
  char       buf[LG_TIME_TEXT_SIZE];
  if (!get_args(env, info, 1, argv) || !get_time(env, argv[0], "t", &t)) return NULL;
  if (!lg_ok(env, lg_time_format(t, buf, sizeof buf, NULL), "formatTime")) return NULL;
  return js_str(env, buf);
}

/* ---- load-time checks --------------------------------------------------- */

/* What this addon was compiled with, by lg_struct_id (index 0 unused). */
static const struct {
  const char *name;
  size_t      size;
} compiled[] = {
  { NULL, 0 },
  { "lg_error", sizeof(lg_error) },
  { "lg_allocator", sizeof(lg_allocator) },
  { "lg_score", sizeof(lg_score) },
  { "lg_contribution", sizeof(lg_contribution) },
  { "lg_decision", sizeof(lg_decision) },
  { "lg_sla_status", sizeof(lg_sla_status) },
  { "lg_rep", sizeof(lg_rep) },
  { "lg_rep_stats", sizeof(lg_rep_stats) },
  { "lg_finding", sizeof(lg_finding) },
  { "lg_learn_options", sizeof(lg_learn_options) },
};
#define N_COMPILED (sizeof compiled / sizeof *compiled)

/* The first mismatch between the library's sizes (reported[id]) and the
 * compiled ones, as a message in buf; 0 when all agree. */
static int size_mismatch(const size_t *reported, size_t n, char *buf, size_t cap) {
  size_t id;
  for (id = 1; id < N_COMPILED; id++) {
    size_t got = id < n ? reported[id] : 0;
    if (compiled[id].size == 0) continue;
    if (got != compiled[id].size) {
      snprintf(buf, cap,
               "leadgate: the library's %s is %zu bytes but this addon was compiled for %zu "
               "(header and library differ); rebuild the addon against the library it loads",
               compiled[id].name, got, compiled[id].size);
      return 1;
    }
  }
  return 0;
}

/* _sizeMismatch(sizes: number[]) -> message or null: the check the addon
 * makes at load, on sizes the caller gives (for the tests). */
static napi_value js_size_mismatch(napi_env env, napi_callback_info info) {
  napi_value argv[1], v;
  uint32_t   n, i;
  size_t     sizes[32];
  char       msg[300];
  if (!get_args(env, info, 1, argv) || !get_array(env, argv[0], "sizes", &n)) return NULL;
  if (n > 32) n = 32;
  for (i = 0; i < n; i++) {
    napi_value e;
    CHECK(napi_get_element(env, argv[0], i, &e));
    if (!get_size(env, e, "sizes[i]", &sizes[i])) return NULL;
  }
  if (!size_mismatch(sizes, n, msg, sizeof msg)) {
    CHECK(napi_get_null(env, &v));
    return v;
  }
  return js_str(env, msg);
}

/* _handlesInUse() -> handles not yet given back (for the tests: what is
 * closed or collected must come back). */
static napi_value js_handles_in_use(napi_env env, napi_callback_info info) {
  size_t n;
  (void)info;
  pthread_mutex_lock(&pool_lock);
  n = pool.in_use;
  pthread_mutex_unlock(&pool_lock);
  return js_int(env, (int64_t)n);
}

/* init(LeadgateError): remembers the error class. */
static napi_value js_init(napi_env env, napi_callback_info info) {
  napi_value  argv[1];
  addon_data *d = NULL;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (type_of(env, argv[0]) != napi_function) {
    throw_type(env, "init()", "the LeadgateError class", argv[0]);
    return NULL;
  }
  CHECK(napi_get_instance_data(env, (void **)&d));
  if (d->error_ctor) napi_delete_reference(env, d->error_ctor);
  d->error_ctor = NULL;
  CHECK(napi_create_reference(env, argv[0], 1, &d->error_ctor));
  return js_undefined(env);
}

#define FN(name, fn) \
  { name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL }

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  static const napi_property_descriptor fns[] = {
    FN("init", js_init),
    FN("_sizeMismatch", js_size_mismatch),
    FN("_handlesInUse", js_handles_in_use),
    FN("rubricParse", rubric_parse),
    FN("rubricInfo", rubric_info),
    FN("policyParse", policy_parse),
    FN("policyInfo", policy_info),
    FN("policyCalendar", policy_calendar),
    FN("calendarParse", calendar_parse),
    FN("toText", to_text),
    FN("close", close_handle),
    FN("calendarAdd", calendar_add),
    FN("calendarBetween", calendar_between),
    FN("calendarIsOpen", calendar_is_open),
    FN("calendarNextOpen", calendar_next_open),
    FN("leadNew", lead_new),
    FN("leadClone", lead_clone),
    FN("leadSet", lead_set),
    FN("leadUnset", lead_unset),
    FN("leadGet", lead_get),
    FN("leadAddEvent", lead_add_event),
    FN("leadAssign", lead_assign),
    FN("leadTouch", lead_touch),
    FN("leadRecordAction", lead_record_action),
    FN("leadSnooze", lead_snooze),
    FN("leadSetStage", lead_set_stage),
    FN("leadInfo", lead_info),
    FN("leadKey", lead_key),
    FN("score", score),
    FN("scoreMany", score_many),
    FN("decide", decide),
    FN("explain", explain),
    FN("nextQuestion", next_question),
    FN("sla", sla),
    FN("route", route),
    FN("statsNew", stats_new),
    FN("statsAdd", stats_add),
    FN("statsReps", stats_reps),
    FN("statsCorrelation", stats_correlation),
    FN("calibrate", calibrate),
    FN("learnRubric", learn_rubric),
    FN("lint", lint),
    FN("parseTime", time_parse),
    FN("formatTime", time_format),
  };
  addon_data *d;
  size_t      sizes[N_COMPILED], id;
  char        msg[300];
  napi_value  version, list;

  for (id = 0; id < N_COMPILED; id++) sizes[id] = lg_struct_size((lg_struct_id)id);
  if (size_mismatch(sizes, N_COMPILED, msg, sizeof msg)) {
    napi_throw_error(env, "LEADGATE_ABI_MISMATCH", msg);
    return NULL;
  }
  if (!(d = calloc(1, sizeof *d))) {
    napi_throw_error(env, "LG_ERR_NOMEM", "out of memory");
    return NULL;
  }
  if (napi_set_instance_data(env, d, data_finalize, NULL) != napi_ok) {
    free(d);
    throw_napi(env);
    return NULL;
  }
  CHECK(napi_define_properties(env, exports, sizeof fns / sizeof *fns, fns));
  CHECK(napi_create_string_utf8(env, lg_version_string(), NAPI_AUTO_LENGTH, &version));
  CHECK(napi_set_named_property(env, exports, "libraryVersion", version));
  CHECK(napi_create_array_with_length(env, N_COMPILED, &list));
  for (id = 0; id < N_COMPILED; id++) {
    napi_value n;
    CHECK(napi_create_uint32(env, (uint32_t)compiled[id].size, &n));
    CHECK(napi_set_element(env, list, (uint32_t)id, n));
  }
  CHECK(napi_set_named_property(env, exports, "_compiledSizes", list));
  return exports;
}
