/*
 * rubric.c - the rubric text format: parsing (lg_rubric_parse), the
 * canonical print (lg_rubric_to_text) and its fingerprint, the getters,
 * and the knockout look-ups policies use (lg__rubric_knockout_*).
 *
 * Grammar, one statement per line (lexical rules in lexer.c):
 *
 *   rubric "NAME"                               at most once, first
 *   fit "NAME" from ATTR                        then its lines:
 *     when MATCH, ... -> POINTS                   first match wins
 *     otherwise -> POINTS                         present, unmatched
 *     missing -> POINTS                           absent
 *   engagement "NAME" on TYPE -> POINTS [once|each] [max POINTS]
 *                         [half-life DUR | expire DUR | linear DUR]
 *   knockout "NAME" when ATTR is MATCH, ...
 *
 * Choices (documented in README "Formats"):
 *   - Criterion names are unique across all kinds (byte-exact), so an
 *     explanation or a policy's `knockout "NAME"` names exactly one.
 *     Names and the rubric name are non-empty.
 *   - A fit criterion's `when` lines come before its `otherwise` and
 *     `missing` lines, each of which appears at most once, in any order.
 *   - Engagement modifiers come in any order, each at most once; `max`
 *     is positive and decay spans are longer than 0s.
 *   - Canonical text: statements in text order, one space between tokens,
 *     two-space indent under `fit`, no comments or blank lines, numbers
 *     normalised (`2.50` -> `2.5`), durations in their largest exact unit
 *     (`48h` -> `2d`), `once` and zero `otherwise`/`missing` omitted (they
 *     are the defaults), modifiers printed as `each`, `max`, decay.  Every
 *     line ends with '\n'.
 */
#include "rubric.h"

#include <string.h>

/* ---- freeing ------------------------------------------------------------- */

static void crit_free(lg__crit *c) {
  uint32_t i;
  for (i = 0; i < c->n_whens; i++) lg__match_list_free(&c->whens[i].list);
  lg__free(c->whens);
  lg__match_list_free(&c->ko);
  lg__free(c->attr);
  lg__free(c->name);
}

static void rubric_free_contents(lg_rubric *r) {
  uint32_t i;
  for (i = 0; i < r->n_crits; i++) crit_free(&r->crits[i]);
  lg__free(r->crits);
  lg__free(r->knockouts);
  lg__free(r->name);
  lg__rubric_plan_free(r);
}

void lg_rubric_free(lg_rubric *rubric) {
  if (!rubric) return;
  rubric_free_contents(rubric);
  lg__free(rubric);
}

/* ---- canonical print ----------------------------------------------------- */

static void print_points_line(lg__buf *b, const char *head, int64_t points) {
  lg__buf_puts(b, head);
  lg__buf_milli(b, points);
  lg__buf_putc(b, '\n');
}

static void print_crit(const lg__crit *c, lg__buf *b) {
  uint32_t i;
  switch (c->kind) {
  case LG_KIND_FIT:
    lg__buf_puts(b, "fit ");
    lg__buf_quoted(b, c->name, c->name_len);
    lg__buf_puts(b, " from ");
    lg__buf_put(b, c->attr, c->attr_len);
    lg__buf_putc(b, '\n');
    for (i = 0; i < c->n_whens; i++) {
      lg__buf_puts(b, "  when ");
      lg__match_list_print(&c->whens[i].list, b);
      print_points_line(b, " -> ", c->whens[i].points);
    }
    if (c->otherwise) print_points_line(b, "  otherwise -> ", c->otherwise);
    if (c->missing) print_points_line(b, "  missing -> ", c->missing);
    break;
  case LG_KIND_ENGAGEMENT:
    lg__buf_puts(b, "engagement ");
    lg__buf_quoted(b, c->name, c->name_len);
    lg__buf_puts(b, " on ");
    lg__buf_put(b, c->attr, c->attr_len);
    lg__buf_puts(b, " -> ");
    lg__buf_milli(b, c->rule.points);
    if (c->each) lg__buf_puts(b, " each");
    if (c->cap >= 0) {
      lg__buf_puts(b, " max ");
      lg__buf_milli(b, c->cap);
    }
    if (c->rule.kind != LG__DECAY_NONE) {
      lg__buf_puts(b, c->rule.kind == LG__DECAY_HALF_LIFE ? " half-life "
                      : c->rule.kind == LG__DECAY_EXPIRE  ? " expire "
                                                          : " linear ");
      lg__buf_duration(b, c->rule.span);
    }
    lg__buf_putc(b, '\n');
    break;
  default:
    lg__buf_puts(b, "knockout ");
    lg__buf_quoted(b, c->name, c->name_len);
    lg__buf_puts(b, " when ");
    lg__buf_put(b, c->attr, c->attr_len);
    lg__buf_puts(b, " is ");
    lg__match_list_print(&c->ko, b);
    lg__buf_putc(b, '\n');
    break;
  }
}

