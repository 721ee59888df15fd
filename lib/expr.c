/*
 * expr.c - policy expressions: the conditions of `disqualify when`,
 * `qualify when` and `grade ... when`.  Parsing, canonical printing,
 * evaluation against a scored lead, and the "reason" walk that names the
 * part of a rule that decided.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | primary
 *   primary := fit|engagement|total CMP N | knockout ["name"]
 *            | event TYPE within DURATION | attr NAME CMP VALUE
 *            | attr NAME is MATCH, ... | missing NAME | stage is STAGE
 *
 * An expression is one array of nodes (children linked by index, so the
 * array may move while it grows), one arena for its strings and one array
 * of match lists: a handful of allocations however long the rule is.
 * `a or b or c` is one n-ary node, so only parentheses and `not` make the
 * tree deeper; both count against the nesting limit, which bounds every
 * recursion in this file.
 */
#include "internal.h"

#include <string.h>

#define NIL       UINT32_MAX
#define MAX_DEPTH 64
/* attr comparisons use the match lists' number range (see match.c). */
#define ATTR_NUMBER_LIMIT INT64_C(1000000000000000000)

enum {
  X_OR = 1,
  X_AND,
  X_NOT,
  X_SCORE,     /* which: fit / engagement / total; op; value milli */
  X_KO_ANY,    /* bare `knockout` */
  X_KO_NAMED,  /* name: the knockout's name */
  X_EVENT,     /* name: event type; value: window in seconds */
  X_ATTR_NUM,  /* name; op; value milli */
  X_ATTR_TEXT, /* name; op (= or !=); text */
  X_ATTR_BOOL, /* name; op (= or !=); value 0/1 */
  X_ATTR_IS,   /* name; value: index into lists */
  X_MISSING,   /* name */
  X_STAGE      /* which: lg_stage */
};

enum { S_FIT = 0, S_ENGAGEMENT = 1, S_TOTAL = 2 };

struct lg__xnode {
  int64_t  value; /* see the kinds above */
  uint32_t first; /* OR / AND / NOT: first operand */
  uint32_t next;  /* next operand of the parent OR / AND, or NIL */
  uint32_t name;  /* strs offset of the attribute / event / knockout name */
  uint32_t name_len;
  uint32_t text; /* X_ATTR_TEXT: strs offset and length of the value */
  uint32_t text_len;
  uint8_t  kind;
  uint8_t  op;    /* lg__cmp */
  uint8_t  which; /* X_SCORE: S_*; X_STAGE: lg_stage */
  uint8_t  reserved;
};

static const char *const score_names[] = { "fit", "engagement", "total" };
/* Indexed by lg_stage. */
static const char *const stage_names[] = { "new",         "nurture", "mql",  "sal",         "sql",
                                           "opportunity", "won",     "lost", "disqualified" };
#define N_STAGES (sizeof stage_names / sizeof stage_names[0])

/* ---- building ------------------------------------------------------------ */

typedef struct xparser {
  lg__lexer *lx;
  lg__expr  *e;
  int        depth;    /* open parentheses and `not`s around the cursor */
  int        no_score; /* lg__expr_parse_lead: the score atoms are errors */
} xparser;

static lg_status new_node(xparser *p, int kind, uint32_t *out) {
  lg__expr  *e = p->e;
  lg__xnode *nodes;
  if (LG__NEVER(e->n_nodes == NIL)) return lg__lex_nomem(p->lx); /* 1 MiB holds fewer */
  nodes = lg__grow(e->nodes, &e->cap_nodes, e->n_nodes + 1, sizeof *nodes);
  if (!nodes) return lg__lex_nomem(p->lx);
  e->nodes = nodes;
  memset(&nodes[e->n_nodes], 0, sizeof *nodes);
  nodes[e->n_nodes].kind = (uint8_t)kind;
  nodes[e->n_nodes].first = NIL;
  nodes[e->n_nodes].next = NIL;
  *out = e->n_nodes++;
  return LG_OK;
}

/* Appends s[0..n) and a NUL to the string arena. */
static lg_status add_str(xparser *p, const char *s, size_t n, uint32_t *off) {
  lg__expr *e = p->e;
  char     *strs;
  /* Everything stored comes from the (<= 1 MiB) text: no overflow. */
  uint32_t need = e->n_strs + (uint32_t)n + 1;
  strs = lg__grow(e->strs, &e->cap_strs, need, 1);
  if (!strs) return lg__lex_nomem(p->lx);
  e->strs = strs;
  if (n) memcpy(strs + e->n_strs, s, n);
  strs[e->n_strs + n] = '\0';
  *off = e->n_strs;
  e->n_strs = need;
  return LG_OK;
}

