/*
 * internal.h - types and functions shared between the library's modules.
 * Nothing here is exported from the shared library (only LG_API is).
 * Each section names the file that owns it.
 */
#ifndef LG_INTERNAL_H
#define LG_INTERNAL_H

#include "leadgate.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define LG__MAX_TEXT_INPUT ((size_t)1 << 20)   /* 1 MiB of definition text */
#define LG__MAX_POINTS     INT64_C(1000000000) /* +-1,000,000 points, milli */
#define LG__DAY_SECS       INT64_C(86400)

#if defined(__GNUC__)
#  define LG__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define LG__UNLIKELY(x) (x)
#endif

/* A compile-time check of a correspondence the code relies on (C99 has no
 * _Static_assert): a negative array size fails the build. */
#define LG__STATIC_ASSERT(cond, name) typedef char lg__assert_##name[(cond) ? 1 : -1]

/* Defensive branches that the code believes cannot be taken, in the manner
 * of SQLite's NEVER()/ALWAYS(): `if (LG__NEVER(x)) return LG_ERR_...;`.
 * In release builds they are the plain condition, so a broken belief still
 * takes the safe branch; in debug and sanitizer builds (LG_DEBUG, set by
 * LEADGATE_SANITIZE) a broken belief aborts, so tests find it. */
#if defined(LG_DEBUG)
#  include <assert.h>
#  define LG__NEVER(x)  ((x) ? (assert(0 && "LG__NEVER: " #  x), 1) : 0)
#  define LG__ALWAYS(x) ((x) ? 1 : (assert(0 && "LG__ALWAYS: " #  x), 0))
#else
#  define LG__NEVER(x)  (x)
#  define LG__ALWAYS(x) (x)
#endif

/* ---- alloc.c: every allocation goes through these ---------------------- */

void *lg__malloc(size_t size);             /* NULL for size 0 or failure */
void *lg__calloc(size_t n, size_t size);   /* zeroed; overflow-checked */
void *lg__realloc(void *ptr, size_t size); /* size > 0 */
void  lg__free(void *ptr);                 /* NULL ok */
/* Forgets that the library has allocated, so lg_set_allocator works again.
 * For the test suite only (which swaps in failing allocators between
 * cases); never exported. */
void  lg__alloc_reset(void);
char *lg__strndup(const char *s, size_t n); /* copies n bytes + NUL */
/* Grows `ptr` (an array of *cap elements of `elem` bytes) to hold at least
 * `need` elements, doubling.  Returns the (possibly moved) array and
 * updates *cap; NULL on failure, with ptr and *cap untouched. */
void *lg__grow(void *ptr, uint32_t *cap, uint32_t need, size_t elem);

/* ---- checked.c: checked arithmetic ------------------------------------ */

int lg__add_overflow(int64_t a, int64_t b, int64_t *out); /* 1 on overflow */
int lg__mul_overflow(int64_t a, int64_t b, int64_t *out); /* 1 on overflow */
int lg__time_valid(lg_time t);                            /* LG_TIME_MIN <= t <= LG_TIME_MAX */

/* ---- time.c: the proleptic Gregorian calendar ------------------------- */

int lg__is_leap(int64_t y);
int lg__days_in_month(int64_t y, int m); /* m in 1..12 */
/* Days since 1970-01-01 of a valid date, and back. */
int64_t lg__days_from_date(int64_t y, int m, int d);
void    lg__date_from_days(int64_t days, int64_t *y, int *m, int *d);

/* ---- names.c: names, UTF-8, hashing ------------------------------------ */

/* 1 if s[0..n) matches [a-z][a-z0-9_]{0,63}. */
int lg__name_valid(const char *s, size_t n);
/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int lg__utf8_valid(const char *s, size_t n);
/* Length of the well-formed UTF-8 sequence at s[0..n), 0 if malformed. */
size_t lg__utf8_seq_len(const unsigned char *s, size_t n);
/* Offset of the first byte of s[0..n) that is not well-formed UTF-8, or n. */
size_t lg__utf8_first_invalid(const char *s, size_t n);
/* FNV-1a 32 of a name: the fast pre-check before comparing names. */
uint32_t lg__name_hash(const char *s, size_t n);
/* ASCII-case-insensitive equality of two byte strings. */
int lg__text_ieq(const char *a, size_t an, const char *b, size_t bn);

/* ---- buf.c: the output sink -------------------------------------------- */

/* Output sink for canonical text: snprintf-style (counts everything, writes
 * what fits into dst when dst != NULL) and hashes everything with FNV-1a 64
 * so that fingerprints need no second buffer. */