static void render(const void *obj, lg__buf *b) {
  const lg_rubric *r = obj;
  uint32_t         i;
  if (r->name) {
    lg__buf_puts(b, "rubric ");
    lg__buf_quoted(b, r->name, r->name_len);
    lg__buf_putc(b, '\n');
  }
  for (i = 0; i < r->n_crits; i++) print_crit(&r->crits[i], b);
}

lg_status lg_rubric_to_text(const lg_rubric *rubric, char *buf, size_t cap, size_t *needed) {
  return lg__render_text(render, rubric, buf, cap, needed);
}

uint64_t lg_rubric_fingerprint(const lg_rubric *rubric) { return rubric ? rubric->fingerprint : 0; }

const char *lg_rubric_name(const lg_rubric *rubric) {
  if (!rubric) return NULL;
  return rubric->name ? rubric->name : "";
}

lg_points lg_rubric_max_fit(const lg_rubric *rubric) { return rubric ? rubric->max_fit : 0; }

/* ---- what the rubric reads ------------------------------------------------
 * The plan's key sets already hold each attribute and event type once, in
 * first-use order; an attribute's type is worked out from the match items
 * of the criteria that read it (no allocation, so the rubric stays
 * immutable). */

size_t lg_rubric_input_count(const lg_rubric *rubric) {
  return rubric ? (size_t)rubric->plan.attrs.n + rubric->plan.types.n : 0;
}

/* The one value type the key's criteria compare with, or LG__VAL_NONE. */
static int key_type(const lg_rubric *r, const lg__key *key) {
  int      type = LG__VAL_NONE;
  uint32_t s, j, k;
  for (s = key->first; s < key->first + key->count; s++) {
    const lg__crit *c = r->plan.steps[s].crit;
    uint32_t        lists = c->kind == LG_KIND_KNOCKOUT ? 1 : c->n_whens;
    for (j = 0; j < lists; j++) {
      const lg__match_list *m = c->kind == LG_KIND_KNOCKOUT ? &c->ko : &c->whens[j].list;
      for (k = 0; k < m->n; k++) {
        if (type == LG__VAL_NONE)
          type = m->items[k].vtype;
        else if (type != m->items[k].vtype)
          return LG__VAL_NONE;
      }
    }
  }
  return type;
}

lg_status lg_rubric_input_at(const lg_rubric *rubric, size_t i, const char **name,
                             lg_input_kind *kind, lg_value_type *type) {
  const lg__key *key;
  if (!rubric) return LG_ERR_INVALID;
  if (i < rubric->plan.attrs.n) {
    key = &rubric->plan.attrs.keys[i];
    if (kind) *kind = LG_INPUT_ATTRIBUTE;
    if (type) *type = (lg_value_type)key_type(rubric, key);
  } else if (i - rubric->plan.attrs.n < rubric->plan.types.n) {
    key = &rubric->plan.types.keys[i - rubric->plan.attrs.n];
    if (kind) *kind = LG_INPUT_EVENT;
    if (type) *type = LG_VALUE_NONE;
  } else {
    return LG_ERR_NOT_FOUND;
  }
  if (name) *name = key->name;
  return LG_OK;
}

/* ---- knockouts for policies --------------------------------------------- */

int32_t lg__rubric_knockout_find(const lg_rubric *r, const char *name, size_t n) {
  uint32_t i;
  if (!r || !name) return -1;
  for (i = 0; i < r->n_knockouts; i++) {
    const lg__crit *c = &r->crits[r->knockouts[i]];
    if (c->name_len == n && memcmp(c->name, name, n) == 0) return (int32_t)i;
  }
  return -1;
}