/* A name (attribute or event type) stored in the arena. */
static lg_status parse_name(xparser *p, uint32_t node, const char *what) {
  lg__span  s;
  uint32_t  off = 0; /* (set when add_str succeeds) */
  lg_status st = lg__lex_name(p->lx, what, &s);
  if (st == LG_OK) st = add_str(p, s.p, s.n, &off);
  if (st != LG_OK) return st;
  p->e->nodes[node].name = off;
  p->e->nodes[node].name_len = (uint32_t)s.n;
  return LG_OK;
}

/* A quoted string moved into the arena; *off / *len describe it. */
static lg_status parse_string(xparser *p, const char *what, uint32_t *off, uint32_t *len) {
  char     *s;
  size_t    n;
  lg_status st = lg__lex_string(p->lx, what, &s, &n);
  if (st != LG_OK) return st;
  st = add_str(p, s, n, off);
  lg__free(s);
  *len = (uint32_t)n;
  return st;
}

static lg_status parse_score(xparser *p, int which, uint32_t *out) {
  int       op;
  int64_t   v;
  char      tok[48];
  lg_status st;
  if (!lg__lex_accept_cmp(p->lx, &op)) {
    lg__lex_describe(p->lx, tok, sizeof tok);
    return lg__lex_error(p->lx, LG_ERR_SYNTAX,
                         "expected a comparison (< <= > >= = !=) after '%s', got %s",
                         score_names[which], tok);
  }
  st = lg__lex_number(p->lx, "a number of points", LG__MAX_POINTS, &v);
  if (st == LG_OK) st = new_node(p, X_SCORE, out);
  if (st != LG_OK) return st;
  p->e->nodes[*out].which = (uint8_t)which;
  p->e->nodes[*out].op = (uint8_t)op;
  p->e->nodes[*out].value = v;
  return LG_OK;
}

/* `attr NAME CMP VALUE`: numbers compare with integers, "text" and
 * true/false only for (in)equality since they have no order. */
static lg_status parse_attr_cmp(xparser *p, uint32_t node, size_t op_at, int op) {
  lg__lexer *lx = p->lx;
  lg__xnode *n;
  int        is_bool = 0, bool_value = 0;
  uint32_t   off = 0, len = 0;
  int64_t    v = 0;
  lg_status  st;
  if (lg__lex_peek_number(lx)) {
    st = lg__lex_number(lx, "a number", ATTR_NUMBER_LIMIT, &v);
    if (st != LG_OK) return st;
    n = &p->e->nodes[node];
    n->kind = X_ATTR_NUM;
    n->op = (uint8_t)op;
    n->value = v;
    return LG_OK;
  }
  if (lg__lex_peek_string(lx)) {
    if (op != LG__EQ && op != LG__NE)
      return lg__lex_error_at(lx, op_at, LG_ERR_SYNTAX,
                              "text can only be compared with = or !=, not %s", lg__cmp_text(op));
    st = parse_string(p, "text", &off, &len);
    if (st != LG_OK) return st;
    n = &p->e->nodes[node];
    n->kind = X_ATTR_TEXT;
    n->op = (uint8_t)op;
    n->text = off;
    n->text_len = len;
    return LG_OK;
  }
  if (lg__lex_peek_word(lx, "true") || lg__lex_peek_word(lx, "false")) {
    is_bool = 1;
    bool_value = lg__lex_peek_word(lx, "true");
  }
  if (!is_bool)
    return lg__lex_expected(lx, "a value to compare with: a number, \"text\", true or false");
  if (op != LG__EQ && op != LG__NE)
    return lg__lex_error_at(lx, op_at, LG_ERR_SYNTAX,
                            "true and false can only be compared with = or !=, not %s",
                            lg__cmp_text(op));
  lx->pos += bool_value ? 4 : 5;
  n = &p->e->nodes[node];
  n->kind = X_ATTR_BOOL;
  n->op = (uint8_t)op;
  n->value = bool_value;
  return LG_OK;
}