typedef struct lg__buf {
  char    *dst;
  size_t   cap;
  size_t   len;     /* bytes produced so far (may exceed cap) */
  uint64_t hash;    /* FNV-1a 64 of all bytes produced */
  int      hashing; /* 0: hash not kept (lg__buf_init_text) */
} lg__buf;

void lg__buf_init(lg__buf *b, char *dst, size_t cap);
/* The same for text only wanted as text (reasons): no hash is kept. */
void lg__buf_init_text(lg__buf *b, char *dst, size_t cap);
void lg__buf_put(lg__buf *b, const char *s, size_t n);
void lg__buf_puts(lg__buf *b, const char *s);
void lg__buf_putc(lg__buf *b, char c);
void lg__buf_int(lg__buf *b, int64_t v);
/* Milli value as a normalised decimal: 2500 -> "2.5", -250 -> "-0.25". */
void lg__buf_milli(lg__buf *b, int64_t milli);
/* The duration units of both formats, largest first (printing picks the
 * largest that divides; the lexer reads any). */
typedef struct lg__duration_unit {
  char    name;
  int64_t secs;
} lg__duration_unit;
#define LG__N_DURATION_UNITS 5
extern const lg__duration_unit lg__duration_units[LG__N_DURATION_UNITS];
/* Seconds with the largest unit that divides them: 172800 -> "2d",
 * 90 -> "90s", 0 -> "0s".  Units w d h m s. */
void lg__buf_duration(lg__buf *b, int64_t secs);
/* A double-quoted string with `"` and `\` escaped. */
void lg__buf_quoted(lg__buf *b, const char *s, size_t n);
/* Finishes a to_text call: the snprintf-style public contract. `render`
 * is called once to measure and, if it fits, once more to write. */
lg_status lg__render_text(void (*render)(const void *obj, lg__buf *b), const void *obj, char *buf,
                          size_t cap, size_t *needed);
/* FNV-1a 64 of what `render` produces. */
uint64_t lg__render_hash(void (*render)(const void *obj, lg__buf *b), const void *obj);

/* ---- lexer.c: the lexer shared by rubric, policy and calendar -----------
 *
 * A cursor over one line at a time.  Parsers pull the piece they expect
 * next ("a duration", "'->'") so errors can say exactly what was expected.
 * Every lg__lex_* function that fails records the error in lx->err (first
 * error wins) and returns its status; the caller just propagates it. */

typedef struct lg__span {
  const char *p;
  size_t      n;
} lg__span;

typedef struct lg__lexer {
  const char *src;
  size_t      len;
  size_t      pos;        /* cursor */
  size_t      line_start; /* offset of the current line */
  size_t      line_end;   /* offset of the current line's '\n' (or len) */
  size_t      next_line;  /* offset where the next line starts */
  uint32_t    line;       /* 1-based number of the current line */
  lg_error   *err;        /* never NULL once initialised */
  lg_error    own_err;    /* used when the caller passed no lg_error */
} lg__lexer;

/* Checks size (LG_ERR_LIMIT beyond 1 MiB), NUL bytes and UTF-8
 * (LG_ERR_SYNTAX with position).  `err` may be NULL.  The cursor then sits
 * before line 1: call lg__lex_next_line. */
lg_status lg__lex_init(lg__lexer *lx, const char *text, size_t len, lg_error *err);
/* Advances to the next line holding a statement (skipping blank and
 * comment-only lines) with the cursor on its first token; 0 at the end. */
int lg__lex_next_line(lg__lexer *lx);
/* Skips blanks; 1 when only a comment or nothing is left on the line. */
int lg__lex_at_eol(lg__lexer *lx);
/* Thousands separators: 1 if the next token is a ',' right after a digit
 * and followed by exactly three plain digits (`1,000`); the error says
 * numbers take no separators.  lg__lex_plain_digits counts the digits at
 * byte `at` when nothing number-like follows them (0 otherwise). */
int       lg__lex_thousands_at(lg__lexer *lx);
lg_status lg__lex_thousands_error(lg__lexer *lx);
size_t    lg__lex_plain_digits(const lg__lexer *lx, size_t at);
/* LG_OK if at end of line, else an error "unexpected X after Y". */
lg_status lg__lex_expect_eol(lg__lexer *lx, const char *after);
/* 1 if the next token is the word `w` (a keyword such as "half-life",
 * ending at a non-word character); lg__lex_accept_word also consumes it. */
