/*
 * lexer.c - the lexer shared by the rubric, policy and calendar parsers,
 * and the error records it fills.
 *
 * The lexer is a cursor over one line at a time rather than a token
 * stream: a parser asks for the piece it expects next ("a duration"), so a
 * token such as `mon-fri`, `09:00-17:30` or `2026-03-29T01:00:00Z` needs no
 * global tokenisation rules, and every error can say what was expected.
 */
#include "internal.h"
#include "chars.h"

#include <stdio.h>
#include <string.h>

/* Cuts a message at a UTF-8 character boundary so it stays valid text. */
static void trim_utf8_tail(char *s) {
  size_t n = strlen(s), end = n;
  while (end > 0 && ((unsigned char)s[end - 1] & 0xC0) == 0x80) end--;
  if (end > 0 && (unsigned char)s[end - 1] >= 0xC0 &&
      lg__utf8_seq_len((const unsigned char *)s + end - 1, n - end + 1) == 0)
    s[end - 1] = '\0';
}

static uint32_t column_of(const lg__lexer *lx, size_t at) {
  size_t   i;
  uint32_t col = 1;
  for (i = lx->line_start; i < at && i < lx->len; i++)
    if (((unsigned char)lx->src[i] & 0xC0) != 0x80) col++;
  return col;
}

static lg_status lex_verror(lg__lexer *lx, size_t at, lg_status st, const char *fmt, va_list ap) {
  if (lx->err->status != LG_OK) return st; /* the first error is the one */
  lx->err->status = (int32_t)st;
  lx->err->line = lx->line ? lx->line : 1;
  lx->err->column = column_of(lx, at);
  vsnprintf(lx->err->message, sizeof lx->err->message, fmt, ap);
  trim_utf8_tail(lx->err->message);
  return st;
}

lg_status lg__lex_error(lg__lexer *lx, lg_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  st = lex_verror(lx, lx->pos, st, fmt, ap);
  va_end(ap);
  return st;
}

lg_status lg__lex_error_at(lg__lexer *lx, size_t at, lg_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  st = lex_verror(lx, at, st, fmt, ap);
  va_end(ap);
  return st;
}

lg_status lg__lex_expected(lg__lexer *lx, const char *what) {
  char tok[48];
  /* a number that went on with `,000`: say what is wrong with it */
  if (lg__lex_thousands_at(lx)) return lg__lex_thousands_error(lx);
  lg__lex_describe(lx, tok, sizeof tok);
  return lg__lex_error(lx, LG_ERR_SYNTAX, "expected %s, got %s", what, tok);
}

lg_status lg__lex_nomem(lg__lexer *lx) {
  lg__error_set(lx->err, LG_ERR_NOMEM, "out of memory");
  return LG_ERR_NOMEM;
}

static void skip_blanks(lg__lexer *lx);

size_t lg__lex_token_at(lg__lexer *lx) {
  skip_blanks(lx);
  return lx->pos;
}

/* ---- lexer: lines -------------------------------------------------------- */

/* Positions lx on the line that starts at `start` (no skipping). */
static void enter_line(lg__lexer *lx, size_t start) {
  const char *nl = memchr(lx->src + start, '\n', lx->len - start);
  lx->line_start = start;
  lx->line_end = nl ? (size_t)(nl - lx->src) : lx->len;
  lx->next_line = nl ? lx->line_end + 1 : lx->len;
  lx->pos = start;
}