static lg_status parse_attr(xparser *p, uint32_t *out) {
  lg__lexer      *lx = p->lx;
  lg__match_list  list;
  lg__match_list *lists;
  size_t          op_at;
  int             op;
  lg_status       st = new_node(p, X_ATTR_IS, out);
  if (st == LG_OK) st = parse_name(p, *out, "attribute name");
  if (st != LG_OK) return st;
  if (lg__lex_accept_word(lx, "is")) {
    lg__expr *e = p->e;
    lists = lg__grow(e->lists, &e->cap_lists, e->n_lists + 1, sizeof *lists);
    if (!lists) return lg__lex_nomem(lx);
    e->lists = lists;
    st = lg__match_list_parse(lx, &list);
    if (st != LG_OK) return st;
    e->lists[e->n_lists] = list;
    e->nodes[*out].value = e->n_lists++;
    return LG_OK;
  }
  op_at = lg__lex_token_at(lx);
  if (!lg__lex_accept_cmp(lx, &op))
    return lg__lex_expected(lx, "'is' or a comparison (< <= > >= = !=) after the attribute name");
  return parse_attr_cmp(p, *out, op_at, op);
}

static lg_status parse_stage(xparser *p, uint32_t *out) {
  lg__lexer *lx = p->lx;
  lg__span   s;
  size_t     at, i;
  lg_status  st;
  if (!lg__lex_accept_word(lx, "is")) return lg__lex_expected(lx, "'is' after 'stage'");
  at = lg__lex_token_at(lx);
  st = lg__lex_name(lx, "stage name", &s);
  if (st != LG_OK) return st;
  for (i = 0; i < N_STAGES; i++)
    if (strlen(stage_names[i]) == s.n && memcmp(stage_names[i], s.p, s.n) == 0) break;
  if (i == N_STAGES)
    return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                            "unknown stage '%.*s': expected new, nurture, mql, sal, sql, "
                            "opportunity, won, lost or disqualified",
                            (int)s.n, s.p);
  st = new_node(p, X_STAGE, out);
  if (st == LG_OK) p->e->nodes[*out].which = (uint8_t)i;
  return st;
}

static lg_status parse_primary(xparser *p, uint32_t *out) {
  lg__lexer *lx = p->lx;
  lg_status  st;
  int        which;
  if (p->no_score)
    for (which = S_FIT; which <= S_TOTAL + 1; which++)
      if (lg__lex_peek_word(lx, which <= S_TOTAL ? score_names[which] : "knockout"))
        return lg__lex_error(lx, LG_ERR_SYNTAX,
                             "'%s' needs a score, and the SLA clock has none: a follow-up "
                             "rule's 'when' reads only attributes, events and the stage",
                             which <= S_TOTAL ? score_names[which] : "knockout");
  for (which = S_FIT; which <= S_TOTAL; which++)
    if (lg__lex_accept_word(lx, score_names[which])) return parse_score(p, which, out);
  if (lg__lex_accept_word(lx, "knockout")) {
    if (!lg__lex_peek_string(lx)) return new_node(p, X_KO_ANY, out);
    st = new_node(p, X_KO_NAMED, out);
    if (st == LG_OK) {
      uint32_t off, len;
      st = parse_string(p, "the knockout name", &off, &len);
      if (st != LG_OK) return st;
      p->e->nodes[*out].name = off;
      p->e->nodes[*out].name_len = len;
    }
    return st;
  }
  if (lg__lex_accept_word(lx, "event")) {
    int64_t secs;
    st = new_node(p, X_EVENT, out);
    if (st == LG_OK) st = parse_name(p, *out, "event type");
    if (st != LG_OK) return st;
    if (!lg__lex_accept_word(lx, "within"))
      return lg__lex_expected(lx, "'within' after the event type");
    st = lg__lex_duration(lx, "the time window", &secs);
    if (st == LG_OK) p->e->nodes[*out].value = secs;
    return st;
  }
  if (lg__lex_accept_word(lx, "attr")) return parse_attr(p, out);
  if (lg__lex_accept_word(lx, "missing")) {
    st = new_node(p, X_MISSING, out);
    if (st == LG_OK) st = parse_name(p, *out, "attribute name");
    return st;
  }
  if (lg__lex_accept_word(lx, "stage")) return parse_stage(p, out);
  return lg__lex_expected(lx, "a condition (fit, engagement, total, knockout, event, attr, "
                              "missing, stage, not or '(')");
}

static lg_status parse_or(xparser *p, uint32_t *out);

static lg_status enter(xparser *p, size_t at) {
  if (++p->depth > MAX_DEPTH)
    return lg__lex_error_at(p->lx, at, LG_ERR_LIMIT, "expression nested more than %d levels deep",
                            MAX_DEPTH);
  return LG_OK;
}