int lg__rubric_knockout_hit(const lg_rubric *r, int32_t index, const lg_lead *lead) {
  const lg__crit *c;
  const lg__attr *a;
  if (!r || !lead || index < 0 || (uint32_t)index >= r->n_knockouts) return 0;
  c = &r->crits[r->knockouts[index]];
  a = lg__lead_find_attr(lead, c->attr, c->attr_len);
  return a != NULL && lg__match_list_test(&c->ko, lead, a);
}

const char *lg__rubric_knockout_name(const lg_rubric *r, int32_t index) {
  if (!r || index < 0 || (uint32_t)index >= r->n_knockouts) return NULL;
  return r->crits[r->knockouts[index]].name;
}

/* ---- parser -------------------------------------------------------------- */

/* Open-addressed hash set of criterion indices (index + 1; 0 is empty),
 * at most half full: criterion names while parsing, then the attributes
 * of fit criteria in finish().  Lives in the parser, so it never
 * allocates. */
#define SET_SLOTS (2 * LG__MAX_CRITERIA)

typedef struct parser {
  lg__lexer lx;
  lg_rubric r; /* being built; freed whole on any failure */
  uint16_t  set[SET_SLOTS];
  uint32_t  cap_crits;
  uint32_t  cap_whens; /* of the open fit criterion */
  int       open_fit;  /* the last criterion is a fit taking lines */
  int       fit_tail;  /* ... and has had `otherwise` or `missing` */
  int       have_otherwise, have_missing;
  int       statements; /* statements seen so far */
} parser;

static lg_status nomem(parser *p) { return lg__lex_nomem(&p->lx); }

static lg_status expect_word(parser *p, const char *w, const char *after) {
  char tok[48];
  if (lg__lex_accept_word(&p->lx, w)) return LG_OK;
  lg__lex_describe(&p->lx, tok, sizeof tok);
  return lg__lex_error(&p->lx, LG_ERR_SYNTAX, "expected '%s' after %s, got %s", w, after, tok);
}

/* `-> POINTS` */
static lg_status parse_arrow_points(parser *p, const char *after, int64_t *points) {
  char      what[64];
  lg_status st;
  if (!lg__lex_accept(&p->lx, "->")) { /* the message only when it fails */
    strcpy(what, "'->' after ");
    strncat(what, after, sizeof what - strlen(what) - 1);
    st = lg__lex_expect(&p->lx, "->", what);
    if (st != LG_OK) return st;
  }
  return lg__lex_number(&p->lx, "points", LG__MAX_POINTS, points);
}

/* A new criterion of `kind` at the end of the list; the keyword was at
 * byte offset `at` (for the limit error). */
static lg_status new_crit(parser *p, int32_t kind, size_t at, lg__crit **out) {
  lg__crit *grown;
  if (p->r.n_crits >= LG__MAX_CRITERIA)
    return lg__lex_error_at(&p->lx, at, LG_ERR_LIMIT, "more than %d criteria", LG__MAX_CRITERIA);
  grown = lg__grow(p->r.crits, &p->cap_crits, p->r.n_crits + 1, sizeof *grown);
  if (!grown) return nomem(p);
  p->r.crits = grown;
  *out = &grown[p->r.n_crits++];
  memset(*out, 0, sizeof **out);
  (*out)->kind = kind;
  (*out)->cap = -1;
  (*out)->line = p->lx.line;
  p->open_fit = kind == LG_KIND_FIT;
  p->fit_tail = p->have_otherwise = p->have_missing = 0;
  p->cap_whens = 0;
  return LG_OK;
}

/* The quoted criterion name: non-empty and unique across all criteria
 * (the set holds the names of the criteria before this one). */
static lg_status parse_crit_name(parser *p, lg__crit *c) {
  size_t    at, n;
  char     *s;
  uint32_t  slot;
  lg_status st;
  lg__lex_peek_string(&p->lx); /* skips blanks, so `at` is the quote */
  at = p->lx.pos;
  st = lg__lex_string(&p->lx, "a criterion name", &s, &n);
  if (st != LG_OK) return st;
  c->name = s;
  c->name_len = n;
  if (n == 0)
    return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "criterion name must not be empty");
  for (slot = lg__name_hash(s, n) & (SET_SLOTS - 1); p->set[slot];
       slot = (slot + 1) & (SET_SLOTS - 1)) {
    const lg__crit *o = &p->r.crits[p->set[slot] - 1];
    if (o->name_len == n && memcmp(o->name, s, n) == 0)
      return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "duplicate criterion \"%s\"", s);
  }
  p->set[slot] = (uint16_t)p->r.n_crits; /* index + 1 of this criterion */
  return LG_OK;
}