lg_status lg__lex_init(lg__lexer *lx, const char *text, size_t len, lg_error *err) {
  const char *nul;
  size_t      bad, i;
  memset(lx, 0, sizeof *lx);
  lx->err = err ? err : &lx->own_err;
  lg__error_clear(lx->err);
  lx->src = text;
  lx->len = len;
  if (len > LG__MAX_TEXT_INPUT) {
    lg__error_set(lx->err, LG_ERR_LIMIT, "text is longer than 1 MiB");
    return LG_ERR_LIMIT;
  }
  /* One leading UTF-8 byte order mark (Notepad writes one) is not text:
   * skipped, and columns count from after it. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
    lx->src = text;
    lx->len = len;
  }
  nul = len ? memchr(text, '\0', len) : NULL;
  bad = lg__utf8_first_invalid(text, len);
  if (nul && (size_t)(nul - text) < bad) bad = (size_t)(nul - text);
  if (bad < len) {
    /* Find the line of the offending byte to report its position. */
    size_t start = 0;
    lx->line = 1;
    for (i = 0; i < bad; i++)
      if (text[i] == '\n') {
        lx->line++;
        start = i + 1;
      }
    enter_line(lx, start);
    return lg__lex_error_at(lx, bad, LG_ERR_SYNTAX,
                            text[bad] == '\0' ? "NUL byte in text" : "invalid UTF-8");
  }
  lx->next_line = 0;
  lx->line = 0;
  return LG_OK;
}

static void skip_blanks(lg__lexer *lx) {
  while (lx->pos < lx->line_end && lg__is_blank(lx->src[lx->pos])) lx->pos++;
}

int lg__lex_at_eol(lg__lexer *lx) {
  skip_blanks(lx);
  return lx->pos >= lx->line_end || lx->src[lx->pos] == '#';
}

int lg__lex_next_line(lg__lexer *lx) {
  while (lx->next_line < lx->len) {
    enter_line(lx, lx->next_line);
    lx->line++;
    if (!lg__lex_at_eol(lx)) return 1;
    if (lx->next_line >= lx->len) break;
  }
  lx->pos = lx->line_end = lx->len;
  return 0;
}

/* Bytes of a "word" for messages: name characters and any non-ASCII. */
static int is_describe_word(char c) { return lg__is_word_char(c) || (unsigned char)c >= 0x80; }

void lg__lex_describe(lg__lexer *lx, char *out, size_t cap) {
  size_t n = 0;
  int    word;
  if (lg__lex_at_eol(lx)) {
    snprintf(out, cap, "end of line");
    return;
  }
  if (lx->src[lx->pos] == '"') {
    snprintf(out, cap, "a string");
    return;
  }
  word = is_describe_word(lx->src[lx->pos]);
  while (lx->pos + n < lx->line_end && n < 32) {
    char c = lx->src[lx->pos + n];
    if (lg__is_blank(c) || c == '"' || is_describe_word(c) != word) break;
    n++;
  }
  /* a word cut at 32 bytes ends on a character boundary (the text is
   * valid UTF-8, so the cut backs up to the first byte of a character) */
  while (n > 0 && lx->pos + n < lx->line_end &&
         ((unsigned char)lx->src[lx->pos + n] & 0xc0u) == 0x80u)
    n--;
  snprintf(out, cap, "'%.*s'", (int)n, lx->src + lx->pos);
  trim_utf8_tail(out);
}

/* Digits at `at` (no sign, no fraction): how many, 0 if none or if a '.'
 * or another digit-like continuation follows. */
size_t lg__lex_plain_digits(const lg__lexer *lx, size_t at) {
  size_t i = at;
  while (i < lx->line_end && lg__is_digit(lx->src[i])) i++;
  if (i < lx->line_end && (lx->src[i] == '.' || lg__is_word_char(lx->src[i]))) return 0;
  return i - at;
}

int lg__lex_thousands_at(lg__lexer *lx) {
  size_t at = lg__lex_token_at(lx);
  return at < lx->line_end && lx->src[at] == ',' && at > lx->line_start &&
         lg__is_digit(lx->src[at - 1]) && lg__lex_plain_digits(lx, at + 1) == 3;
}

lg_status lg__lex_thousands_error(lg__lexer *lx) {
  return lg__lex_error(lx, LG_ERR_SYNTAX,
                       "numbers are written without thousands separators "
                       "(write 1000, not 1,000)");
}