static lg_status parse_unary(xparser *p, uint32_t *out) {
  lg__lexer *lx = p->lx;
  size_t     at = lg__lex_token_at(lx);
  lg_status  st;
  if (lg__lex_accept_word(lx, "not")) {
    uint32_t child;
    if ((st = enter(p, at)) != LG_OK) return st;
    st = parse_unary(p, &child);
    if (st == LG_OK) st = new_node(p, X_NOT, out);
    if (st != LG_OK) return st;
    p->e->nodes[*out].first = child;
    p->depth--;
    return LG_OK;
  }
  if (lg__lex_accept(lx, "(")) {
    if ((st = enter(p, at)) != LG_OK) return st;
    st = parse_or(p, out);
    if (st != LG_OK) return st;
    if (!lg__lex_accept(lx, ")")) {
      char     tok[48];
      uint32_t col = 1;
      size_t   i;
      for (i = lx->line_start; i < at; i++) /* columns count characters */
        if (((unsigned char)lx->src[i] & 0xC0) != 0x80) col++;
      lg__lex_describe(lx, tok, sizeof tok);
      return lg__lex_error(lx, LG_ERR_SYNTAX, "expected ')' to close the '(' at column %u, got %s",
                           (unsigned)col, tok);
    }
    p->depth--;
    return LG_OK;
  }
  return parse_primary(p, out);
}

/* One level of `op`-separated operands: one n-ary node, or just the
 * operand when there is only one. */
static lg_status parse_list(xparser *p, int kind, const char *word,
                            lg_status (*operand)(xparser *, uint32_t *), uint32_t *out) {
  uint32_t  first, prev, next, node;
  lg_status st = operand(p, &first);
  if (st != LG_OK) return st;
  if (!lg__lex_accept_word(p->lx, word)) {
    *out = first;
    return LG_OK;
  }
  st = new_node(p, kind, &node);
  if (st != LG_OK) return st;
  p->e->nodes[node].first = first;
  prev = first;
  do {
    st = operand(p, &next);
    if (st != LG_OK) return st;
    p->e->nodes[prev].next = next;
    prev = next;
  } while (lg__lex_accept_word(p->lx, word));
  *out = node;
  return LG_OK;
}

static lg_status parse_and(xparser *p, uint32_t *out) {
  return parse_list(p, X_AND, "and", parse_unary, out);
}

static lg_status parse_or(xparser *p, uint32_t *out) {
  return parse_list(p, X_OR, "or", parse_and, out);
}

/* ---- what an expression reads -------------------------------------------- */

int lg__expr_atom(const lg__expr *e, uint32_t i, lg__atom *out) {
  const lg__xnode *n;
  if (i >= e->n_nodes) return 0;
  n = &e->nodes[i];
  out->name = e->strs ? e->strs + n->name : ""; /* nodes without names: no strings */
  out->len = n->name_len;
  out->kind = LG_INPUT_ATTRIBUTE;
  switch (n->kind) {
  case X_EVENT:
    out->kind = LG_INPUT_EVENT;
    out->vtype = LG__ATOM_PRESENCE;
    return 1;
  case X_MISSING: out->vtype = LG__ATOM_PRESENCE; return 1;
  case X_ATTR_NUM: out->vtype = LG__VAL_INT; return 1;
  case X_ATTR_TEXT: out->vtype = LG__VAL_TEXT; return 1;
  case X_ATTR_BOOL: out->vtype = LG__VAL_BOOL; return 1;
  case X_ATTR_IS: {
    const lg__match_list *m = &e->lists[n->value];
    uint32_t              k;
    out->vtype = LG__ATOM_PRESENCE;
    for (k = 0; k < m->n; k++) {
      if (out->vtype == LG__ATOM_PRESENCE)
        out->vtype = m->items[k].vtype;
      else if (out->vtype != m->items[k].vtype)
        out->vtype = LG__VAL_NONE;
    }
    return 1;
  }
  default: out->kind = -1; return 1; /* reads the score or the stage */
  }
}

int lg__expr_view(const lg__expr *e, uint32_t i, lg__xview *out) {
  const lg__xnode *n;
  if (i >= e->n_nodes) return 0;
  n = &e->nodes[i];
  out->op = n->op;
  out->which = n->which;
  out->value = n->value;
  out->first = n->first;
  out->next = n->next;
  out->name = e->strs ? e->strs + n->name : "";
  out->name_len = n->name_len;
  switch (n->kind) {
  case X_OR: out->kind = LG__XV_OR; break;
  case X_AND: out->kind = LG__XV_AND; break;
  case X_NOT: out->kind = LG__XV_NOT; break;
  case X_SCORE: out->kind = LG__XV_SCORE; break;
  case X_KO_ANY: out->kind = LG__XV_KO_ANY; break;
  case X_KO_NAMED: out->kind = LG__XV_KO_NAMED; break;
  case X_EVENT: out->kind = LG__XV_EVENT; break;
  default: out->kind = LG__XV_LEAD; break;
  }
  return 1;
}

