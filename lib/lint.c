/*
 * lint.c - lg_lint: findings about a rubric and/or a policy that can be
 * proved from the definitions alone, before any lead is scored.
 *
 * No finding is a guess.  Every check either reads a fact of the text (a
 * step at 0%, a `max` below one event's points, a name the rubric lacks)
 * or proves a claim about all leads by interval arithmetic:
 *
 *   - Reachable scores.  fit lies in [sum of each fit criterion's lowest
 *     outcome, sum of its highest] (its `when` points, `otherwise` and
 *     `missing`).  An engagement criterion worth p a event lies between 0
 *     and p times the most events it can count (1 for `once`, a lead's
 *     LG_MAX_EVENTS for `each`), cut to its `max`: decay.c rounds the
 *     magnitude of p * g with 0 <= g <= 1 and keeps the sign, so a decayed
 *     value never leaves [0, p], and an `each` sum (rounded once from the
 *     exact sum) never leaves [0, n * p].  engagement is the sum of those
 *     ranges and total lies in fit + engagement.  These are supersets of
 *     what leads can reach, which is all a proof needs: a rule false on a
 *     superset is false for every lead.
 *   - Expressions.  may_box() over-approximates the box of (fit,
 *     engagement, total) where an expression can hold: a comparison cuts
 *     one side, `and` intersects, `or` takes the hull, `not` is pushed
 *     down to the comparisons, and total = fit + engagement tightens the
 *     three sides against each other.  An empty box proves the expression
 *     never holds.  eval3() evaluates an expression over a box in
 *     three-valued logic (true on every point, false on every point, or
 *     unknown); atoms that read the lead (attr, missing, event, stage) are
 *     unknown, and so are knockouts unless the rubric has none (or lacks
 *     the name).  "True" over a box that contains every reachable score
 *     proves the expression holds for every lead.
 *   - Match lists.  A fit `when` line is unreachable when every value it
 *     matches is matched by an earlier line of the same criterion: texts
 *     compare as the scorer does (ASCII-case-insensitively), numbers as
 *     whole-number intervals (lg__match's lo/hi/outside), booleans as the
 *     two values.
 *
 * Coarse boxes only ever lose findings, never make a false one.  Nothing
 * here allocates; findings are counted in one pass and written in a
 * second, so a short buffer is left untouched.
 *
 * Cost.  The pairwise checks (a when line against the earlier ones, a
 * name against the earlier atoms) are quadratic in the items compared.
 * Every step is taken from a budget (STEP_BUDGET a pass); once it is spent
 * the pairwise checks answer "not proved", so a pathological text (tens
 * of thousands of match items on one criterion) is linted in bounded time
 * and still gets no false finding.  Both passes spend the budget alike, so
 * they find the same.
 */
#include "policy.h"
#include "rubric.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bounds beyond every reachable value (|points| <= 10^9 a line, at most
 * 1024 criteria and 10,000 events: below 10^17), small enough that the sum
 * or difference of two never overflows. */
#define INF INT64_C(4000000000000000000)

/* Steps of pairwise comparison a pass may take (see Cost above): about a
 * tenth of a second. */
#define STEP_BUDGET UINT64_C(100000000)

enum { SRC_RUBRIC = 0, SRC_POLICY = 1 };
enum { D_FIT = 0, D_ENG = 1, D_TOTAL = 2 };
enum { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = 2 };

typedef struct ival {
  int64_t lo, hi; /* inclusive; empty when lo > hi */
} ival;

typedef struct box {
  ival d[3]; /* D_FIT, D_ENG, D_TOTAL */
} box;

typedef struct sink {
  lg_finding *items; /* NULL while counting */
  size_t      n;
} sink;

typedef struct linter {
  const lg_rubric *r; /* may be NULL */
  const lg_policy *p; /* may be NULL */
  box              reach;
  sink             out;
  uint64_t         budget; /* steps left in this pass */
} linter;

/* Takes n steps from the budget; 0 when it is spent. */
static int spend(linter *L, uint64_t n) {
  if (L->budget < n) {
    L->budget = 0;
    return 0;
  }
  L->budget -= n;
  return 1;
}

/* ---- findings -------------------------------------------------------------- */

/* Copies src into dst[cap], cut at a UTF-8 boundary and ended with "..."
 * when it does not fit. */