lg_status lg__lex_expect_eol(lg__lexer *lx, const char *after) {
  char tok[48];
  if (lg__lex_at_eol(lx)) return LG_OK;
  /* `>= 1,000` after a rule that takes one number */
  if (lg__lex_thousands_at(lx)) return lg__lex_thousands_error(lx);
  lg__lex_describe(lx, tok, sizeof tok);
  return lg__lex_error(lx, LG_ERR_SYNTAX, "unexpected %s after %s", tok, after);
}

/* ---- lexer: words and punctuation --------------------------------------- */

lg__span lg__lex_peek_keyword(lg__lexer *lx) {
  lg__span s;
  size_t   n = 0;
  skip_blanks(lx);
  s.p = lx->src + lx->pos;
  if (lx->pos < lx->line_end && lg__is_lower(lx->src[lx->pos]))
    while (lx->pos + n < lx->line_end &&
           (lg__is_name_char(lx->src[lx->pos + n]) || lx->src[lx->pos + n] == '-'))
      n++;
  s.n = n;
  return s;
}

/* Length of `w` (non-empty) if the text at the cursor starts with it,
 * else 0; the first byte is compared before anything else, as most
 * tries fail there. */
static size_t starts_with(const lg__lexer *lx, const char *w) {
  size_t n;
  if (lx->pos >= lx->line_end || lx->src[lx->pos] != w[0]) return 0;
  for (n = 1; w[n]; n++)
    if (lx->pos + n >= lx->line_end || lx->src[lx->pos + n] != w[n]) return 0;
  return n;
}

/* Length of the word `w` at the cursor, or 0. */
static size_t word_at_cursor(lg__lexer *lx, const char *w) {
  size_t n;
  skip_blanks(lx);
  n = starts_with(lx, w);
  if (n == 0 || (lx->pos + n < lx->line_end && lg__is_word_char(lx->src[lx->pos + n]))) return 0;
  return n;
}

int lg__lex_peek_word(lg__lexer *lx, const char *w) { return word_at_cursor(lx, w) != 0; }

int lg__lex_accept_word(lg__lexer *lx, const char *w) {
  size_t n = word_at_cursor(lx, w);
  lx->pos += n;
  return n != 0;
}

int lg__lex_accept(lg__lexer *lx, const char *p) {
  size_t n;
  skip_blanks(lx);
  n = starts_with(lx, p);
  lx->pos += n;
  return n != 0;
}

lg_status lg__lex_expect(lg__lexer *lx, const char *p, const char *what) {
  if (lg__lex_accept(lx, p)) return LG_OK;
  return lg__lex_expected(lx, what);
}

int lg__lex_accept_cmp(lg__lexer *lx, int *op) {
  char c;
  int  eq;
  skip_blanks(lx);
  if (lx->pos >= lx->line_end) return 0;
  c = lx->src[lx->pos];
  eq = lx->pos + 1 < lx->line_end && lx->src[lx->pos + 1] == '=';
  switch (c) { /* the two-character forms first: "<=" is not "<" then "=" */
  case '<': *op = eq ? LG__LE : LG__LT; break;
  case '>': *op = eq ? LG__GE : LG__GT; break;
  case '!':
    if (!eq) return 0;
    *op = LG__NE;
    break;
  case '=':
    *op = LG__EQ;
    lx->pos++;
    return 1;
  default: return 0;
  }
  lx->pos += eq ? 2u : 1u;
  return 1;
}

const char *lg__cmp_text(int op) {
  switch (op) {
  case LG__LT: return "<";
  case LG__LE: return "<=";
  case LG__GT: return ">";
  case LG__GE: return ">=";
  case LG__EQ: return "=";
  default: return "!=";
  }
}