void lg__expr_free(lg__expr *e) {
  uint32_t i;
  if (!e) return;
  for (i = 0; i < e->n_lists; i++) lg__match_list_free(&e->lists[i]);
  lg__free(e->lists);
  lg__free(e->rt_span); /* rt lies in the same block */
  lg__free(e->nodes);
  lg__free(e->strs);
  memset(e, 0, sizeof *e);
}

/* A parser of one expression into the empty *e. */
static void xparser_init(xparser *p, lg__lexer *lx, lg__expr *e, int no_score) {
  memset(e, 0, sizeof *e);
  p->lx = lx;
  p->e = e;
  p->depth = 0;
  p->no_score = no_score;
}

static lg_status reason_cache(lg__lexer *lx, lg__expr *e);

static lg_status parse_expr(lg__lexer *lx, lg__expr *out, int no_score) {
  lg__expr  e;
  xparser   p;
  lg_status st;
  xparser_init(&p, lx, &e, no_score);
  st = parse_or(&p, &e.root);
  if (st == LG_OK && !lg__lex_at_eol(lx)) {
    if (lx->src[lx->pos] == ')')
      st = lg__lex_error(lx, LG_ERR_SYNTAX, "unexpected ')': no '(' to close");
    else
      st = lg__lex_expected(lx, "'and', 'or' or the end of the line");
  }
  if (st == LG_OK) {
    uint32_t i;
    for (i = 0; i < e.n_nodes; i++) e.n_events += e.nodes[i].kind == X_EVENT;
    st = reason_cache(lx, &e);
  }
  if (st != LG_OK) {
    lg__expr_free(&e);
    return st;
  }
  *out = e;
  return LG_OK;
}

lg_status lg__expr_parse(lg__lexer *lx, lg__expr *out) { return parse_expr(lx, out, 0); }

lg_status lg__expr_parse_lead(lg__lexer *lx, lg__expr *out) { return parse_expr(lx, out, 1); }

lg_status lg__expr_knockout(lg__lexer *lx, lg__expr *out) {
  lg__expr  e;
  xparser   p;
  lg_status st;
  xparser_init(&p, lx, &e, 0);
  st = new_node(&p, X_KO_ANY, &e.root);
  if (st != LG_OK) return st; /* new_node leaves nothing allocated on failure */
  /* a bare `knockout` is never kept in the reason cache: nothing to add */
  *out = e;
  return LG_OK;
}

/* ---- printing -------------------------------------------------------------- */

static void print_node(const lg__expr *e, uint32_t i, lg__buf *b, const lg__expr_ctx *ctx,
                       int under_not);

/* Parentheses only where the text would otherwise parse differently: an
 * `or` inside an `and`, and an `and`/`or` under `not`. */
static void print_operand(const lg__expr *e, uint32_t i, lg__buf *b, const lg__expr_ctx *ctx,
                          int under_not, int paren) {
  if (paren) lg__buf_putc(b, '(');
  print_node(e, i, b, ctx, under_not);
  if (paren) lg__buf_putc(b, ')');
}

static void print_str(const lg__expr *e, lg__buf *b, uint32_t off, uint32_t len) {
  lg__buf_put(b, e->strs + off, len);
}

/* With a context, a bare `knockout` that holds names the knockout that
 * matched, so a reason says which one.  Under `not` it cannot have held in
 * a way that is worth naming, so it prints as written. */
static void print_knockout(lg__buf *b, const lg__expr_ctx *ctx, int under_not) {
  const char *name = NULL;
  if (ctx && !under_not && ctx->score->knocked_out && ctx->score->knockout_index >= 0)
    name = lg__rubric_knockout_name(ctx->rubric, ctx->score->knockout_index);
  lg__buf_puts(b, "knockout");
  if (name) {
    lg__buf_putc(b, ' ');
    lg__buf_quoted(b, name, strlen(name));
  }
}

