/*
 * policy.c - the policy text format: parsing, canonical printing,
 * fingerprint and freeing, and the accessors the SLA, routing and stats
 * modules read (lg__policy_followup, lg__policy_route).  Expressions are
 * expr.c's; the calendar block is calendar.c's.
 *
 * Canonical text, in this fixed order whatever the input order:
 *
 *   policy "NAME"                       only if given
 *   disqualify when EXPR                always: the default is `knockout`
 *   qualify when EXPR                   only if given
 *   grade "NAME" [when EXPR]            in text order
 *   calendar ...                        only if given (lg__calendar_print)
 *   follow-up within D [business] [when EXPR]
 *     ACTION at N%|D [max N]            each rule in text order, if any; D in
 *                                       h/m/s; steps in severity order
 *   route least-loaded|round-robin      always: the default is least-loaded
 *
 * Defaults are printed because the canonical text is what a fingerprint
 * identifies: a policy that leaves them out behaves exactly like one that
 * spells them out, so both must print (and hash) the same.
 */
#include "policy.h"

#include <string.h>

static const char *const action_names[] = {
  "", "warn", "remind", "escalate", "reassign", "recycle"
};
#define N_ACTIONS       6
#define MAX_PERCENT     INT64_C(1000000) /* 1000% in milli-percent */
#define HUNDRED_PERCENT INT64_C(100000)
#define MAX_REASSIGN    INT64_C(1000000) /* 1000 (a lead's assignment limit), milli */

typedef struct pparser {
  lg__lexer *lx;
  lg_policy *p;
  uint32_t   statements; /* statements seen so far */
  int        has_disqualify, has_route, has_calendar;
  int        in_followup;   /* the previous statement was the follow-up line or a step */
  uint32_t   fallback_line; /* line of the fallback grade, 0 if none yet */
  uint32_t   always_line;   /* line of the follow-up rule without `when`, 0 if none */
  unsigned   steps_seen;    /* bit per lg_action, of the latest follow-up rule */
} pparser;

/* ---- freeing ---------------------------------------------------------------- */

void lg_policy_free(lg_policy *p) {
  uint32_t i;
  if (!p) return;
  lg__free(p->name);
  lg__expr_free(&p->disqualify);
  lg__expr_free(&p->qualify);
  for (i = 0; i < p->n_grades; i++) lg__expr_free(&p->grades[i].cond);
  lg__free(p->grades);
  for (i = 0; i < p->n_followups; i++) lg__expr_free(&p->followups[i].when);
  lg__free(p->followups);
  lg_calendar_free(p->calendar);
  lg__free(p);
}

/* ---- parsing helpers ------------------------------------------------------- */

/* `when EXPR` to the end of the line. */
static lg_status parse_when(lg__lexer *lx, const char *after, lg__expr *out) {
  if (!lg__lex_accept_word(lx, "when")) {
    char tok[48];
    lg__lex_describe(lx, tok, sizeof tok);
    return lg__lex_error(lx, LG_ERR_SYNTAX, "expected 'when' after '%s', got %s", after, tok);
  }
  return lg__expr_parse(lx, out);
}

/* ---- statements ------------------------------------------------------------- */

static lg_status parse_name_line(pparser *pp, size_t at) {
  lg__lexer *lx = pp->lx;
  lg_status  st;
  size_t     name_at;
  if (pp->statements > 0)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                            "'policy' must be the first statement, and appear once");
  lg__lex_peek_string(lx); /* skips blanks: the error points at the quote */
  name_at = lx->pos;
  st = lg__lex_string(lx, "the policy name", &pp->p->name, &pp->p->name_len);
  if (st != LG_OK) return st;
  if (pp->p->name_len == 0) /* as for rubrics: leave the line out instead */
    return lg__lex_error_at(lx, name_at, LG_ERR_SYNTAX, "policy name must not be empty");
  return lg__lex_expect_eol(lx, "the policy name");
}

static lg_status parse_rule(pparser *pp, size_t at, int qualify) {
  lg__lexer *lx = pp->lx;
  lg_policy *p = pp->p;
  lg_status  st;
  if (qualify ? p->has_qualify : pp->has_disqualify)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "a policy has one %s rule",
                            qualify ? "qualify" : "disqualify");
  st = parse_when(lx, qualify ? "qualify" : "disqualify", qualify ? &p->qualify : &p->disqualify);
  if (st != LG_OK) return st;
  if (qualify) {
    p->has_qualify = 1;
    p->qualify_line = lx->line;
  } else {
    pp->has_disqualify = 1;
    p->disqualify_line = lx->line;
  }
  return LG_OK;
}