static lg_status parse_attr(parser *p, lg__crit *c, const char *what) {
  lg__span  s;
  lg_status st = lg__lex_name(&p->lx, what, &s);
  if (st != LG_OK) return st;
  c->attr = lg__strndup(s.p, s.n);
  if (!c->attr) return nomem(p);
  c->attr_len = s.n;
  c->hash = lg__name_hash(s.p, s.n);
  return LG_OK;
}

/* fit "NAME" from ATTR */
static lg_status parse_fit(parser *p, size_t at) {
  lg__crit *c = NULL;
  lg_status st = new_crit(p, LG_KIND_FIT, at, &c);
  if (st == LG_OK) st = parse_crit_name(p, c);
  if (st == LG_OK) st = expect_word(p, "from", "the criterion name");
  if (st == LG_OK) st = parse_attr(p, c, "attribute name");
  if (st == LG_OK) st = lg__lex_expect_eol(&p->lx, "the attribute name");
  return st;
}

/* The open fit criterion, or an error naming the line's keyword. */
static lg_status open_fit(parser *p, const char *kw, size_t at, lg__crit **out) {
  if (!p->open_fit)
    return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "'%s' outside a fit criterion", kw);
  *out = &p->r.crits[p->r.n_crits - 1];
  return LG_OK;
}

/* when MATCH, ... -> POINTS */
static lg_status parse_when(parser *p, size_t at) {
  lg__crit *c = NULL;
  lg__when *w;
  lg_status st = open_fit(p, "when", at, &c);
  if (st != LG_OK) return st;
  if (p->fit_tail)
    return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX,
                            "'when' after 'otherwise' or 'missing' in fit \"%s\": "
                            "put the when lines first",
                            c->name);
  if (c->n_whens >= LG__MAX_WHENS)
    return lg__lex_error_at(&p->lx, at, LG_ERR_LIMIT, "more than %d 'when' lines in fit \"%s\"",
                            LG__MAX_WHENS, c->name);
  w = lg__grow(c->whens, &p->cap_whens, c->n_whens + 1, sizeof *w);
  if (!w) return nomem(p);
  c->whens = w;
  w = &w[c->n_whens];
  memset(w, 0, sizeof *w);
  w->line = p->lx.line;
  st = lg__match_list_parse(&p->lx, &w->list);
  if (st != LG_OK) return st;
  c->n_whens++; /* from here on it owns the list */
  st = parse_arrow_points(p, "match list", &w->points);
  if (st == LG_OK) st = lg__lex_expect_eol(&p->lx, "the points");
  return st;
}

/* otherwise -> POINTS  /  missing -> POINTS */
static lg_status parse_default(parser *p, size_t at, int is_missing) {
  const char *kw = is_missing ? "missing" : "otherwise";
  int        *seen = is_missing ? &p->have_missing : &p->have_otherwise;
  lg__crit   *c = NULL;
  lg_status   st = open_fit(p, kw, at, &c);
  if (st != LG_OK) return st;
  if (*seen)
    return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "duplicate '%s' in fit \"%s\"", kw, c->name);
  *seen = 1;
  p->fit_tail = 1;
  st = parse_arrow_points(p, kw, is_missing ? &c->missing : &c->otherwise);
  if (st == LG_OK) st = lg__lex_expect_eol(&p->lx, "the points");
  return st;
}

/* A decay span: a duration longer than 0s. */
static lg_status parse_span(parser *p, lg__crit *c, int kind, const char *what) {
  size_t    at;
  lg_status st;
  int64_t   span;
  lg__lex_at_eol(&p->lx); /* skips blanks */
  at = p->lx.pos;
  st = lg__lex_duration(&p->lx, what, &span);
  if (st != LG_OK) return st;
  if (span == 0)
    return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "%s must be longer than 0s", what);
  lg__decay_rule_init(&c->rule, kind, span, c->rule.points);
  return LG_OK;
}