int lg__lex_peek_word(lg__lexer *lx, const char *w);
int lg__lex_accept_word(lg__lexer *lx, const char *w);
/* 1 and consumes if the next characters are `p` (punctuation: "->", ",",
 * "..", "(", ")").  lg__lex_expect errors with "expected WHAT". */
int       lg__lex_accept(lg__lexer *lx, const char *p);
lg_status lg__lex_expect(lg__lexer *lx, const char *p, const char *what);
/* The next word [a-z][a-z0-9_-]* as a span (keywords, day names); empty
 * span if none. */
lg__span lg__lex_peek_keyword(lg__lexer *lx);
/* A name [a-z][a-z0-9_]{0,63}; `what` names it in errors ("attribute
 * name"): upper case gives "unknown attribute name 'Need': names are lower
 * case". */
lg_status lg__lex_name(lg__lexer *lx, const char *what, lg__span *out);
/* A double-quoted string, unescaped into a new allocation (*out, *n). */
lg_status lg__lex_string(lg__lexer *lx, const char *what, char **out, size_t *n);
/* 1 if the next token starts a string / a number (sign or digit). */
int lg__lex_peek_string(lg__lexer *lx);
int lg__lex_peek_number(lg__lexer *lx);
/* A signed decimal with at most 3 fractional digits, in thousandths.
 * |value| must be <= limit_milli (LG_ERR_LIMIT otherwise). */
lg_status lg__lex_number(lg__lexer *lx, const char *what, int64_t limit_milli, int64_t *milli);
/* A duration: a non-negative number and a unit s m h d w, whole seconds,
 * at most 1000 years. */
lg_status lg__lex_duration(lg__lexer *lx, const char *what, int64_t *secs);
/* A percentage: a non-negative number followed by '%', in thousandths of a
 * percent (75% -> 75000). */
lg_status lg__lex_percent(lg__lexer *lx, const char *what, int64_t *milli_pct);
/* A comparison operator < <= > >= = !=. */
typedef enum lg__cmp { LG__LT, LG__LE, LG__GT, LG__GE, LG__EQ, LG__NE } lg__cmp;
int         lg__lex_accept_cmp(lg__lexer *lx, int *op);
const char *lg__cmp_text(int op);
/* Records an error at the cursor (or at byte offset `at`) and returns st.
 * The message is printf-formatted and cut to fit lg_error.message. */
lg_status lg__lex_error(lg__lexer *lx, lg_status st, const char *fmt, ...);
lg_status lg__lex_error_at(lg__lexer *lx, size_t at, lg_status st, const char *fmt, ...);
/* Describes the token at the cursor for messages: "'foo'", "end of line". */
void lg__lex_describe(lg__lexer *lx, char *out, size_t cap);
/* "expected WHAT, got TOKEN" (SYNTAX) at the cursor. */
lg_status lg__lex_expected(lg__lexer *lx, const char *what);
/* LG_ERR_NOMEM, with "out of memory" in the lexer's error. */
lg_status lg__lex_nomem(lg__lexer *lx);
/* The cursor's offset after blanks: where the next token starts. */
size_t lg__lex_token_at(lg__lexer *lx);
/* Marks a successful parse in the caller's lg_error (status 0, empty). */
void lg__error_clear(lg_error *err);
/* Fills err (if not NULL) with a status and no position, e.g. NOMEM. */
void lg__error_set(lg_error *err, lg_status st, const char *msg);

/* ---- lead.c: the lead's storage, read by every evaluator --------------- */

enum { LG__VAL_NONE = 0, LG__VAL_TEXT = 1, LG__VAL_INT = 2, LG__VAL_BOOL = 3 };
/* Stored type codes are handed out as lg_value_type without translation. */
LG__STATIC_ASSERT(LG__VAL_NONE == (int)LG_VALUE_NONE && LG__VAL_TEXT == (int)LG_VALUE_TEXT &&
                      LG__VAL_INT == (int)LG_VALUE_INT && LG__VAL_BOOL == (int)LG_VALUE_BOOL,
                  value_codes_are_public_codes);
/* A recorded action hides every less severe one by comparing codes, and
 * the recorded set is a bit per action in 32 bits. */
LG__STATIC_ASSERT(LG_ACTION_NONE < LG_ACTION_WARN && LG_ACTION_WARN < LG_ACTION_REMIND &&
                      LG_ACTION_REMIND < LG_ACTION_ESCALATE &&
                      LG_ACTION_ESCALATE < LG_ACTION_REASSIGN &&
                      LG_ACTION_REASSIGN < LG_ACTION_RECYCLE && LG_ACTION_RECYCLE < 32,
                  action_order_is_severity);

