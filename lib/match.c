/*
 * match.c - match lists: the values an attribute is tested against in a
 * rubric `when` line, a knockout, and a policy `attr NAME is ...` clause.
 *
 *   MATCH := "text" | true | false | N | N..M | CMP N      (N in thousandths)
 *
 * A match only ever matches an attribute of its own type: text against
 * text (ASCII-case-insensitive), numbers against integers, booleans against
 * booleans.  Numbers may carry up to 3 decimals; the parser turns each
 * item into whole bounds (set_bounds), so an integer attribute is tested
 * exactly, with two comparisons and no arithmetic (lg__match_one).
 */
#include "internal.h"

#include <string.h>

/* Match numbers stay within +-10^15, so an int64 attribute scaled by 1000
 * can always be compared with them (see lg__cmp_int_milli). */
#define MATCH_NUMBER_LIMIT INT64_C(1000000000000000000)

int lg__cmp_int_milli(int64_t v, int64_t milli) {
  int64_t scaled;
  if (lg__mul_overflow(v, 1000, &scaled)) return v > 0 ? 1 : -1;
  return scaled < milli ? -1 : scaled > milli;
}

static lg_status parse_number_match(lg__lexer *lx, lg__match *m) {
  lg_status st = lg__lex_number(lx, "a number", MATCH_NUMBER_LIMIT, &m->a);
  if (st != LG_OK) return st;
  if (!lg__lex_accept(lx, "..")) {
    m->kind = LG__M_CMP;
    m->op = LG__EQ;
    return LG_OK;
  }
  st = lg__lex_number(lx, "the end of the range", MATCH_NUMBER_LIMIT, &m->b);
  if (st != LG_OK) return st;
  if (m->b < m->a)
    return lg__lex_error(lx, LG_ERR_SYNTAX, "empty range: the end is below the start");
  m->kind = LG__M_RANGE;
  return LG_OK;
}

/* floor(m / 1000) and ceil(m / 1000) for |m| <= 10^18: no overflow. */
static int64_t floor_milli(int64_t m) { return m / 1000 - (m % 1000 < 0); }
static int64_t ceil_milli(int64_t m) { return m / 1000 + (m % 1000 > 0); }

/* Works out lo, hi, vtype and outside (see lg__match) from a parsed item:
 * an integer v satisfies `v CMP m/1000` exactly when it lies in [lo, hi]
 * (or outside it, for !=). */
static void set_bounds(lg__match *m) {
  m->lo = INT64_MIN;
  m->hi = INT64_MAX;
  m->outside = 0;
  switch (m->kind) {
  case LG__M_TEXT: m->vtype = LG__VAL_TEXT; return;
  case LG__M_BOOL:
    m->vtype = LG__VAL_BOOL;
    m->lo = m->hi = m->a;
    return;
  case LG__M_RANGE:
    m->vtype = LG__VAL_INT;
    m->lo = ceil_milli(m->a);
    m->hi = floor_milli(m->b);
    return;
  default: break;
  }
  m->vtype = LG__VAL_INT;
  switch (m->op) {
  case LG__LT: m->hi = ceil_milli(m->a) - 1; break;
  case LG__LE: m->hi = floor_milli(m->a); break;
  case LG__GT: m->lo = floor_milli(m->a) + 1; break;
  case LG__GE: m->lo = ceil_milli(m->a); break;
  default: /* = and != : a fraction equals no integer */
    m->lo = ceil_milli(m->a);
    m->hi = floor_milli(m->a);
    m->outside = m->op == LG__NE;
    break;
  }
}

static lg_status parse_match(lg__lexer *lx, lg__match *m) {
  char tok[48];
  int  op;
  memset(m, 0, sizeof *m);
  if (lg__lex_peek_string(lx)) {
    m->kind = LG__M_TEXT;
    return lg__lex_string(lx, "text", &m->text, &m->text_len);
  }
  if (lg__lex_accept_word(lx, "true")) {
    m->kind = LG__M_BOOL;
    m->a = 1;
    return LG_OK;
  }
  if (lg__lex_accept_word(lx, "false")) {
    m->kind = LG__M_BOOL;
    return LG_OK;
  }
  if (lg__lex_accept_cmp(lx, &op)) {
    m->kind = LG__M_CMP;
    m->op = op;
    return lg__lex_number(lx, "a number after the comparison", MATCH_NUMBER_LIMIT, &m->a);
  }
  if (lg__lex_peek_number(lx)) return parse_number_match(lx, m);
  lg__lex_describe(lx, tok, sizeof tok);
  return lg__lex_error(lx, LG_ERR_SYNTAX,
                       "expected a value to match (\"text\", a number, a range like 4..6, "
                       "a comparison like < 10, true or false), got %s",
                       tok);
}