static void copy_cut(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n < cap) {
    memcpy(dst, src, n + 1);
    return;
  }
  n = cap - 4;
  while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
  memcpy(dst, src, n);
  memcpy(dst + n, "...", 4);
}

static void add(linter *L, int severity, int source, uint32_t line, const char *code,
                const char *fmt, ...) {
  lg_finding *f;
  char        msg[512];
  va_list     ap;
  if (L->out.items) {
    f = &L->out.items[L->out.n];
    memset(f, 0, sizeof *f);
    f->severity = severity;
    f->source = source;
    f->line = line;
    copy_cut(f->code, sizeof f->code, code);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    copy_cut(f->message, sizeof f->message, msg);
  }
  L->out.n++;
}

/* Milli-points as the text writes them: 12, 2.5, -0.25. */
static const char *points_text(int64_t v, char *buf, size_t cap) {
  int64_t a = v < 0 ? -v : v, frac = a % 1000;
  int     digits = 3;
  if (frac == 0) {
    snprintf(buf, cap, "%s%lld", v < 0 ? "-" : "", (long long)(a / 1000));
    return buf;
  }
  while (frac % 10 == 0) {
    frac /= 10;
    digits--;
  }
  snprintf(buf, cap, "%s%lld.%0*lld", v < 0 ? "-" : "", (long long)(a / 1000), digits,
           (long long)frac);
  return buf;
}

/* ---- intervals ------------------------------------------------------------- */

static int64_t clamp(int64_t v) { return v < -INF ? -INF : v > INF ? INF : v; }

static ival ival_make(int64_t lo, int64_t hi) {
  ival i;
  i.lo = lo;
  i.hi = hi;
  return i;
}

static int box_empty(const box *b) {
  return b->d[0].lo > b->d[0].hi || b->d[1].lo > b->d[1].hi || b->d[2].lo > b->d[2].hi;
}

static void cut(ival *i, int64_t lo, int64_t hi) {
  if (lo > i->lo) i->lo = lo;
  if (hi < i->hi) i->hi = hi;
}

/* total = fit + engagement: each side within the others' sum or
 * difference.  Two rounds reach every bound one round can move. */
static void tighten(box *b) {
  int k;
  for (k = 0; k < 2 && !box_empty(b); k++) {
    ival *f = &b->d[D_FIT], *e = &b->d[D_ENG], *t = &b->d[D_TOTAL];
    cut(t, clamp(f->lo + e->lo), clamp(f->hi + e->hi));
    cut(f, clamp(t->lo - e->hi), clamp(t->hi - e->lo));
    cut(e, clamp(t->lo - f->hi), clamp(t->hi - f->lo));
  }
}

static box hull(const box *a, const box *b) {
  box h;
  int k;
  if (box_empty(a)) return *b;
  if (box_empty(b)) return *a;
  for (k = 0; k < 3; k++) {
    h.d[k].lo = a->d[k].lo < b->d[k].lo ? a->d[k].lo : b->d[k].lo;
    h.d[k].hi = a->d[k].hi > b->d[k].hi ? a->d[k].hi : b->d[k].hi;
  }
  return h;
}

/* The comparison `side op n` with `not` applied when negated. */
static int flip_op(int op) {
  switch (op) {
  case LG__LT: return LG__GE;
  case LG__LE: return LG__GT;
  case LG__GT: return LG__LE;
  case LG__GE: return LG__LT;
  case LG__EQ: return LG__NE;
  default: return LG__EQ;
  }
}

static void cut_cmp(ival *i, int op, int64_t n) {
  switch (op) {
  case LG__LT: cut(i, -INF, n - 1); break;
  case LG__LE: cut(i, -INF, n); break;
  case LG__GT: cut(i, n + 1, INF); break;
  case LG__GE: cut(i, n, INF); break;
  case LG__EQ: cut(i, n, n); break;
  default:
    if (i->lo == n && i->hi == n) i->lo = n + 1; /* the one value is excluded */
    break;
  }
}