static lg_status parse_grade(pparser *pp, size_t at) {
  lg__lexer *lx = pp->lx;
  lg_policy *p = pp->p;
  lg__grade *grades, g;
  char      *name;
  size_t     name_len, name_at;
  lg_status  st;
  if (pp->fallback_line)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                            "no grade may follow the fallback grade on line %u, which "
                            "matches every lead",
                            (unsigned)pp->fallback_line);
  if (p->n_grades >= LG__MAX_GRADES)
    return lg__lex_error_at(lx, at, LG_ERR_LIMIT, "a policy has at most %d grades", LG__MAX_GRADES);
  grades = lg__grow(p->grades, &p->cap_grades, p->n_grades + 1, sizeof *grades);
  if (!grades) return lg__lex_nomem(lx);
  p->grades = grades;
  name_at = lg__lex_token_at(lx);
  st = lg__lex_string(lx, "the grade name", &name, &name_len);
  if (st != LG_OK) return st;
  memset(&g, 0, sizeof g);
  if (name_len >= 1 && name_len <= LG__MAX_GRADE_NAME) memcpy(g.name, name, name_len);
  lg__free(name);
  if (name_len == 0)
    return lg__lex_error_at(lx, name_at, LG_ERR_SYNTAX, "a grade name must not be empty");
  if (name_len > LG__MAX_GRADE_NAME)
    return lg__lex_error_at(lx, name_at, LG_ERR_LIMIT, "a grade name is at most %d bytes",
                            LG__MAX_GRADE_NAME);
  g.name_len = (uint32_t)name_len;
  g.line = lx->line;
  if (lg__lex_at_eol(lx)) {
    pp->fallback_line = lx->line;
  } else {
    if (!lg__lex_peek_word(lx, "when"))
      return lg__lex_expected(lx, "'when' or the end of the line after the grade name");
    st = parse_when(lx, "grade", &g.cond);
    if (st != LG_OK) return st;
    g.has_cond = 1;
  }
  p->grades[p->n_grades++] = g;
  return LG_OK;
}

/* Follow-up offsets print in hours at most: in business time a "2d" would
 * read as two business days, while 48h of open time is what is meant. */
static void print_sla_duration(lg__buf *b, int64_t secs) {
  if (secs != 0 && secs % 3600 == 0) {
    lg__buf_int(b, secs / 3600);
    lg__buf_putc(b, 'h');
  } else if (secs != 0 && secs % 60 == 0) {
    lg__buf_int(b, secs / 60);
    lg__buf_putc(b, 'm');
  } else {
    lg__buf_int(b, secs);
    lg__buf_putc(b, 's');
  }
}

/* `follow-up within D [business] [when EXPR]`: a new rule (tier). */
static lg_status parse_followup(pparser *pp, size_t at) {
  lg__lexer    *lx = pp->lx;
  lg_policy    *p = pp->p;
  lg__followup *f, rule;
  size_t        target_at;
  lg_status     st;
  if (pp->always_line)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                            "no follow-up rule may follow the one on line %u, which has no "
                            "'when' and so always applies",
                            (unsigned)pp->always_line);
  if (p->n_followups >= LG__MAX_FOLLOWUPS)
    return lg__lex_error_at(lx, at, LG_ERR_LIMIT, "a policy has at most %d follow-up rules",
                            LG__MAX_FOLLOWUPS);
  f = lg__grow(p->followups, &p->cap_followups, p->n_followups + 1, sizeof *f);
  if (!f) return lg__lex_nomem(lx);
  p->followups = f;
  memset(&rule, 0, sizeof rule);
  rule.line = lx->line;
  if (!lg__lex_accept_word(lx, "within")) return lg__lex_expected(lx, "'within' after 'follow-up'");
  target_at = lg__lex_token_at(lx);
  st = lg__lex_duration(lx, "the follow-up target", &rule.target);
  if (st != LG_OK) return st;
  if (rule.target == 0)
    return lg__lex_error_at(lx, target_at, LG_ERR_RANGE,
                            "the follow-up target must be longer than 0s");
  rule.business = lg__lex_accept_word(lx, "business");
  if (lg__lex_accept_word(lx, "when")) {
    if ((st = lg__expr_parse_lead(lx, &rule.when)) != LG_OK) return st;
    rule.has_when = 1;
  } else if (!lg__lex_at_eol(lx)) {
    return lg__lex_expected(lx, rule.business ? "'when' or the end of the line"
                                              : "'business', 'when' or the end of the line");
  } else {
    pp->always_line = rule.line;
  }
  rule.present = 1;
  p->followups[p->n_followups++] = rule;
  pp->steps_seen = 0;
  return LG_OK;
}