typedef struct lg__attr {
  int64_t  value;    /* int value, bool 0/1, or text: arena offset */
  uint32_t name;     /* arena offset of the NUL-terminated name */
  uint16_t text_len; /* text bytes (type TEXT) */
  uint8_t  type;     /* LG__VAL_* */
  uint8_t  name_len;
} lg__attr;

/* An event type's name: its arena offset (NUL-terminated there) and its
 * length in one word, as arena offsets stay below 2^24 (lead.c). */
typedef struct lg__evtype {
  uint32_t ref; /* offset | length << 24 */
} lg__evtype;

#define LG__ARENA_MAX ((uint32_t)1 << 24)
static inline uint32_t lg__evtype_off(const lg__evtype *t) { return t->ref & (LG__ARENA_MAX - 1); }
static inline uint32_t lg__evtype_len(const lg__evtype *t) { return t->ref >> 24; }

typedef struct lg__assignment {
  lg_time  assigned_at;
  lg_time  touched_at; /* LG_TIME_NEVER until touched */
  uint32_t owner;      /* arena offset */
  uint32_t recorded;   /* bit (1u << lg_action) per recorded action */
  uint32_t snz, n_snz; /* its snoozes: lead->snz[snz, snz + n_snz) */
} lg__assignment;

/* A paused stretch [from, until) of one assignment's clock.  An
 * assignment's snoozes are sorted, merged (neither overlapping nor
 * touching) and start at or after it; only the current assignment gets
 * new ones, so each assignment's lie together, in assignment order. */
typedef struct lg__snooze {
  lg_time from, until;
} lg__snooze;

/* Pointers and 64-bit fields first, then the 32-bit ones. */
struct lg_lead {
  char           *id;      /* right after the struct, or a block of its own */
  char           *arena;   /* NUL-terminated strings */
  lg__attr       *attrs;   /* unordered */
  lg_time        *ev_at;   /* events sorted by time, then insertion */
  uint16_t       *ev_type; /* index into types */
  lg__evtype     *types;   /* distinct event types */
  lg__assignment *asg;     /* in time order; the last one is current */
  lg__snooze     *snz;     /* every assignment's snoozes (lg__assignment.snz) */
  lg_time         stage_at;
  /* A bit (lead.c, name_bit) for every attribute name stored since the
   * lead was made or reset: a name whose bit is clear is not there. */
  uint64_t attr_bits;
  uint32_t arena_len, arena_cap, arena_garbage;
  uint32_t n_attrs, cap_attrs;
  uint32_t n_events, cap_events;
  uint32_t n_types, cap_types;
  uint32_t n_asg, cap_asg;
  uint32_t n_snz, cap_snz;
  uint32_t id_cap; /* bytes `id` can hold, its NUL included */
  int32_t  stage;
};

static inline const char *lg__lead_str(const lg_lead *lead, uint32_t off) {
  return lead->arena + off;
}
/* The attribute called name[0..name_len), or NULL. */
const lg__attr *lg__lead_find_attr(const lg_lead *lead, const char *name, size_t name_len);
/* Index of event type name[0..name_len) in lead->types, or -1. */
int32_t lg__lead_find_type(const lg_lead *lead, const char *name, size_t name_len);
/* Number of events with time <= now (events are sorted: a binary search). */
uint32_t lg__lead_events_upto(const lg_lead *lead, lg_time now);
/* `arr` (capacity *cap) with room for `need` elements, starting at `first`
 * elements for a table that has none yet: a lead's tables grow with this
 * (lead.c, lead_timeline.c).  NULL on failure, arr and *cap untouched. */
void *lg__table_reserve(void *arr, uint32_t *cap, uint32_t need, size_t elem, uint32_t first);

/* ---- match.c: match lists shared by rubric `when`, knockouts and policy
 * `attr NAME is ...` / `attr NAME CMP VALUE` ----------------------------- */

enum { LG__M_TEXT = 1, LG__M_CMP = 2, LG__M_RANGE = 3, LG__M_BOOL = 4 };