static void print_node(const lg__expr *e, uint32_t i, lg__buf *b, const lg__expr_ctx *ctx,
                       int under_not) {
  const lg__xnode *n = &e->nodes[i];
  uint32_t         k;
  switch (n->kind) {
  case X_OR:
  case X_AND:
    for (k = n->first; k != NIL; k = e->nodes[k].next) {
      if (k != n->first) lg__buf_puts(b, n->kind == X_OR ? " or " : " and ");
      print_operand(e, k, b, ctx, under_not, n->kind == X_AND && e->nodes[k].kind == X_OR);
    }
    break;
  case X_NOT:
    lg__buf_puts(b, "not ");
    k = n->first;
    print_operand(e, k, b, ctx, 1, e->nodes[k].kind == X_OR || e->nodes[k].kind == X_AND);
    break;
  case X_SCORE:
    lg__buf_puts(b, score_names[n->which]);
    lg__buf_putc(b, ' ');
    lg__buf_puts(b, lg__cmp_text(n->op));
    lg__buf_putc(b, ' ');
    lg__buf_milli(b, n->value);
    break;
  case X_KO_ANY: print_knockout(b, ctx, under_not); break;
  case X_KO_NAMED:
    lg__buf_puts(b, "knockout ");
    lg__buf_quoted(b, e->strs + n->name, n->name_len);
    break;
  case X_EVENT:
    lg__buf_puts(b, "event ");
    print_str(e, b, n->name, n->name_len);
    lg__buf_puts(b, " within ");
    lg__buf_duration(b, n->value);
    break;
  case X_MISSING:
    lg__buf_puts(b, "missing ");
    print_str(e, b, n->name, n->name_len);
    break;
  case X_STAGE:
    lg__buf_puts(b, "stage is ");
    lg__buf_puts(b, stage_names[n->which]);
    break;
  default: /* the attr forms */
    lg__buf_puts(b, "attr ");
    print_str(e, b, n->name, n->name_len);
    if (n->kind == X_ATTR_IS) {
      lg__buf_puts(b, " is ");
      lg__match_list_print(&e->lists[n->value], b);
      break;
    }
    lg__buf_putc(b, ' ');
    lg__buf_puts(b, lg__cmp_text(n->op));
    lg__buf_putc(b, ' ');
    if (n->kind == X_ATTR_NUM)
      lg__buf_milli(b, n->value);
    else if (n->kind == X_ATTR_TEXT)
      lg__buf_quoted(b, e->strs + n->text, n->text_len);
    else
      lg__buf_puts(b, n->value ? "true" : "false");
    break;
  }
}

void lg__expr_print(const lg__expr *e, lg__buf *b) { print_node(e, e->root, b, NULL, 0); }

void lg__expr_print_node(const lg__expr *e, uint32_t i, lg__buf *b) {
  if (i < e->n_nodes) print_node(e, i, b, NULL, 0);
}

/* ---- evaluation ------------------------------------------------------------ */

static int event_within(const lg__xnode *n, const char *name, const lg__expr_ctx *c) {
  const lg_lead *lead = c->lead;
  int32_t        type = lg__lead_find_type(lead, name, n->name_len);
  uint32_t       i;
  lg_time        from = c->now - n->value; /* both bounded: cannot overflow */
  if (type < 0) return 0;
  /* Events are sorted by time: walk back from `now` to the window start. */
  for (i = lg__lead_events_upto(lead, c->now); i > 0 && lead->ev_at[i - 1] >= from; i--)
    if (lead->ev_type[i - 1] == (uint16_t)type) return 1;
  return 0;
}

/* A score comparison (X_SCORE), most of a policy's conditions. */
static int score_holds(const lg__xnode *n, const lg__expr_ctx *c, unsigned *touched) {
  int64_t v;
  if (touched && n->which != S_FIT) *touched |= LG__TOUCH_SCORE;
  v = n->which == S_FIT          ? c->score->fit
      : n->which == S_ENGAGEMENT ? c->score->engagement
                                 : c->score->total;
  return lg__cmp_holds(n->op, v < n->value ? -1 : v > n->value);
}

static int eval_node(const lg__expr *e, uint32_t i, const lg__expr_ctx *c, unsigned *touched);

/* eval_node, with a score comparison evaluated here: as a call, the
 * prologue of eval_node (which has many cases) costs more than the
 * comparison. */
static int eval_at(const lg__expr *e, uint32_t i, const lg__expr_ctx *c, unsigned *touched) {
  const lg__xnode *n = &e->nodes[i];
  return n->kind == X_SCORE ? score_holds(n, c, touched) : eval_node(e, i, c, touched);
}