void lg__match_list_free(lg__match_list *m) {
  uint32_t i;
  if (!m) return;
  for (i = 0; i < m->n; i++) lg__free(m->items[i].text);
  lg__free(m->items);
  m->items = NULL;
  m->n = 0;
}

/* `>= 1,000` would read as the list `>= 1` or `= 0`, silently wrong.  Two
 * rules refuse it, and both hold for canonical text too, so what parses
 * prints as something that parses again:
 *   - a comparison takes one number: the item after it may not be a bare
 *     whole number (`< 20, 83`, `< 20, +5`; a range, a fraction, text or
 *     another comparison may follow), checked on the parsed items because
 *     the printer normalises how numbers are spelt;
 *   - after a number or a range, digits with a leading zero (`1,000`,
 *     `2,050`), checked on the text (the printer writes no leading
 *     zeros). */
static int leading_zero_item(lg__lexer *lx, const lg__match *prev) {
  size_t at, next;
  if (prev->kind != LG__M_CMP && prev->kind != LG__M_RANGE) return 0;
  at = lg__lex_token_at(lx);
  if (at >= lx->line_end || lx->src[at] != ',') return 0;
  next = at + 1;
  while (next < lx->line_end && (lx->src[next] == ' ' || lx->src[next] == '\t')) next++;
  return next < lx->line_end && lx->src[next] == '0' && lg__lex_plain_digits(lx, next) >= 2;
}

static int whole_number_after_comparison(const lg__match *prev, const lg__match *cur) {
  return prev->kind == LG__M_CMP && prev->op != LG__EQ && cur->kind == LG__M_CMP &&
         cur->op == LG__EQ && cur->a % 1000 == 0;
}

static lg_status separator_error(lg__lexer *lx, size_t at) {
  return lg__lex_error_at(lx, at, LG_ERR_SYNTAX,
                          "a comparison takes one number, and numbers are written "
                          "without thousands separators (write 1000, not 1,000)");
}

lg_status lg__match_list_parse(lg__lexer *lx, lg__match_list *out) {
  lg__match_list list = { NULL, 0 };
  uint32_t       cap = 0;
  size_t         comma_at = 0;
  lg_status      st;
  do {
    lg__match *grown = lg__grow(list.items, &cap, list.n + 1, sizeof *list.items);
    if (!grown) {
      lg__match_list_free(&list);
      return lg__lex_nomem(lx);
    }
    list.items = grown;
    st = parse_match(lx, &list.items[list.n]);
    if (st != LG_OK) {
      lg__free(list.items[list.n].text);
      lg__match_list_free(&list);
      return st;
    }
    set_bounds(&list.items[list.n]);
    list.n++;
    if ((list.n > 1 &&
         whole_number_after_comparison(&list.items[list.n - 2], &list.items[list.n - 1])) ||
        leading_zero_item(lx, &list.items[list.n - 1])) {
      if (list.n == 1 ||
          !whole_number_after_comparison(&list.items[list.n - 2], &list.items[list.n - 1]))
        comma_at = lg__lex_token_at(lx);
      lg__match_list_free(&list);
      return separator_error(lx, comma_at);
    }
    comma_at = lg__lex_token_at(lx);
  } while (lg__lex_accept(lx, ","));
  *out = list;
  return LG_OK;
}

void lg__match_list_print(const lg__match_list *m, lg__buf *b) {
  uint32_t i;
  for (i = 0; i < m->n; i++) {
    const lg__match *it = &m->items[i];
    if (i) lg__buf_puts(b, ", ");
    switch (it->kind) {
    case LG__M_TEXT: lg__buf_quoted(b, it->text, it->text_len); break;
    case LG__M_BOOL: lg__buf_puts(b, it->a ? "true" : "false"); break;
    case LG__M_RANGE:
      lg__buf_milli(b, it->a);
      lg__buf_puts(b, "..");
      lg__buf_milli(b, it->b);
      break;
    default:
      if (it->op != LG__EQ) {
        lg__buf_puts(b, lg__cmp_text(it->op));
        lg__buf_putc(b, ' ');
      }
      lg__buf_milli(b, it->a);
      break;
    }
  }
}

/* The scorer tests the same items in the form the rubric's plan gives
 * them (lib/score.c); tests/test_score.c checks that both agree. */
int lg__match_one(const lg__match *it, const char *arena, const lg__attr *a) {
  if (a->type != it->vtype) return 0;
  if (it->vtype == LG__VAL_TEXT)
    return it->text_len == a->text_len &&
           lg__ascii_ieq(it->text, arena + (size_t)a->value, it->text_len);
  return (a->value >= it->lo && a->value <= it->hi) != (it->outside != 0);
}

int lg__match_list_test(const lg__match_list *m, const lg_lead *lead, const lg__attr *attr) {
  uint32_t i;
  for (i = 0; i < m->n; i++)
    if (lg__match_one(&m->items[i], lead->arena, attr)) return 1;
  return 0;
}