/* 1 if the number at the cursor ends in '%' (a share of the target) rather
 * than a unit (a duration). */
static int percent_ahead(const lg__lexer *lx) {
  size_t i = lx->pos;
  while (i < lx->line_end && ((lx->src[i] >= '0' && lx->src[i] <= '9') || lx->src[i] == '.' ||
                              lx->src[i] == '+' || lx->src[i] == '-'))
    i++;
  return i < lx->line_end && lx->src[i] == '%';
}

static lg_status parse_step_offset(pparser *pp, int action, lg__sla_step *s) {
  lg__lexer  *lx = pp->lx;
  lg_duration target = pp->p->followups[pp->p->n_followups - 1].target;
  size_t      at = lg__lex_token_at(lx);
  lg_status   st;
  if (!lg__lex_peek_number(lx))
    return lg__lex_expected(lx, "a share of the target (like 75%) or a duration (like 36h)");
  if (percent_ahead(lx)) {
    s->is_percent = 1;
    st = lg__lex_percent(lx, "the step's share of the target", &s->value);
    if (st != LG_OK) return st;
    if (s->value > MAX_PERCENT)
      return lg__lex_error_at(lx, at, LG_ERR_LIMIT, "a step is at most 1000%% of the target");
    if (action == LG_ACTION_WARN && s->value >= HUNDRED_PERCENT)
      return lg__lex_error_at(lx, at, LG_ERR_RANGE,
                              "a warning must come before the target: use less than 100%%");
    return LG_OK;
  }
  st = lg__lex_duration(lx, "the step's offset", &s->value);
  if (st != LG_OK) return st;
  if (action == LG_ACTION_WARN && s->value >= target)
    return lg__lex_error_at(lx, at, LG_ERR_RANGE,
                            "a warning must come before the target: use less than the "
                            "follow-up time");
  return LG_OK;
}

static lg_status parse_step(pparser *pp, size_t at, int action) {
  lg__lexer    *lx = pp->lx;
  lg__followup *f;
  lg__sla_step  s;
  uint32_t      i;
  lg_status     st;
  if (!pp->in_followup)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                            "'%s' is a follow-up step: it belongs under a "
                            "'follow-up within ...' line",
                            action_names[action]);
  f = &pp->p->followups[pp->p->n_followups - 1];
  if (pp->steps_seen & (1u << action))
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "a follow-up rule has one '%s' step",
                            action_names[action]);
  if (!lg__lex_accept_word(lx, "at")) {
    char tok[48];
    lg__lex_describe(lx, tok, sizeof tok);
    return lg__lex_error(lx, LG_ERR_SYNTAX, "expected 'at' after '%s', got %s",
                         action_names[action], tok);
  }
  memset(&s, 0, sizeof s);
  s.action = action;
  s.max = -1;
  s.line = lx->line;
  st = parse_step_offset(pp, action, &s);
  if (st != LG_OK) return st;
  if (lg__lex_peek_word(lx, "max")) {
    int64_t v;
    size_t  max_at = lg__lex_token_at(lx);
    if (action != LG_ACTION_REASSIGN)
      return lg__lex_error_at(lx, max_at, LG_ERR_SYNTAX, "'max' is allowed only on reassign");
    (void)lg__lex_accept_word(lx, "max");
    max_at = lg__lex_token_at(lx);
    st = lg__lex_number(lx, "the most reassignments", MAX_REASSIGN, &v);
    if (st != LG_OK) return st;
    if (v < 0 || v % 1000 != 0)
      return lg__lex_error_at(lx, max_at, LG_ERR_SYNTAX,
                              "expected a whole number of reassignments, 0 or more");
    s.max = (int32_t)(v / 1000);
  }
  st = lg__lex_expect_eol(lx, "the step");
  if (st != LG_OK) return st;
  /* Keep the ladder in severity order (lg_action order). */
  for (i = f->n_steps; i > 0 && f->steps[i - 1].action > action; i--) f->steps[i] = f->steps[i - 1];
  f->steps[i] = s;
  f->n_steps++;
  pp->steps_seen |= 1u << action;
  return LG_OK;
}