static int eval_node(const lg__expr *e, uint32_t i, const lg__expr_ctx *c, unsigned *touched) {
  const lg__xnode *n = &e->nodes[i];
  const lg__attr  *a = NULL;
  const char      *name = e->strs ? e->strs + n->name : "";
  uint32_t         k;
  int32_t          ko;
  switch (n->kind) {
  case X_OR:
    for (k = n->first; k != NIL; k = e->nodes[k].next)
      if (eval_at(e, k, c, touched)) return 1;
    return 0;
  case X_AND:
    for (k = n->first; k != NIL; k = e->nodes[k].next)
      if (!eval_at(e, k, c, touched)) return 0;
    return 1;
  case X_NOT: return !eval_at(e, n->first, c, touched);
  case X_SCORE: return score_holds(n, c, touched);
  case X_KO_ANY: return c->score->knocked_out != 0;
  case X_KO_NAMED:
    /* A name the rubric does not know is simply false: a policy may be
     * shared by rubrics with different knockouts. */
    ko = lg__rubric_knockout_find(c->rubric, name, n->name_len);
    return ko >= 0 && lg__rubric_knockout_hit(c->rubric, ko, c->lead);
  case X_EVENT:
    if (touched) *touched |= LG__TOUCH_EVENT;
    return event_within(n, name, c);
  case X_STAGE: return c->lead->stage == (int32_t)n->which;
  default: break;
  }
  a = lg__lead_find_attr(c->lead, name, n->name_len);
  if (n->kind == X_MISSING) return a == NULL;
  if (!a) return 0; /* an absent attribute satisfies no comparison, not even != */
  switch (n->kind) {
  case X_ATTR_NUM:
    return a->type == LG__VAL_INT && lg__cmp_holds(n->op, lg__cmp_int_milli(a->value, n->value));
  case X_ATTR_TEXT:
    return a->type == LG__VAL_TEXT &&
           lg__text_ieq(e->strs + n->text, n->text_len, lg__lead_str(c->lead, (uint32_t)a->value),
                        a->text_len) == (n->op == LG__EQ);
  case X_ATTR_BOOL: return a->type == LG__VAL_BOOL && (a->value == n->value) == (n->op == LG__EQ);
  default: return lg__match_list_test(&e->lists[n->value], c->lead, a);
  }
}

int lg__expr_eval(const lg__expr *e, const lg__expr_ctx *ctx) {
  return eval_at(e, e->root, ctx, NULL);
}

int lg__expr_eval_touched(const lg__expr *e, const lg__expr_ctx *ctx, unsigned *touched) {
  return eval_at(e, e->root, ctx, touched);
}

/* ---- the reason cache (lg__expr.rt) -------------------------------------------
 * print_node with a context differs from print_node without one only at a
 * bare `knockout` (print_knockout), so the text of a node with none below
 * it is the same for every lead and is printed once here. */

static int has_ko_any(const lg__expr *e, uint32_t i) {
  const lg__xnode *n = &e->nodes[i];
  uint32_t         k;
  if (n->kind == X_KO_ANY) return 1;
  if (n->kind == X_OR || n->kind == X_AND || n->kind == X_NOT)
    for (k = n->first; k != NIL; k = e->nodes[k].next)
      if (has_ko_any(e, k)) return 1;
  return 0;
}

static lg_status reason_cache(lg__lexer *lx, lg__expr *e) {
  uint32_t i, *span;
  size_t   total = 0;
  char    *rt;
  lg__buf  b;
  if (e->n_nodes == 0 || e->n_nodes > (UINT32_MAX - 1) / 2) return LG_OK; /* < 1 MiB of text */
  for (i = 0; i < e->n_nodes; i++) {                                      /* measure */
    lg__buf_init(&b, NULL, 0);
    if (!has_ko_any(e, i)) print_node(e, i, &b, NULL, 0);
    if (b.len <= LG__REASON_CACHE) total += b.len;
  }
  span = lg__malloc(2 * (size_t)e->n_nodes * sizeof *span + total + 1);
  if (!span) return lg__lex_nomem(lx);
  rt = (char *)(span + 2 * (size_t)e->n_nodes);
  for (i = 0, total = 0; i < e->n_nodes; i++) { /* print what fits */
    span[2 * i] = (uint32_t)total;
    span[2 * i + 1] = UINT32_MAX;
    if (has_ko_any(e, i)) continue;
    lg__buf_init(&b, NULL, 0);
    print_node(e, i, &b, NULL, 0);
    if (b.len > LG__REASON_CACHE) continue;
    lg__buf_init(&b, rt + total, b.len);
    print_node(e, i, &b, NULL, 0);
    span[2 * i + 1] = (uint32_t)b.len;
    total += b.len;
  }
  e->rt_span = span;
  e->rt = rt;
  return LG_OK;
}