typedef struct lg__match {
  int32_t kind; /* LG__M_* */
  int32_t op;   /* lg__cmp for LG__M_CMP */
  int64_t a, b; /* milli numbers (CMP: a; RANGE: a..b); BOOL: a 0/1 */
  /* The test, worked out by the parser: an attribute of type vtype whose
   * value v has lo <= v <= hi matches (does not, when `outside`).  Numbers
   * become whole bounds (`< 2.5` is v <= 2, `= 2.5` the empty [1, 0]). */
  int64_t lo, hi;
  uint8_t vtype; /* LG__VAL_* */
  uint8_t outside;
  char   *text; /* LG__M_TEXT: owned, NUL-terminated */
  size_t  text_len;
} lg__match;

typedef struct lg__match_list {
  lg__match *items;
  uint32_t   n;
} lg__match_list;

/* Parses `MATCH, MATCH, ...` where MATCH is "text", true, false, N, N..M,
 * or CMP N; stops before anything that does not continue the list.  On
 * failure nothing is left allocated. */
lg_status lg__match_list_parse(lg__lexer *lx, lg__match_list *out);
void      lg__match_list_free(lg__match_list *m);
void      lg__match_list_print(const lg__match_list *m, lg__buf *b);
/* 1 if the attribute (non-NULL) satisfies any item of the list. */
int lg__match_list_test(const lg__match_list *m, const lg_lead *lead, const lg__attr *attr);

/* Byte equality of a[0..n) and b[0..n), ASCII letters compared without
 * case. */
static inline int lg__ascii_ieq(const char *a, const char *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x != y) {
      if ((unsigned)(x - 'A') < 26u) x = (unsigned char)(x + 32);
      if ((unsigned)(y - 'A') < 26u) y = (unsigned char)(y + 32);
      if (x != y) return 0;
    }
  }
  return 1;
}

/* Whether attribute `a` of the lead whose arena is `arena` satisfies one
 * item (lg__match_list_test is this in a loop). */
int lg__match_one(const lg__match *it, const char *arena, const lg__attr *a);
/* Compares an integer with a milli value exactly: -1, 0, 1. */
int lg__cmp_int_milli(int64_t v, int64_t milli);
/* sign = -1/0/1 of (lhs - rhs); inline: every score comparison of a
 * policy rule is one, per lead. */
static inline int lg__cmp_holds(int op, int sign) {
  switch (op) {
  case LG__LT: return sign < 0;
  case LG__LE: return sign <= 0;
  case LG__GT: return sign > 0;
  case LG__GE: return sign >= 0;
  case LG__EQ: return sign == 0;
  default: return sign != 0;
  }
}

/* ---- rubric.c / score.c / decay.c ------------------------------------- */

/* Knockouts by name, for policy expressions `knockout "name"`. */
int32_t     lg__rubric_knockout_find(const lg_rubric *r, const char *name, size_t n);
int         lg__rubric_knockout_hit(const lg_rubric *r, int32_t index, const lg_lead *lead);
const char *lg__rubric_knockout_name(const lg_rubric *r, int32_t index);
/* Decay of an event of age `age` (>= 0) worth `points` milli-points:
 * kind LG__DECAY_*, param the half-life / expiry / linear span in seconds.
 * Integer only; within 1 milli-point of the exact value. */
enum { LG__DECAY_NONE = 0, LG__DECAY_HALF_LIFE, LG__DECAY_EXPIRE, LG__DECAY_LINEAR };
int64_t lg__decay(int kind, int64_t param, int64_t points, int64_t age);
/* An engagement criterion's points and decay, with what decaying needs
 * worked out once (lg__decay_rule_init): inv = lg__decay_inverse(span)
 * turns the division by the span into a multiply. */
typedef struct lg__decay_rule {
  int64_t  points; /* per event, milli-points */
  int64_t  span;   /* half-life / expiry / linear span, seconds; 0: none */
  uint64_t inv;
  uint64_t m_hi, m_lo; /* half-life: ceil(2^128 / span) (see decay.c) */
  int32_t  kind;       /* LG__DECAY_* */
} lg__decay_rule;
void     lg__decay_rule_init(lg__decay_rule *rule, int kind, int64_t span, int64_t points);
uint64_t lg__decay_inverse(int64_t span);
/* lg__decay of one event under the rule. */
int64_t lg__decay_one(const lg__decay_rule *rule, int64_t age);
/* The decayed sum over i < n with type[i] == t of the events' points at
 * age now - at[i] (events at or before now, n <= LG_MAX_EVENTS); *count
 * gets how many there were.  The events are summed at 2^-32 milli-points
 * and rounded once, so the sum is within 1 milli-point (0.501) of the
 * exact one however many events there are; not the sum of lg__decay_one's
 * per-event roundings. */