static lg_status parse_route(pparser *pp, size_t at) {
  lg__lexer *lx = pp->lx;
  if (pp->has_route) return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "a policy has one route rule");
  if (lg__lex_accept_word(lx, "least-loaded"))
    pp->p->route = LG__ROUTE_LEAST_LOADED;
  else if (lg__lex_accept_word(lx, "round-robin"))
    pp->p->route = LG__ROUTE_ROUND_ROBIN;
  else
    return lg__lex_expected(lx, "least-loaded or round-robin after 'route'");
  pp->has_route = 1;
  return lg__lex_expect_eol(lx, "the route rule");
}

static int step_action(lg__lexer *lx) {
  int a;
  for (a = 1; a < N_ACTIONS; a++)
    if (lg__lex_accept_word(lx, action_names[a])) return a;
  return 0;
}

/* One statement at the cursor.  *have: 1 if another line is waiting. */
static lg_status parse_statement(pparser *pp, int *have) {
  static const char *const calendar_words[] = { "utc-offset", "hours", "holiday", "offset-change" };
  lg__lexer               *lx = pp->lx;
  size_t                   at = lg__lex_token_at(lx), i;
  int                      action, was_followup = pp->in_followup;
  lg_status                st;
  pp->in_followup = 0;
  if ((action = step_action(lx)) != 0) {
    pp->in_followup = was_followup;
    st = parse_step(pp, at, action);
  } else if (lg__lex_accept_word(lx, "policy")) {
    st = parse_name_line(pp, at);
  } else if (lg__lex_accept_word(lx, "disqualify")) {
    st = parse_rule(pp, at, 0);
  } else if (lg__lex_accept_word(lx, "qualify")) {
    st = parse_rule(pp, at, 1);
  } else if (lg__lex_accept_word(lx, "grade")) {
    st = parse_grade(pp, at);
  } else if (lg__lex_accept_word(lx, "follow-up")) {
    st = parse_followup(pp, at);
    pp->in_followup = 1;
  } else if (lg__lex_accept_word(lx, "route")) {
    st = parse_route(pp, at);
  } else if (lg__lex_accept_word(lx, "calendar")) {
    if (pp->has_calendar)
      return lg__lex_error_at(lx, at, LG_ERR_SYNTAX, "a policy has one calendar block");
    pp->has_calendar = 1;
    pp->statements++;
    /* calendar.c takes the rest of the line and the block's lines, and
     * leaves the cursor on the next statement (already advanced). */
    return lg__calendar_parse_block(lx, 0, &pp->p->calendar, have);
  } else {
    for (i = 0; i < sizeof calendar_words / sizeof calendar_words[0]; i++)
      if (lg__lex_peek_word(lx, calendar_words[i]))
        return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                                "'%s' belongs in the calendar block: put it under the "
                                "'calendar' line",
                                calendar_words[i]);
    return lg__lex_expected(lx, "a statement: policy, disqualify, qualify, grade, calendar, "
                                "follow-up or route");
  }
  if (st != LG_OK) return st;
  pp->statements++;
  *have = lg__lex_next_line(lx);
  return LG_OK;
}

/* ---- canonical text ----------------------------------------------------------- */

static void render_followup(const lg__followup *f, lg__buf *b) {
  uint32_t i;
  lg__buf_puts(b, "follow-up within ");
  print_sla_duration(b, f->target);
  if (f->business) lg__buf_puts(b, " business");
  if (f->has_when) {
    lg__buf_puts(b, " when ");
    lg__expr_print(&f->when, b);
  }
  lg__buf_putc(b, '\n');
  for (i = 0; i < f->n_steps; i++) {
    const lg__sla_step *s = &f->steps[i];
    lg__buf_puts(b, "  ");
    lg__buf_puts(b, action_names[s->action]);
    lg__buf_puts(b, " at ");
    if (s->is_percent) {
      lg__buf_milli(b, s->value);
      lg__buf_putc(b, '%');
    } else {
      print_sla_duration(b, s->value);
    }
    if (s->max >= 0) {
      lg__buf_puts(b, " max ");
      lg__buf_int(b, s->max);
    }
    lg__buf_putc(b, '\n');
  }
}