/* ---- reasons ----------------------------------------------------------------
 * A rule that holds is explained by its first alternative that holds (an
 * `or` is as strong as any one branch); a rule that fails, by its first
 * failing operand (an `and` fails on any one).  A failing `or` failed on
 * every alternative, so it is given whole, parenthesised where the
 * canonical text has it in parentheses (as an operand of an `and`). */

static void reason_node(const lg__expr *e, uint32_t i, const lg__expr_ctx *c, int holds, int in_and,
                        lg__buf *b) {
  const lg__xnode *n = &e->nodes[i];
  uint32_t         k;
  if (n->kind == X_OR && holds) {
    for (k = n->first; k != NIL; k = e->nodes[k].next)
      if (eval_at(e, k, c, NULL)) {
        reason_node(e, k, c, 1, 0, b);
        return;
      }
  } else if (n->kind == X_AND && !holds) {
    for (k = n->first; k != NIL; k = e->nodes[k].next)
      if (!eval_at(e, k, c, NULL)) {
        reason_node(e, k, c, 0, 1, b);
        return;
      }
  }
  if (e->rt && e->rt_span[2 * i + 1] != UINT32_MAX) { /* the same text: see reason_cache */
    int paren = in_and && n->kind == X_OR;
    if (paren) lg__buf_putc(b, '(');
    lg__buf_put(b, e->rt + e->rt_span[2 * i], e->rt_span[2 * i + 1]);
    if (paren) lg__buf_putc(b, ')');
    return;
  }
  print_operand(e, i, b, c, 0, in_and && n->kind == X_OR);
}

void lg__expr_reason(const lg__expr *e, const lg__expr_ctx *ctx, int holds, lg__buf *b) {
  reason_node(e, e->root, ctx, holds, 0, b);
}

/* ---- wake-ups ---------------------------------------------------------------- */

lg_time lg__expr_event_change(const lg__expr *e, const lg_lead *lead, lg_time s) {
  lg_time  best = LG_TIME_NEVER;
  uint32_t i, k, upto;
  if (lead->n_events == 0 || e->n_events == 0) return best; /* the loop below finds none */
  upto = lg__lead_events_upto(lead, s);
  for (i = 0; i < e->n_nodes; i++) {
    const lg__xnode *n = &e->nodes[i];
    int32_t          type;
    if (n->kind != X_EVENT) continue;
    type = lg__lead_find_type(lead, e->strs + n->name, n->name_len);
    if (type < 0) continue;
    /* the latest event in the window leaves it last: at at + D + 1 (> s,
     * as at >= s - D); both bounded, so no overflow */
    for (k = upto; k > 0 && lead->ev_at[k - 1] >= s - n->value; k--)
      if (lead->ev_type[k - 1] == (uint16_t)type) {
        if (lead->ev_at[k - 1] + n->value + 1 < best) best = lead->ev_at[k - 1] + n->value + 1;
        break;
      }
    /* the next event of the type enters it */
    for (k = upto; k < lead->n_events && lead->ev_at[k] < best; k++)
      if (lead->ev_type[k] == (uint16_t)type) {
        best = lead->ev_at[k];
        break;
      }
  }
  return best > LG_TIME_MAX ? LG_TIME_NEVER : best;
}

int lg__expr_threshold_next(const lg__expr *e, int64_t fit, int64_t x, int dir, int64_t *next,
                            int *at) {
  uint32_t i;
  int      found = 0;
  for (i = 0; i < e->n_nodes; i++) {
    const lg__xnode *n = &e->nodes[i];
    int64_t          v;
    if (n->kind != X_SCORE || n->which == S_FIT) continue;
    v = n->which == S_TOTAL ? n->value - fit : n->value;
    if (v == x) *at = 1;
    if (dir < 0 ? v < x && v > *next : v > x && v < *next) {
      *next = v;
      found = 1;
    }
  }
  return found;
}

uint32_t lg__expr_thresholds(const lg__expr *e, int64_t fit, int64_t *out, uint32_t cap,
                             uint32_t n) {
  uint32_t i;
  for (i = 0; i < e->n_nodes; i++) {
    const lg__xnode *x = &e->nodes[i];
    if (x->kind != X_SCORE || x->which == S_FIT) continue;
    if (n < cap) out[n] = x->which == S_TOTAL ? x->value - fit : x->value;
    n++;
  }
  return n;
}