/* Whether `side op n` holds on every / no value of the interval. */
static int cmp3(const ival *i, int op, int64_t n) {
  switch (op) {
  case LG__LT: return i->hi < n ? T_TRUE : i->lo >= n ? T_FALSE : T_UNKNOWN;
  case LG__LE: return i->hi <= n ? T_TRUE : i->lo > n ? T_FALSE : T_UNKNOWN;
  case LG__GT: return i->lo > n ? T_TRUE : i->hi <= n ? T_FALSE : T_UNKNOWN;
  case LG__GE: return i->lo >= n ? T_TRUE : i->hi < n ? T_FALSE : T_UNKNOWN;
  case LG__EQ:
    return i->lo == n && i->hi == n ? T_TRUE : (n < i->lo || n > i->hi) ? T_FALSE : T_UNKNOWN;
  default:
    return i->lo == n && i->hi == n ? T_FALSE : (n < i->lo || n > i->hi) ? T_TRUE : T_UNKNOWN;
  }
}

/* ---- what a rubric can score ------------------------------------------------ */

static void reachable(const lg_rubric *r, box *b) {
  uint32_t i, j;
  int      k;
  if (!r) {
    for (k = 0; k < 3; k++) b->d[k] = ival_make(-INF, INF);
    return;
  }
  b->d[D_FIT] = ival_make(0, 0);
  b->d[D_ENG] = ival_make(0, 0);
  for (i = 0; i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    if (c->kind == LG_KIND_FIT) {
      int64_t lo = c->otherwise < c->missing ? c->otherwise : c->missing, hi = c->best;
      for (j = 0; j < c->n_whens; j++)
        if (c->whens[j].points < lo) lo = c->whens[j].points;
      b->d[D_FIT].lo += lo;
      b->d[D_FIT].hi += hi;
    } else if (c->kind == LG_KIND_ENGAGEMENT) {
      int64_t most = c->rule.points * (c->each ? LG_MAX_EVENTS : 1);
      if (c->cap >= 0 && most > c->cap) most = c->cap;
      if (c->cap >= 0 && most < -c->cap) most = -c->cap;
      if (most < 0)
        b->d[D_ENG].lo += most;
      else
        b->d[D_ENG].hi += most;
    }
  }
  b->d[D_TOTAL] = ival_make(b->d[D_FIT].lo + b->d[D_ENG].lo, b->d[D_FIT].hi + b->d[D_ENG].hi);
}

/* ---- expressions over boxes --------------------------------------------------- */

static int knockout_known(const linter *L, const lg__xview *v) {
  if (!L->r) return 1; /* no rubric: cannot tell, so assume it exists */
  if (v->kind == LG__XV_KO_ANY) return L->r->n_knockouts > 0;
  return lg__rubric_knockout_find(L->r, v->name, v->name_len) >= 0;
}

/* A box holding every point of `in` where node i (negated when `neg`)
 * can hold.  Recursion follows the expression's nesting, which expr.c
 * bounds at 64. */
static box may_box(const linter *L, const lg__expr *e, uint32_t i, int neg, box in) {
  lg__xview v, c;
  box       acc;
  uint32_t  k;
  int       conj;
  if (!lg__expr_view(e, i, &v)) return in;
  switch (v.kind) {
  case LG__XV_NOT: return may_box(L, e, v.first, !neg, in);
  case LG__XV_AND:
  case LG__XV_OR:
    conj = (v.kind == LG__XV_AND) != neg; /* De Morgan under `not` */
    acc = in;
    if (!conj) acc.d[0] = ival_make(1, 0); /* the empty box */
    for (k = v.first; k != LG__XV_NIL && lg__expr_view(e, k, &c); k = c.next) {
      box b = may_box(L, e, k, neg, conj ? acc : in);
      if (conj)
        acc = b;
      else
        acc = hull(&acc, &b);
    }
    return acc;
  case LG__XV_SCORE:
    cut_cmp(&in.d[v.which], neg ? flip_op(v.op) : v.op, v.value);
    tighten(&in);
    return in;
  case LG__XV_KO_ANY:
  case LG__XV_KO_NAMED:
    if (!neg && !knockout_known(L, &v)) in.d[0] = ival_make(1, 0);
    return in;
  default: return in;
  }
}