int64_t lg__decay_sum(const lg__decay_rule *rule, lg_time now, const lg_time *at,
                      const uint16_t *type, uint16_t t, uint32_t n, uint32_t *count);

/* One pass over a lead's events (the first n, at or before now) for all
 * its `each` half-life criteria at once (score.c): event i adds its fine
 * value to slots[slot_of[type[i]]] and sets last[type[i]] = i + 1.  A
 * slot is set up by lg__decay_slot_init from a rule that
 * lg__decay_fast_rule accepts, or from NULL (slot 0: adds nothing).
 * lg__decay_slot_total is then exactly what lg__decay_sum returns for
 * that rule.  `at` is sorted (as a lead's events are); returns 0, having
 * done nothing, when at[0] is too old for the fast kernel (2^36 s). */
typedef struct lg__decay_slot {
  uint64_t m_hi, m_lo, mag;
  uint64_t hi, lo; /* the sum, 2^-32 milli-points */
} lg__decay_slot;
int lg__decay_fast_rule(const lg__decay_rule *rule);
int lg__decay_pass(lg__decay_slot *slots, const uint8_t *slot_of, lg_time now, const lg_time *at,
                   const uint16_t *type, uint32_t n, uint32_t *last);
int64_t            lg__decay_slot_total(const lg__decay_slot *s, int64_t points);
static inline void lg__decay_slot_init(lg__decay_slot *s, const lg__decay_rule *rule) {
  int64_t p = rule ? rule->points : 0;
  s->m_hi = rule ? rule->m_hi : 0;
  s->m_lo = rule ? rule->m_lo : 0;
  s->mag = p < 0 ? (uint64_t)0 - (uint64_t)p : (uint64_t)p;
  s->hi = s->lo = 0;
}

/* For decision wake-ups (score.c).  The engagement score at `now` split
 * by the sign of the criteria's points: *pos + *neg is lg_score.engagement
 * to the bit.  Does not allocate. */
void lg__engagement_parts(const lg_rubric *r, const lg_lead *lead, lg_time now, int64_t *pos,
                          int64_t *neg);
/* Whether the rubric has decaying engagement criteria with positive points
 * (*falls: their values only fall as time passes) or negative (*rises). */
void lg__rubric_decay_signs(const lg_rubric *r, int *falls, int *rises);
/* The same for the lead's events at or before `now`, counting only
 * criteria whose value can still change after `now`; *settled gets an
 * instant (>= now, <= LG_TIME_MAX) from which no criterion's value changes
 * any more until a later event is counted. */
void lg__engagement_trend(const lg_rubric *r, const lg_lead *lead, lg_time now, int *falls,
                          int *rises, lg_time *settled);

/* ---- calendar.c ---------------------------------------------------------- */

/* Parses calendar statements starting at the current line and following
 * lines while they begin with a calendar keyword (`calendar` only as the
 * first, when `standalone`).  Leaves the lexer on the first line that does
 * not belong to the block (lg__lex_next_line already called), or at the
 * end; *more tells which (1 = a line is waiting).  In standalone mode any
 * other statement is a syntax error. */
lg_status lg__calendar_parse_block(lg__lexer *lx, int standalone, lg_calendar **out, int *more);
/* Prints the block in canonical form: "calendar\n" then indented lines. */
void lg__calendar_print(const lg_calendar *c, lg__buf *b);
/* A shared, immutable calendar that is always open. */
const lg_calendar *lg__calendar_always(void);

/* ---- sla.c: also used by stats.c ---------------------------------------
 * Evaluates assignment `index` (0-based) of the lead as of `now`.  For an
 * assignment that is not the last, its clock stops at the next assignment:
 * evaluation happens as of min(now, next assigned_at) and a touch counts
 * only if it happened before that.  lg_sla_eval is index = last. */
lg_status lg__sla_eval_assignment(const lg_policy *p, const lg_lead *lead, uint32_t index,
                                  lg_time now, lg_sla_status *out);
/* The one rule for which touch counts for assignment i as of now (see
 * sla.c): its instant, or LG_TIME_NEVER when none does.  i < n_asg. */
lg_time lg__assignment_touch(const lg_lead *lead, uint32_t i, lg_time now);
/* Wall-clock seconds of assignment i's clock in [assigned_at, until), net
 * of its snoozes; 0 when until is not after the assignment. */
lg_duration lg__assignment_wall(const lg_lead *lead, uint32_t i, lg_time until);