lg_status lg__lex_name(lg__lexer *lx, const char *what, lg__span *out) {
  size_t start, n = 0;
  int    upper = 0;
  skip_blanks(lx);
  start = lx->pos;
  while (start + n < lx->line_end &&
         (lg__is_name_char(lx->src[start + n]) || lg__is_upper(lx->src[start + n]))) {
    upper |= lg__is_upper(lx->src[start + n]);
    n++;
  }
  if (n == 0 || lg__is_digit(lx->src[start]) || lx->src[start] == '_')
    return lg__lex_expected(lx, what);
  if (upper)
    return lg__lex_error(lx, LG_ERR_SYNTAX, "unknown %s '%.*s': names are lower case", what,
                         (int)(n > 64 ? 64 : n), lx->src + start);
  if (n > LG_MAX_NAME_BYTES)
    return lg__lex_error(lx, LG_ERR_LIMIT, "%s '%.20s...' is longer than 64 characters", what,
                         lx->src + start);
  out->p = lx->src + start;
  out->n = n;
  lx->pos = start + n;
  return LG_OK;
}

/* ---- lexer: strings and numbers ------------------------------------------ */

int lg__lex_peek_string(lg__lexer *lx) {
  skip_blanks(lx);
  return lx->pos < lx->line_end && lx->src[lx->pos] == '"';
}

int lg__lex_peek_number(lg__lexer *lx) {
  char c;
  skip_blanks(lx);
  if (lx->pos >= lx->line_end) return 0;
  c = lx->src[lx->pos];
  if ((c == '-' || c == '+') && lx->pos + 1 < lx->line_end) c = lx->src[lx->pos + 1];
  return lg__is_digit(c);
}

lg_status lg__lex_string(lg__lexer *lx, const char *what, char **out, size_t *n) {
  size_t start, i, len = 0;
  char  *s;
  char   tok[48];
  if (!lg__lex_peek_string(lx)) {
    lg__lex_describe(lx, tok, sizeof tok);
    return lg__lex_error(lx, LG_ERR_SYNTAX, "expected %s in double quotes, got %s", what, tok);
  }
  start = lx->pos + 1;
  for (i = start; i < lx->line_end && lx->src[i] != '"'; i++) {
    if (lx->src[i] == '\\') {
      if (i + 1 >= lx->line_end || (lx->src[i + 1] != '"' && lx->src[i + 1] != '\\'))
        return lg__lex_error_at(lx, i, LG_ERR_SYNTAX,
                                "unknown escape in string: only \\\" and \\\\ are allowed");
      i++;
    }
    len++;
  }
  if (i >= lx->line_end)
    return lg__lex_error(lx, LG_ERR_SYNTAX, "unterminated string: expected a closing '\"'");
  s = lg__malloc(len + 1);
  if (!s) return lg__lex_nomem(lx);
  len = 0;
  for (i = start; lx->src[i] != '"'; i++) {
    if (lx->src[i] == '\\') i++;
    s[len++] = lx->src[i];
  }
  s[len] = '\0';
  lx->pos = i + 1;
  *out = s;
  *n = len;
  return LG_OK;
}

/* Scans [+-]digits[.d{1,3}] into thousandths without consuming on error.
 * *end gets the offset after the number. */