static int eval3(const linter *L, const lg__expr *e, uint32_t i, const box *b) {
  lg__xview v, c;
  uint32_t  k;
  int       r, any_unknown = 0, is_and;
  if (!lg__expr_view(e, i, &v)) return T_UNKNOWN;
  switch (v.kind) {
  case LG__XV_NOT: r = eval3(L, e, v.first, b); return r == T_UNKNOWN ? r : !r;
  case LG__XV_AND:
  case LG__XV_OR:
    is_and = v.kind == LG__XV_AND;
    for (k = v.first; k != LG__XV_NIL && lg__expr_view(e, k, &c); k = c.next) {
      r = eval3(L, e, k, b);
      if (r == T_UNKNOWN)
        any_unknown = 1;
      else if (r == (is_and ? T_FALSE : T_TRUE))
        return r;
    }
    return any_unknown ? T_UNKNOWN : is_and ? T_TRUE : T_FALSE;
  case LG__XV_SCORE: return cmp3(&b->d[v.which], v.op, v.value);
  case LG__XV_KO_ANY:
  case LG__XV_KO_NAMED: return knockout_known(L, &v) ? T_UNKNOWN : T_FALSE;
  default: return T_UNKNOWN;
  }
}

/* "fit 0..12, engagement -20..50035" for messages (with a rubric). */
static const char *ranges_text(const linter *L, char *buf, size_t cap) {
  char a[32], b[32], c[32], d[32];
  int  n;
  if (!L->r) {
    snprintf(buf, cap, "any score");
    return buf;
  }
  n = snprintf(buf, cap, "fit %s..%s, engagement %s..%s", points_text(L->reach.d[0].lo, a, 32),
               points_text(L->reach.d[0].hi, b, 32), points_text(L->reach.d[1].lo, c, 32),
               points_text(L->reach.d[1].hi, d, 32));
  if (n < 0 || (size_t)n >= cap) buf[cap - 1] = '\0'; /* cut to fit: a message */
  return buf;
}

/* ---- rubric checks ------------------------------------------------------------ */

/* Whether [a, b] of type `vtype` (LG__VAL_INT or BOOL) is covered by the
 * union of the numeric sets of items of that type in whens[0..upto). */
static int interval_covered(linter *L, const lg__crit *c, uint32_t upto, int vtype, int64_t a,
                            int64_t b) {
  int64_t  pos = a;
  uint32_t j, k;
  int      moved = 1;
  if (a > b) return 1;
  while (moved) {
    moved = 0;
    for (j = 0; j < upto; j++) {
      const lg__match_list *m = &c->whens[j].list;
      if (!spend(L, 1 + m->n)) return 0;
      for (k = 0; k < m->n; k++) {
        const lg__match *it = &m->items[k];
        int64_t          lo[2], hi[2];
        int              parts, q;
        if (it->vtype != vtype) continue;
        if (!it->outside) {
          lo[0] = it->lo, hi[0] = it->hi, parts = 1;
        } else if (it->lo > it->hi) {
          lo[0] = INT64_MIN, hi[0] = INT64_MAX, parts = 1;
        } else {
          lo[0] = INT64_MIN, hi[0] = it->lo - 1, lo[1] = it->hi + 1, hi[1] = INT64_MAX, parts = 2;
        }
        for (q = 0; q < parts; q++) {
          if (lo[q] > pos || hi[q] < pos) continue;
          if (hi[q] >= b) return 1;
          pos = hi[q] + 1;
          moved = 1;
        }
      }
    }
  }
  return 0;
}

/* Whether item `it` of line w of criterion c matches only values that an
 * earlier line matches; *empty is cleared when it matches some value. */
static int item_covered(linter *L, const lg__crit *c, uint32_t w, const lg__match *it, int *empty) {
  uint32_t j, k;
  int64_t  dom_lo = it->vtype == LG__VAL_BOOL ? 0 : INT64_MIN;
  int64_t  dom_hi = it->vtype == LG__VAL_BOOL ? 1 : INT64_MAX;
  if (it->vtype == LG__VAL_TEXT) {
    *empty = 0;
    for (j = 0; j < w; j++) {
      if (!spend(L, 1 + c->whens[j].list.n)) return 0;
      for (k = 0; k < c->whens[j].list.n; k++) {
        const lg__match *o = &c->whens[j].list.items[k];
        if (o->vtype == LG__VAL_TEXT && lg__text_ieq(o->text, o->text_len, it->text, it->text_len))
          return 1;
      }
    }
    return 0;
  }
  if (!it->outside) {
    int64_t lo = it->lo > dom_lo ? it->lo : dom_lo, hi = it->hi < dom_hi ? it->hi : dom_hi;
    if (lo <= hi) *empty = 0;
    return interval_covered(L, c, w, it->vtype, lo, hi);
  }
  *empty = 0; /* != N matches every other number */
  if (it->lo > it->hi) return interval_covered(L, c, w, it->vtype, dom_lo, dom_hi);
  return interval_covered(L, c, w, it->vtype, dom_lo, it->lo - 1) &&
         interval_covered(L, c, w, it->vtype, it->hi + 1, dom_hi);
}