/* The modifiers after an engagement's points, in any order. */
static lg_status parse_modifiers(parser *p, lg__crit *c) {
  int       have_count = 0, have_max = 0, have_decay = 0;
  lg_status st = LG_OK;
  while (st == LG_OK && !lg__lex_at_eol(&p->lx)) {
    size_t at = p->lx.pos;
    char   tok[48];
    if (lg__lex_peek_word(&p->lx, "once") || lg__lex_peek_word(&p->lx, "each")) {
      if (have_count)
        return lg__lex_error(&p->lx, LG_ERR_SYNTAX, "more than one of 'once' and 'each'");
      have_count = 1;
      c->each = lg__lex_accept_word(&p->lx, "each");
      if (!c->each) lg__lex_accept_word(&p->lx, "once");
    } else if (lg__lex_accept_word(&p->lx, "max")) {
      if (have_max) return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "duplicate 'max'");
      have_max = 1;
      lg__lex_at_eol(&p->lx);
      at = p->lx.pos;
      st = lg__lex_number(&p->lx, "the max", LG__MAX_POINTS, &c->cap);
      if (st == LG_OK && c->cap <= 0)
        st = lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "max must be positive");
    } else if (lg__lex_peek_word(&p->lx, "half-life") || lg__lex_peek_word(&p->lx, "expire") ||
               lg__lex_peek_word(&p->lx, "linear")) {
      if (have_decay)
        return lg__lex_error(&p->lx, LG_ERR_SYNTAX,
                             "more than one decay (half-life, expire, linear)");
      have_decay = 1;
      if (lg__lex_accept_word(&p->lx, "half-life"))
        st = parse_span(p, c, LG__DECAY_HALF_LIFE, "the half-life");
      else if (lg__lex_accept_word(&p->lx, "expire"))
        st = parse_span(p, c, LG__DECAY_EXPIRE, "the expiry");
      else {
        lg__lex_accept_word(&p->lx, "linear");
        st = parse_span(p, c, LG__DECAY_LINEAR, "the linear span");
      }
    } else {
      lg__lex_describe(&p->lx, tok, sizeof tok);
      return lg__lex_error(&p->lx, LG_ERR_SYNTAX,
                           "expected once, each, max, half-life, expire or linear "
                           "after the points, got %s",
                           tok);
    }
  }
  return st;
}

/* engagement "NAME" on TYPE -> POINTS [modifiers] */
static lg_status parse_engagement(parser *p, size_t at) {
  lg__crit *c = NULL;
  lg_status st = new_crit(p, LG_KIND_ENGAGEMENT, at, &c);
  if (st == LG_OK) st = parse_crit_name(p, c);
  if (st == LG_OK) st = expect_word(p, "on", "the criterion name");
  if (st == LG_OK) st = parse_attr(p, c, "event type");
  if (st == LG_OK) st = parse_arrow_points(p, "the event type", &c->rule.points);
  if (st == LG_OK) st = parse_modifiers(p, c);
  return st;
}

/* knockout "NAME" when ATTR is MATCH, ... */
static lg_status parse_knockout(parser *p, size_t at) {
  lg__crit *c = NULL;
  lg_status st = new_crit(p, LG_KIND_KNOCKOUT, at, &c);
  if (st == LG_OK) st = parse_crit_name(p, c);
  if (st == LG_OK) st = expect_word(p, "when", "the knockout name");
  if (st == LG_OK) st = parse_attr(p, c, "attribute name");
  if (st == LG_OK) st = expect_word(p, "is", "the attribute name");
  if (st == LG_OK) st = lg__match_list_parse(&p->lx, &c->ko);
  if (st == LG_OK) st = lg__lex_expect_eol(&p->lx, "the match list");
  if (st == LG_OK) p->r.n_knockouts++;
  return st;
}

/* rubric "NAME" */
static lg_status parse_rubric_line(parser *p, size_t at) {
  size_t    sat;
  lg_status st;
  if (p->r.name) return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "duplicate 'rubric' line");
  if (p->statements > 0)
    return lg__lex_error_at(&p->lx, at, LG_ERR_SYNTAX, "'rubric' must be the first statement");
  lg__lex_peek_string(&p->lx);
  sat = p->lx.pos;
  st = lg__lex_string(&p->lx, "the rubric name", &p->r.name, &p->r.name_len);
  if (st != LG_OK) return st;
  if (p->r.name_len == 0)
    return lg__lex_error_at(&p->lx, sat, LG_ERR_SYNTAX, "rubric name must not be empty");
  return lg__lex_expect_eol(&p->lx, "the rubric name");
}