static lg_status scan_number(lg__lexer *lx, const char *what, int64_t limit_milli, int64_t *milli,
                             size_t *end) {
  size_t   i = lx->pos, start = lx->pos;
  int      neg = 0, frac_digits = 0;
  uint64_t v = 0, limit = (uint64_t)limit_milli;
  if (i < lx->line_end && (lx->src[i] == '-' || lx->src[i] == '+')) neg = lx->src[i++] == '-';
  if (i >= lx->line_end || !lg__is_digit(lx->src[i])) return lg__lex_expected(lx, what);
  for (; i < lx->line_end && lg__is_digit(lx->src[i]); i++) {
    v = v * 10 + (uint64_t)(lx->src[i] - '0');
    if (v > limit / 1000 + 1) v = limit / 1000 + 1; /* saturate: reported below */
  }
  v *= 1000;
  if (i + 1 < lx->line_end && lx->src[i] == '.' && lg__is_digit(lx->src[i + 1])) {
    uint64_t scale = 100;
    for (i++; i < lx->line_end && lg__is_digit(lx->src[i]); i++) {
      if (++frac_digits > 3)
        return lg__lex_error_at(lx, start, LG_ERR_SYNTAX, "%s has more than 3 decimal places",
                                what);
      v += (uint64_t)(lx->src[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (v > limit)
    return lg__lex_error_at(lx, start, LG_ERR_LIMIT, "%s %.*s is beyond the limit of +-%llu", what,
                            (int)(i - start), lx->src + start, (unsigned long long)(limit / 1000));
  *milli = neg ? -(int64_t)v : (int64_t)v;
  *end = i;
  return LG_OK;
}

lg_status lg__lex_number(lg__lexer *lx, const char *what, int64_t limit_milli, int64_t *milli) {
  size_t    end = 0; /* set by scan_number; zeroed for the optimiser's sake */
  int64_t   v = 0;
  lg_status st;
  skip_blanks(lx);
  st = scan_number(lx, what, limit_milli, &v, &end);
  if (st != LG_OK) return st;
  if (end < lx->line_end && (lg__is_word_char(lx->src[end]) || lx->src[end] == '%'))
    return lg__lex_error_at(lx, end, LG_ERR_SYNTAX, "unexpected '%c' after %s", lx->src[end], what);
  lx->pos = end;
  *milli = v;
  return LG_OK;
}

#define MAX_DURATION_SECS INT64_C(31536000000) /* 1000 years of 365 days */

lg_status lg__lex_duration(lg__lexer *lx, const char *what, int64_t *secs) {
  size_t    end = 0, i, start;
  int64_t   milli = 0, unit = 0, total;
  lg_status st;
  skip_blanks(lx);
  start = lx->pos;
  /* any number scans (up to 10^15 units); the 1000-year check comes after
   * the unit, so `40000000000s` and `60000w` fail alike, with RANGE */
  st = scan_number(lx, what, INT64_C(1000000000000000000), &milli, &end);
  if (st != LG_OK) return st;
  if (milli < 0 || lx->src[start] == '+')
    return lg__lex_error_at(lx, start, LG_ERR_SYNTAX,
                            "%s must be a plain non-negative number with a unit", what);
  for (i = 0; end < lx->line_end && i < LG__N_DURATION_UNITS; i++)
    if (lx->src[end] == lg__duration_units[i].name) unit = lg__duration_units[i].secs;
  if (!unit || (end + 1 < lx->line_end && lg__is_word_char(lx->src[end + 1])))
    return lg__lex_error_at(lx, end, LG_ERR_SYNTAX,
                            "expected %s: a number and a unit s, m, h, d or w (like 48h)", what);
  if (milli / 1000 > MAX_DURATION_SECS / unit)
    return lg__lex_error_at(lx, start, LG_ERR_RANGE, "%s is longer than 1000 years", what);
  /* now milli / 1000 * unit <= 1000 years and unit <= 1 week: no overflow */
  total = milli / 1000 * unit + (milli % 1000) * unit / 1000;
  if ((milli % 1000) * unit % 1000 != 0)
    return lg__lex_error_at(lx, start, LG_ERR_SYNTAX, "%s is not a whole number of seconds", what);
  if (total > MAX_DURATION_SECS)
    return lg__lex_error_at(lx, start, LG_ERR_RANGE, "%s is longer than 1000 years", what);
  lx->pos = end + 1;
  *secs = total;
  return LG_OK;
}

lg_status lg__lex_percent(lg__lexer *lx, const char *what, int64_t *milli_pct) {
  size_t    end = 0, start;
  int64_t   milli = 0;
  lg_status st;
  skip_blanks(lx);
  start = lx->pos;
  st = scan_number(lx, what, INT64_C(1000000000), &milli, &end);
  if (st != LG_OK) return st;
  if (milli < 0 || lx->src[start] == '+')
    return lg__lex_error_at(lx, start, LG_ERR_SYNTAX, "%s must be a plain non-negative number",
                            what);
  if (end >= lx->line_end || lx->src[end] != '%')
    return lg__lex_error_at(lx, end, LG_ERR_SYNTAX, "expected '%%' after %s", what);
  lx->pos = end + 1;
  *milli_pct = milli;
  return LG_OK;
}