static void check_whens(linter *L, const lg__crit *c) {
  uint32_t w, k;
  for (w = 0; w < c->n_whens; w++) {
    const lg__match_list *m = &c->whens[w].list;
    int                   covered = 1, empty = 1;
    for (k = 0; k < m->n && covered; k++) covered = item_covered(L, c, w, &m->items[k], &empty);
    if (!covered) continue;
    if (empty)
      add(L, LG_SEVERITY_WARNING, SRC_RUBRIC, c->whens[w].line, "unreachable-when",
          "this when line of fit \"%s\" matches no value, so it never applies", c->name);
    else
      add(L, LG_SEVERITY_WARNING, SRC_RUBRIC, c->whens[w].line, "unreachable-when",
          "this when line of fit \"%s\" never applies: earlier when lines match every "
          "value it matches (the first match wins)",
          c->name);
  }
}

static void check_rubric(linter *L) {
  const lg_rubric *r = L->r;
  uint32_t         i;
  char             a[32], b[32];
  for (i = 0; i < r->n_crits; i++) {
    const lg__crit *c = &r->crits[i];
    int64_t         mag = c->rule.points < 0 ? -c->rule.points : c->rule.points;
    if (c->kind == LG_KIND_FIT) check_whens(L, c);
    if (c->kind == LG_KIND_ENGAGEMENT && c->cap >= 0 && c->cap < mag)
      add(L, LG_SEVERITY_WARNING, SRC_RUBRIC, c->line, "max-below-points",
          "engagement \"%s\" has max %s below the %s points of one event: one event is "
          "already cut to the max",
          c->name, points_text(c->cap, a, 32), points_text(mag, b, 32));
  }
}

/* ---- policy checks --------------------------------------------------------------- */

/* Whether node i of e is the first node of its kind naming that name. */
static int first_named(linter *L, const lg__expr *e, uint32_t i, const lg__xview *v) {
  lg__xview o;
  uint32_t  j;
  if (!spend(L, 1 + (uint64_t)i)) return 0; /* not proved first: not reported */
  for (j = 0; j < i && lg__expr_view(e, j, &o); j++)
    if (o.kind == v->kind && o.name_len == v->name_len && memcmp(o.name, v->name, v->name_len) == 0)
      return 0;
  return 1;
}

static int scored_event(const lg_rubric *r, const char *name, size_t n) {
  uint32_t i;
  for (i = 0; i < r->n_crits; i++)
    if (r->crits[i].kind == LG_KIND_ENGAGEMENT && r->crits[i].attr_len == n &&
        memcmp(r->crits[i].attr, name, n) == 0)
      return 1;
  return 0;
}

/* Names the rubric does not know: `knockout "name"` and unscored events. */
static void check_names(linter *L, const lg__expr *e, uint32_t line) {
  lg__xview v;
  uint32_t  i;
  if (!L->r) return;
  for (i = 0; lg__expr_view(e, i, &v); i++) {
    if ((v.kind != LG__XV_KO_NAMED && v.kind != LG__XV_EVENT) || !first_named(L, e, i, &v))
      continue;
    if (v.kind == LG__XV_KO_NAMED && lg__rubric_knockout_find(L->r, v.name, v.name_len) < 0)
      add(L, LG_SEVERITY_WARNING, SRC_POLICY, line, "unknown-knockout",
          "the rubric has no knockout \"%.*s\", so this test is always false", (int)v.name_len,
          v.name);
    if (v.kind == LG__XV_EVENT && !scored_event(L->r, v.name, v.name_len))
      add(L, LG_SEVERITY_INFO, SRC_POLICY, line, "unscored-event",
          "no engagement criterion of the rubric scores event %.*s", (int)v.name_len, v.name);
  }
}