static lg_status parse_statement(parser *p) {
  size_t at;
  char   tok[48];
  lg__lex_at_eol(&p->lx);
  at = p->lx.pos;
  if (lg__lex_accept_word(&p->lx, "rubric")) return parse_rubric_line(p, at);
  if (lg__lex_accept_word(&p->lx, "fit")) return parse_fit(p, at);
  if (lg__lex_accept_word(&p->lx, "when")) return parse_when(p, at);
  if (lg__lex_accept_word(&p->lx, "otherwise")) return parse_default(p, at, 0);
  if (lg__lex_accept_word(&p->lx, "missing")) return parse_default(p, at, 1);
  if (lg__lex_accept_word(&p->lx, "engagement")) return parse_engagement(p, at);
  if (lg__lex_accept_word(&p->lx, "knockout")) return parse_knockout(p, at);
  lg__lex_describe(&p->lx, tok, sizeof tok);
  return lg__lex_error(&p->lx, LG_ERR_SYNTAX,
                       "expected a statement (rubric, fit, when, otherwise, missing, "
                       "engagement or knockout), got %s",
                       tok);
}

/* Precomputes what scoring needs once the text is read. */
static lg_status finish(parser *p) {
  lg_rubric *r = &p->r;
  uint32_t   i, j, k = 0;
  r->max_fit = 0;
  for (i = 0; i < r->n_crits; i++) {
    lg__crit *c = &r->crits[i];
    if (c->kind != LG_KIND_FIT) continue;
    c->best = c->otherwise > c->missing ? c->otherwise : c->missing;
    for (j = 0; j < c->n_whens; j++)
      if (c->whens[j].points > c->best) c->best = c->whens[j].points;
    r->max_fit += c->best;
  }
  /* Fit criteria reading the same attribute form a group: a missing
   * attribute costs all of them, so next_question weighs the group.  The
   * set now maps an attribute to the first fit criterion reading it. */
  memset(p->set, 0, sizeof p->set);
  for (i = 0; i < r->n_crits; i++) {
    lg__crit *c = &r->crits[i], *first = c;
    uint32_t  slot;
    if (c->kind != LG_KIND_FIT) continue;
    for (slot = c->hash & (SET_SLOTS - 1); p->set[slot]; slot = (slot + 1) & (SET_SLOTS - 1)) {
      lg__crit *o = &r->crits[p->set[slot] - 1];
      if (o->hash == c->hash && o->attr_len == c->attr_len &&
          memcmp(o->attr, c->attr, c->attr_len) == 0) {
        first = o;
        break;
      }
    }
    if (first == c) {
      c->group_first = 1;
      p->set[slot] = (uint16_t)(i + 1);
    }
    first->group_gain += c->best - c->missing;
  }
  if (r->n_knockouts) {
    r->knockouts = lg__malloc(r->n_knockouts * sizeof *r->knockouts);
    if (!r->knockouts) return nomem(p);
    for (i = 0; i < r->n_crits; i++)
      if (r->crits[i].kind == LG_KIND_KNOCKOUT) r->knockouts[k++] = i;
  }
  if (lg__rubric_plan(r) != LG_OK) return nomem(p);
  r->fingerprint = lg__render_hash(render, r);
  return LG_OK;
}

lg_status lg_rubric_parse(const char *text, size_t len, lg_rubric **out, lg_error *err) {
  parser     p;
  lg_rubric *r = NULL;
  lg_status  st;
  if (!text || !out) {
    lg__error_set(err, LG_ERR_INVALID, "text and out must not be NULL");
    return LG_ERR_INVALID;
  }
  memset(&p, 0, sizeof p);
  st = lg__lex_init(&p.lx, text, len, err);
  while (st == LG_OK && lg__lex_next_line(&p.lx)) {
    st = parse_statement(&p);
    p.statements++;
  }
  if (st == LG_OK) st = finish(&p);
  if (st == LG_OK) {
    r = lg__malloc(sizeof *r);
    if (!r) st = nomem(&p);
  }
  if (st != LG_OK) {
    rubric_free_contents(&p.r);
    return st;
  }
  *r = p.r;
  *out = r;
  return LG_OK;
}