static void render(const void *obj, lg__buf *b) {
  const lg_policy *p = obj;
  uint32_t         i;
  if (p->name) {
    lg__buf_puts(b, "policy ");
    lg__buf_quoted(b, p->name, p->name_len);
    lg__buf_putc(b, '\n');
  }
  lg__buf_puts(b, "disqualify when ");
  lg__expr_print(&p->disqualify, b);
  lg__buf_putc(b, '\n');
  if (p->has_qualify) {
    lg__buf_puts(b, "qualify when ");
    lg__expr_print(&p->qualify, b);
    lg__buf_putc(b, '\n');
  }
  for (i = 0; i < p->n_grades; i++) {
    const lg__grade *g = &p->grades[i];
    lg__buf_puts(b, "grade ");
    lg__buf_quoted(b, g->name, g->name_len);
    if (g->has_cond) {
      lg__buf_puts(b, " when ");
      lg__expr_print(&g->cond, b);
    }
    lg__buf_putc(b, '\n');
  }
  if (p->calendar) lg__calendar_print(p->calendar, b);
  for (i = 0; i < p->n_followups; i++) render_followup(&p->followups[i], b);
  lg__buf_puts(b,
               p->route == LG__ROUTE_ROUND_ROBIN ? "route round-robin\n" : "route least-loaded\n");
}

/* ---- public API ------------------------------------------------------------- */

lg_status lg_policy_parse(const char *text, size_t len, lg_policy **out, lg_error *err) {
  lg__lexer lx;
  pparser   pp;
  lg_status st;
  int       have;
  if (!text || !out) {
    lg__error_set(err, LG_ERR_INVALID, "text and out must not be NULL");
    return LG_ERR_INVALID;
  }
  st = lg__lex_init(&lx, text, len, err);
  if (st != LG_OK) return st;
  memset(&pp, 0, sizeof pp);
  pp.lx = &lx;
  pp.p = lg__calloc(1, sizeof *pp.p);
  if (!pp.p) return lg__lex_nomem(&lx);
  pp.p->route = LG__ROUTE_LEAST_LOADED;
  have = lg__lex_next_line(&lx);
  while (st == LG_OK && have) st = parse_statement(&pp, &have);
  if (st == LG_OK && !pp.has_disqualify) st = lg__expr_knockout(&lx, &pp.p->disqualify);
  if (st != LG_OK) {
    lg_policy_free(pp.p);
    return st;
  }
  pp.p->fingerprint = lg__render_hash(render, pp.p);
  lg__error_clear(err);
  *out = pp.p;
  return LG_OK;
}

lg_status lg_policy_to_text(const lg_policy *policy, char *buf, size_t cap, size_t *needed) {
  return lg__render_text(render, policy, buf, cap, needed);
}

uint64_t lg_policy_fingerprint(const lg_policy *policy) { return policy ? policy->fingerprint : 0; }

const lg_calendar *lg_policy_calendar(const lg_policy *policy) {
  if (!policy) return NULL;
  return policy->calendar ? policy->calendar : lg__calendar_always();
}

const char *lg_policy_name(const lg_policy *policy) {
  if (!policy) return NULL;
  return policy->name ? policy->name : "";
}

/* ---- what the policy reads -------------------------------------------------
 * Policies are small (tens of atoms), so the inputs are found by walking
 * the expressions on each call rather than by a table kept in the policy:
 * O(atoms^2), no allocation. */

/* Calls visit on every atom that reads the lead, in canonical order
 * (disqualify, qualify, grades, follow-up conditions), until it returns
 * non-zero; returns that value (0 when the walk ends). */
typedef int (*atom_visit)(void *ud, const lg__atom *a);

static int walk_expr(const lg__expr *e, atom_visit visit, void *ud) {
  lg__atom a;
  uint32_t i;
  int      r;
  for (i = 0; lg__expr_atom(e, i, &a); i++)
    if (a.kind >= 0 && (r = visit(ud, &a)) != 0) return r;
  return 0;
}

static int walk_atoms(const lg_policy *p, atom_visit visit, void *ud) {
  uint32_t g;
  int      r = walk_expr(&p->disqualify, visit, ud);
  if (!r && p->has_qualify) r = walk_expr(&p->qualify, visit, ud);
  for (g = 0; !r && g < p->n_grades; g++)
    if (p->grades[g].has_cond) r = walk_expr(&p->grades[g].cond, visit, ud);
  for (g = 0; !r && g < p->n_followups; g++)
    if (p->followups[g].has_when) r = walk_expr(&p->followups[g].when, visit, ud);
  return r;
}