static void check_qualify(linter *L) {
  const lg_policy *p = L->p;
  box              b;
  char             ranges[96];
  if (!p->has_qualify) return;
  b = may_box(L, &p->qualify, p->qualify.root, 0, L->reach);
  if (box_empty(&b))
    add(L, LG_SEVERITY_ERROR, SRC_POLICY, p->qualify_line, "unreachable-qualify",
        "no lead can qualify: the rule holds for no reachable score (%s)",
        ranges_text(L, ranges, sizeof ranges));
  else if (eval3(L, &p->qualify, p->qualify.root, &L->reach) == T_TRUE)
    add(L, LG_SEVERITY_WARNING, SRC_POLICY, p->qualify_line, "always-qualify",
        "every lead that is not disqualified qualifies: the rule holds for every reachable "
        "score (%s)",
        ranges_text(L, ranges, sizeof ranges));
}

static void check_grades(linter *L) {
  const lg_policy *p = L->p;
  uint32_t         i, j;
  char             ranges[96];
  for (i = 0; i < p->n_grades; i++) {
    const lg__grade *g = &p->grades[i];
    box              b = L->reach;
    if (g->has_cond) {
      b = may_box(L, &g->cond, g->cond.root, 0, L->reach);
      if (box_empty(&b)) {
        add(L, LG_SEVERITY_WARNING, SRC_POLICY, g->line, "unreachable-grade",
            "grade \"%s\" is never given: its condition holds for no reachable score (%s)", g->name,
            ranges_text(L, ranges, sizeof ranges));
        continue;
      }
    }
    for (j = 0; j < i; j++)
      if (eval3(L, &p->grades[j].cond, p->grades[j].cond.root, &b) == T_TRUE) {
        add(L, LG_SEVERITY_WARNING, SRC_POLICY, g->line, "unreachable-grade",
            "grade \"%s\" is never given: grade \"%s\" on line %u comes first and holds "
            "whenever it would",
            g->name, p->grades[j].name, (unsigned)p->grades[j].line);
        break;
      }
  }
}

/* "75%" or "36h", as a step is written. */
static const char *step_text(const lg__sla_step *s, char *buf, size_t cap) {
  char num[32];
  if (s->is_percent)
    snprintf(buf, cap, "%s%%", points_text(s->value, num, sizeof num));
  else if (s->value % 3600 == 0 && s->value)
    snprintf(buf, cap, "%lldh", (long long)(s->value / 3600));
  else if (s->value % 60 == 0 && s->value)
    snprintf(buf, cap, "%lldm", (long long)(s->value / 60));
  else
    snprintf(buf, cap, "%llds", (long long)s->value);
  return buf;
}

static const char *action_word(int32_t a) {
  const char *n = lg_action_name((lg_action)a);
  return n ? n : "?";
}

/* lg_sla_eval reports the most severe step reached; a step reached no
 * earlier than a more severe one is therefore never reported.  `warn` is
 * left out: it also turns the state to WARNING, which still happens.  A
 * reassign that has used its `max` acts as recycle, more severe still, so
 * it shadows lesser steps either way. */
static void check_steps(linter *L, const lg__followup *f) {
  uint32_t i, j;
  char     a[48], b[48];
  if (!f->present) return;
  for (i = 0; i < f->n_steps; i++) {
    const lg__sla_step *s = &f->steps[i];
    lg_duration         off = lg__sla_step_offset(f, s);
    if (s->action == LG_ACTION_WARN) {
      if (s->value == 0)
        add(L, LG_SEVERITY_WARNING, SRC_POLICY, s->line, "warn-at-zero",
            "warn at %s is reached the moment a lead is assigned: the clock is never running "
            "and the warning tells nobody anything",
            step_text(s, a, sizeof a));
      continue;
    }
    for (j = i + 1; j < f->n_steps; j++) {
      const lg__sla_step *t = &f->steps[j];
      if (t->action > s->action && lg__sla_step_offset(f, t) <= off) {
        add(L, LG_SEVERITY_WARNING, SRC_POLICY, s->line, "unreachable-step",
            "%s at %s never fires: %s at %s is reached no later and is more severe",
            action_word(s->action), step_text(s, a, sizeof a), action_word(t->action),
            step_text(t, b, sizeof b));
        break;
      }
    }
  }
}