/* ---- expr.c: policy expressions (conditions of disqualify, qualify and
 * grade lines) ------------------------------------------------------------
 *
 * One expression owns a node array, a string arena and its match lists;
 * nodes refer to each other by index.  Evaluation and printing never
 * allocate.  Nesting (each '(' and each `not`) is at most 64 deep, which
 * bounds every recursion. */

typedef struct lg__xnode lg__xnode; /* private to expr.c */

typedef struct lg__expr {
  lg__xnode      *nodes;
  uint32_t        n_nodes, cap_nodes;
  uint32_t        root;
  char           *strs; /* NUL-terminated names and texts */
  uint32_t        n_strs, cap_strs;
  lg__match_list *lists; /* `attr NAME is ...` */
  uint32_t        n_lists, cap_lists;
  /* Reasons: each node's canonical text, worked out by the parser, for
   * nodes without a bare `knockout` below them (whose text names the
   * knockout that matched) and of at most LG__REASON_CACHE bytes:
   * rt + rt_span[2 i], rt_span[2 i + 1] bytes; length UINT32_MAX when
   * not kept.  NULL: none kept. */
  uint32_t *rt_span;
  char     *rt;
  uint32_t  n_events; /* `event X within D` nodes (none: no window to follow) */
} lg__expr;
#define LG__REASON_CACHE 160

/* What an expression is evaluated against. */
typedef struct lg__expr_ctx {
  const lg_rubric *rubric; /* for `knockout "name"` and reason names */
  const lg_score  *score;  /* fit / engagement / total / knockout */
  const lg_lead   *lead;   /* attributes, events, stage */
  lg_time          now;    /* `event ... within D` looks back from here */
} lg__expr_ctx;

/* Parses an expression from the cursor to the end of the line (anything
 * left over is a syntax error).  On failure *out is untouched and nothing
 * is left allocated; the error is in lx->err. */
lg_status lg__expr_parse(lg__lexer *lx, lg__expr *out);
/* The same without the score atoms (fit, engagement, total, knockout):
 * each is a syntax error saying why.  For conditions evaluated without a
 * rubric (follow-up tiers); such an expression may be evaluated with a
 * NULL score and rubric. */
lg_status lg__expr_parse_lead(lg__lexer *lx, lg__expr *out);
/* The one-node expression `knockout` (the default disqualify rule);
 * LG_ERR_NOMEM is recorded in lx->err. */
lg_status lg__expr_knockout(lg__lexer *lx, lg__expr *out);
void      lg__expr_free(lg__expr *e); /* leaves *e empty; NULL ok */
/* Node i of the expression as an input it reads: an attribute (attr,
 * missing) or an event type (event ... within); kind -1 for nodes that
 * read neither.  vtype is the value type compared with, LG__VAL_NONE for
 * several, LG__ATOM_PRESENCE when only presence is tested (missing,
 * events).  0 when i is past the last node. */
#define LG__ATOM_PRESENCE (-1)
typedef struct lg__atom {
  const char *name;
  size_t      len;
  int         kind;  /* lg_input_kind, or -1 */
  int         vtype; /* LG__VAL_*, or LG__ATOM_PRESENCE */
} lg__atom;
int lg__expr_atom(const lg__expr *e, uint32_t i, lg__atom *out);
/* Node i of the expression as lint.c reasons about it: an `or`/`and`
 * (first operand, operands linked by next), a `not` (first), a score
 * comparison (which: 0 fit, 1 engagement, 2 total; op lg__cmp; value
 * milli), `knockout`, `knockout "name"` and `event TYPE within D` (name),
 * or any other atom (one that reads the lead).  0 when i is past the
 * last node.  The root is e->root. */
#define LG__XV_NIL UINT32_MAX
enum {
  LG__XV_OR = 1,
  LG__XV_AND,
  LG__XV_NOT,
  LG__XV_SCORE,
  LG__XV_KO_ANY,
  LG__XV_KO_NAMED,
  LG__XV_EVENT,
  LG__XV_LEAD
};
typedef struct lg__xview {
  int         kind; /* LG__XV_* */
  int         op, which;
  int64_t     value;
  uint32_t    first, next;
  const char *name;
  size_t      name_len;
} lg__xview;
int lg__expr_view(const lg__expr *e, uint32_t i, lg__xview *out);
/* Canonical text: one space between tokens, parentheses only around an
 * `or` inside an `and` and an `and`/`or` under `not`. */