static int same_atom(const lg__atom *a, const lg__atom *b) {
  return a->kind == b->kind && a->len == b->len && memcmp(a->name, b->name, a->len) == 0;
}

typedef struct input_query {
  const lg_policy *p;
  int              want_kind; /* the kind being listed */
  size_t           skip;      /* distinct inputs still to pass over */
  size_t           pos;       /* atoms visited by the outer walk */
  lg__atom         found;
  int              type;  /* combined over every atom of found's name */
  const lg__atom  *probe; /* inner walk: the atom at outer position */
  size_t           probe_pos, inner_pos;
  int              seen_before;
} input_query;

/* Inner walk: does an atom before position probe_pos share the probe's
 * name? */
static int seen_visit(void *ud, const lg__atom *a) {
  input_query *q = ud;
  if (q->inner_pos++ == q->probe_pos) return 1;
  if (same_atom(a, q->probe)) q->seen_before = 1;
  return q->seen_before;
}

static int list_visit(void *ud, const lg__atom *a) {
  input_query *q = ud;
  size_t       here = q->pos++;
  if (a->kind != q->want_kind) return 0;
  q->probe = a;
  q->probe_pos = here;
  q->inner_pos = 0;
  q->seen_before = 0;
  walk_atoms(q->p, seen_visit, q);
  if (q->seen_before) return 0;
  if (q->skip > 0) {
    q->skip--;
    return 0;
  }
  q->found = *a;
  return 1;
}

/* Combines the value types of every atom of the found name. */
static int type_visit(void *ud, const lg__atom *a) {
  input_query *q = ud;
  if (!same_atom(a, &q->found) || a->vtype == LG__ATOM_PRESENCE) return 0;
  if (q->type == LG__ATOM_PRESENCE)
    q->type = a->vtype;
  else if (q->type != a->vtype)
    q->type = LG__VAL_NONE;
  return 0;
}

/* The index-th distinct input of `kind`; 1 if there is one. */
static int find_input(const lg_policy *p, int kind, size_t index, input_query *q) {
  memset(q, 0, sizeof *q);
  q->p = p;
  q->want_kind = kind;
  q->skip = index;
  return walk_atoms(p, list_visit, q);
}

static size_t count_inputs(const lg_policy *p, int kind) {
  input_query q;
  size_t      n = 0;
  while (find_input(p, kind, n, &q)) n++;
  return n;
}

size_t lg_policy_input_count(const lg_policy *policy) {
  if (!policy) return 0;
  return count_inputs(policy, LG_INPUT_ATTRIBUTE) + count_inputs(policy, LG_INPUT_EVENT);
}

lg_status lg_policy_input_at(const lg_policy *policy, size_t i, const char **name,
                             lg_input_kind *kind, lg_value_type *type) {
  input_query q;
  size_t      n_attr;
  int         k = LG_INPUT_ATTRIBUTE;
  if (!policy) return LG_ERR_INVALID;
  n_attr = count_inputs(policy, LG_INPUT_ATTRIBUTE);
  if (i >= n_attr) {
    i -= n_attr;
    k = LG_INPUT_EVENT;
  }
  if (!find_input(policy, k, i, &q)) return LG_ERR_NOT_FOUND;
  q.type = LG__ATOM_PRESENCE;
  walk_atoms(policy, type_visit, &q);
  if (name) *name = q.found.name;
  if (kind) *kind = (lg_input_kind)k;
  if (type) *type = (lg_value_type)(q.type == LG__ATOM_PRESENCE ? LG__VAL_NONE : q.type);
  return LG_OK;
}

uint32_t lg__policy_followup_count(const lg_policy *p) { return p ? p->n_followups : 0; }

const lg__followup *lg__policy_followup(const lg_policy *p) {
  static const lg__followup none; /* no follow-up rule */
  return p && p->n_followups ? &p->followups[0] : &none;
}

const lg__followup *lg__policy_followup_at(const lg_policy *p, uint32_t i) {
  return p && i < p->n_followups ? &p->followups[i] : NULL;
}

int lg__policy_route(const lg_policy *p) { return p ? p->route : LG__ROUTE_LEAST_LOADED; }