/* ---- follow-up tiers ------------------------------------------------------------ */

/* Whether atoms a and b (nodes of ea, eb) are the same test: the same
 * canonical text.  Texts too long for the buffer are not compared. */
static int same_atom(linter *L, const lg__expr *ea, uint32_t a, const lg__expr *eb, uint32_t b) {
  char    x[256], y[256];
  lg__buf bx, by;
  if (!spend(L, 1)) return 0;
  lg__buf_init(&bx, x, sizeof x);
  lg__buf_init(&by, y, sizeof y);
  lg__expr_print_node(ea, a, &bx);
  lg__expr_print_node(eb, b, &by);
  return bx.len < sizeof x && bx.len == by.len && memcmp(x, y, bx.len) == 0;
}

/* Whether node a of ea (negated unless pa) implies node b of eb (negated
 * unless pb): every lead for which the first holds makes the second hold.
 * Proved on the structure only (an `and` implies what one of its operands
 * implies, an `or` what all of them imply, and the duals; equal atoms; an
 * event within a window implies the same event within a longer one), so
 * 0 means "not proved", never "false". */
static int implies(linter *L, const lg__expr *ea, uint32_t a, int pa, const lg__expr *eb,
                   uint32_t b, int pb) {
  lg__xview va, vb, c;
  uint32_t  k;
  int       a_and, a_or, b_and, b_or, all;
  if (!spend(L, 1) || !lg__expr_view(ea, a, &va) || !lg__expr_view(eb, b, &vb)) return 0;
  if (va.kind == LG__XV_NOT) return implies(L, ea, va.first, !pa, eb, b, pb);
  if (vb.kind == LG__XV_NOT) return implies(L, ea, a, pa, eb, vb.first, !pb);
  a_and = (va.kind == LG__XV_AND && pa) || (va.kind == LG__XV_OR && !pa);
  a_or = (va.kind == LG__XV_OR && pa) || (va.kind == LG__XV_AND && !pa);
  b_and = (vb.kind == LG__XV_AND && pb) || (vb.kind == LG__XV_OR && !pb);
  b_or = (vb.kind == LG__XV_OR && pb) || (vb.kind == LG__XV_AND && !pb);
  if (b_or)
    for (k = vb.first; k != LG__XV_NIL && lg__expr_view(eb, k, &c); k = c.next)
      if (implies(L, ea, a, pa, eb, k, pb)) return 1;
  if (a_and)
    for (k = va.first; k != LG__XV_NIL && lg__expr_view(ea, k, &c); k = c.next)
      if (implies(L, ea, k, pa, eb, b, pb)) return 1;
  if (b_and) {
    for (all = 1, k = vb.first; all && k != LG__XV_NIL && lg__expr_view(eb, k, &c); k = c.next)
      all = implies(L, ea, a, pa, eb, k, pb);
    return all;
  }
  if (a_or) {
    for (all = 1, k = va.first; all && k != LG__XV_NIL && lg__expr_view(ea, k, &c); k = c.next)
      all = implies(L, ea, k, pa, eb, b, pb);
    return all;
  }
  if (b_or || a_and || pa != pb) return 0;
  /* two atoms of the same polarity: not x implies not y when y implies x */
  if (!pa) {
    const lg__expr *te = ea;
    uint32_t        t = a;
    lg__xview       tv = va;
    ea = eb, a = b, va = vb;
    eb = te, b = t, vb = tv;
  }
  if (va.kind == LG__XV_EVENT && vb.kind == LG__XV_EVENT)
    return va.name_len == vb.name_len && memcmp(va.name, vb.name, va.name_len) == 0 &&
           va.value <= vb.value;
  return va.kind == vb.kind && same_atom(L, ea, a, eb, b);
}

/* Whether node i of e (negated unless pol) holds for every lead: an `or`
 * with an operand implied by the negation of another (x or not x), an
 * `and` of such, or a constant (eval3 over every score). */