void lg__expr_print(const lg__expr *e, lg__buf *b);
/* The same for node i alone (lint.c compares atoms by their text). */
void lg__expr_print_node(const lg__expr *e, uint32_t i, lg__buf *b);
/* 1 if the expression holds for ctx. */
int lg__expr_eval(const lg__expr *e, const lg__expr_ctx *ctx);
/* The same, and adds to *touched (when not NULL) what the evaluation
 * consulted on its way (`and` and `or` stop at the first operand that
 * settles them): LG__TOUCH_SCORE for an engagement or total comparison,
 * LG__TOUCH_EVENT for an `event X within D`.  A result that consulted
 * neither is the same for every engagement and every instant. */
#define LG__TOUCH_SCORE 1u
#define LG__TOUCH_EVENT 2u
int lg__expr_eval_touched(const lg__expr *e, const lg__expr_ctx *ctx, unsigned *touched);
/* The part that decided, as canonical text: `holds` is lg__expr_eval's
 * result.  Holding: an `or` gives its first holding alternative
 * (recursively), anything else its own text.  Failing: an `and` gives its
 * first failing operand (recursively), anything else, a failing `or`
 * included, its own text, an `or` in parentheses when it is an operand of
 * an `and`.  A bare `knockout` (not under `not`) prints as
 * `knockout "NAME"` of the score's first matched knockout. */
void lg__expr_reason(const lg__expr *e, const lg__expr_ctx *ctx, int holds, lg__buf *b);
/* For decision wake-ups.  The earliest instant after s at which one of the
 * expression's `event X within D` conditions may change, the lead's
 * events as they are: the latest event of type X at or before s leaves the
 * window at at + D + 1, the first one after s enters it at its time;
 * LG_TIME_NEVER when none does by LG_TIME_MAX. */
lg_time lg__expr_event_change(const lg__expr *e, const lg_lead *lead, lg_time s);
/* The thresholds of the expression's engagement and total comparisons in
 * engagement terms (`total CMP N` compares the engagement with N - fit):
 * moves *next to the nearest one beyond x (below x for dir < 0, above for
 * dir > 0) when it is nearer to x than *next, and returns 1 if it did;
 * sets *at to 1 when a threshold equals x. */
int lg__expr_threshold_next(const lg__expr *e, int64_t fit, int64_t x, int dir, int64_t *next,
                            int *at);
/* The same thresholds written to out[n..cap) in node order; returns n plus
 * their number (which may exceed cap: those past it are not written). */
uint32_t lg__expr_thresholds(const lg__expr *e, int64_t fit, int64_t *out, uint32_t cap,
                             uint32_t n);

/* ---- policy.c: what the SLA, routing and stats modules read ------------ */

typedef struct lg__sla_step {
  int32_t  action;     /* lg_action */
  int32_t  is_percent; /* 1: value is milli-percent of the target */
  int64_t  value;      /* seconds, or milli-percent */
  int32_t  max;        /* reassign: max reassignments (-1 = unlimited) */
  uint32_t line;       /* source line, for lg_lint (lint.c) */
} lg__sla_step;

/* One `follow-up` rule (a tier): its target, ladder and the condition
 * that selects it. */
typedef struct lg__followup {
  int32_t      present;  /* 1 for every parsed rule; 0 in the stand-in for none */
  int32_t      business; /* 1: basis is the policy calendar */
  lg_duration  target;   /* seconds in the basis */
  uint32_t     n_steps;  /* ladder in severity order, each action <= once */
  uint32_t     line;     /* source line of the follow-up statement */
  lg__sla_step steps[5];
  int32_t      has_when; /* 0: always holds (only the last rule may lack it) */
  lg__expr     when;     /* lg__expr_parse_lead: no score atoms */
} lg__followup;

enum { LG__ROUTE_LEAST_LOADED = 0, LG__ROUTE_ROUND_ROBIN = 1 };

/* The follow-up rules in text order (first that holds applies).
 * lg__policy_followup is rule 0, or a stand-in with present 0 when the
 * policy (or p) has none; lg__policy_followup_at is NULL past the end. */
uint32_t            lg__policy_followup_count(const lg_policy *p);
const lg__followup *lg__policy_followup(const lg_policy *p);
const lg__followup *lg__policy_followup_at(const lg_policy *p, uint32_t i);
int                 lg__policy_route(const lg_policy *p); /* LG__ROUTE_* */
/* A step's offset in basis seconds (sla.c): a percentage of the target
 * rounded up, INT64_MAX when that overflows. */
lg_duration lg__sla_step_offset(const lg__followup *f, const lg__sla_step *s);

#endif /* LG_INTERNAL_H */