static int always_holds(linter *L, const lg__expr *e, uint32_t i, int pol) {
  lg__xview v, x, y;
  uint32_t  j, k;
  int       r;
  if (!spend(L, 1) || !lg__expr_view(e, i, &v)) return 0;
  if (v.kind == LG__XV_NOT) return always_holds(L, e, v.first, !pol);
  if ((v.kind == LG__XV_OR && pol) || (v.kind == LG__XV_AND && !pol)) {
    for (j = v.first; j != LG__XV_NIL && lg__expr_view(e, j, &x); j = x.next) {
      if (always_holds(L, e, j, pol)) return 1;
      for (k = v.first; k != LG__XV_NIL && lg__expr_view(e, k, &y); k = y.next)
        if (k != j && implies(L, e, j, !pol, e, k, pol)) return 1;
    }
    return 0;
  }
  if ((v.kind == LG__XV_AND && pol) || (v.kind == LG__XV_OR && !pol)) {
    for (j = v.first; j != LG__XV_NIL && lg__expr_view(e, j, &x); j = x.next)
      if (!always_holds(L, e, j, pol)) return 0;
    return 1;
  }
  r = eval3(L, e, i, &L->reach);
  return r != T_UNKNOWN && r == pol;
}

/* The first rule whose condition holds at the assignment's start applies,
 * so a rule never applies when an earlier one holds whenever it does. */
static void check_tiers(linter *L) {
  const lg_policy *p = L->p;
  uint32_t         i, j;
  for (j = 1; j < p->n_followups; j++) {
    const lg__followup *t = &p->followups[j];
    for (i = 0; i < j; i++) {
      const lg__followup *s = &p->followups[i];
      if (!s->has_when) break; /* cannot happen: only the last rule lacks `when` */
      if (always_holds(L, &s->when, s->when.root, 1)) {
        add(L, LG_SEVERITY_WARNING, SRC_POLICY, t->line, "shadowed-tier",
            "this follow-up rule never applies: the rule on line %u comes first and holds "
            "for every lead",
            (unsigned)s->line);
        break;
      }
      if (t->has_when && implies(L, &t->when, t->when.root, 1, &s->when, s->when.root, 1)) {
        add(L, LG_SEVERITY_WARNING, SRC_POLICY, t->line, "shadowed-tier",
            "this follow-up rule never applies: the rule on line %u comes first and holds "
            "whenever this one would",
            (unsigned)s->line);
        break;
      }
    }
  }
}

static void check_policy(linter *L) {
  const lg_policy *p = L->p;
  uint32_t         i;
  check_names(L, &p->disqualify, p->disqualify_line);
  if (p->has_qualify) check_names(L, &p->qualify, p->qualify_line);
  for (i = 0; i < p->n_grades; i++)
    if (p->grades[i].has_cond) check_names(L, &p->grades[i].cond, p->grades[i].line);
  check_qualify(L);
  check_grades(L);
  for (i = 0; i < p->n_followups; i++) check_steps(L, &p->followups[i]);
  check_tiers(L);
}

static void run_checks(linter *L) {
  L->budget = STEP_BUDGET;
  if (L->r) check_rubric(L);
  if (L->p) check_policy(L);
}

/* ---- public ------------------------------------------------------------------------- */

lg_status lg_lint(const lg_rubric *rubric, const lg_policy *policy, lg_finding *items, size_t cap,
                  size_t *count) {
  linter L;
  size_t i, j;
  if ((!rubric && !policy) || !count || (!items && cap > 0)) return LG_ERR_INVALID;
  memset(&L, 0, sizeof L);
  L.r = rubric;
  L.p = policy;
  reachable(rubric, &L.reach);
  run_checks(&L);
  *count = L.out.n;
  if (cap < L.out.n) return LG_ERR_BUFFER;
  if (L.out.n == 0) return LG_OK;
  L.out.items = items;
  L.out.n = 0;
  run_checks(&L);
  /* rubric lines, then policy lines, each in line order (a stable
   * insertion sort: a definition has a handful of findings) */
  for (i = 1; i < L.out.n; i++) {
    lg_finding f = items[i];
    for (j = i; j > 0 && (items[j - 1].source > f.source ||
                          (items[j - 1].source == f.source && items[j - 1].line > f.line));
         j--)
      items[j] = items[j - 1];
    items[j] = f;
  }
  return LG_OK;
}

const char *lg_severity_name(lg_severity severity) {
  switch (severity) {
  case LG_SEVERITY_INFO: return "info";
  case LG_SEVERITY_WARNING: return "warning";
  case LG_SEVERITY_ERROR: return "error";
  }
  return NULL;
}
