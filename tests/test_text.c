/*
 * test_text.c - the shared lexer, the canonical-text sink, names, UTF-8,
 * hashing, checked arithmetic and match lists (lib/lexer.c, lib/buf.c,
 * lib/names.c, lib/checked.c, lib/match.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"

/* ---- helpers ------------------------------------------------------------ */

static lg__lexer lx;
static lg_error  err;

static void lex(const char *text) {
  assert_int_equal(lg__lex_init(&lx, text, strlen(text), &err), LG_OK);
  assert_true(lg__lex_next_line(&lx));
}

static void assert_error(lg_status got, lg_status want, uint32_t line, uint32_t col,
                         const char *words) {
  assert_int_equal(got, want);
  assert_int_equal(err.status, want);
  assert_int_equal(err.line, line);
  assert_int_equal(err.column, col);
  if (words && !strstr(err.message, words)) fail_msg("message '%s' lacks '%s'", err.message, words);
}

static const char *render_milli(int64_t v) {
  static char out[64];
  lg__buf     b;
  lg__buf_init(&b, out, sizeof out);
  lg__buf_milli(&b, v);
  out[b.len] = '\0';
  return out;
}

static const char *render_duration(int64_t v) {
  static char out[64];
  lg__buf     b;
  lg__buf_init(&b, out, sizeof out);
  lg__buf_duration(&b, v);
  out[b.len] = '\0';
  return out;
}

/* ---- input checks --------------------------------------------------------- */

static void text_over_one_mebibyte_is_limit(void **state) {
  size_t n = ((size_t)1 << 20) + 1;
  char  *big = malloc(n);
  (void)state;
  memset(big, ' ', n);
  assert_int_equal(lg__lex_init(&lx, big, n, &err), LG_ERR_LIMIT);
  assert_int_equal(err.status, LG_ERR_LIMIT);
  assert_int_equal(err.line, 0);
  assert_int_equal(lg__lex_init(&lx, big, n - 1, &err), LG_OK);
  free(big);
}

static void invalid_utf8_is_syntax_error_at_its_character(void **state) {
  /* line 3, after "ab" and a two-byte e-acute: column 4 */
  const char text[] = "one\ntwo\nab\xc3\xa9\xff rest\n";
  (void)state;
  assert_error(lg__lex_init(&lx, text, sizeof text - 1, &err), LG_ERR_SYNTAX, 3, 4,
               "invalid UTF-8");
}

static void nul_byte_is_syntax_error(void **state) {
  const char text[] = "abc\nd\0e";
  (void)state;
  assert_error(lg__lex_init(&lx, text, sizeof text - 1, &err), LG_ERR_SYNTAX, 2, 2, "NUL");
}

static void utf8_validation_rejects_overlongs_surrogates_and_beyond_max(void **state) {
  (void)state;
  assert_true(lg__utf8_valid("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 12));
  assert_false(lg__utf8_valid("\xc0\x80", 2));         /* overlong NUL */
  assert_false(lg__utf8_valid("\xe0\x80\xaf", 3));     /* overlong '/' */
  assert_false(lg__utf8_valid("\xed\xa0\x80", 3));     /* surrogate D800 */
  assert_false(lg__utf8_valid("\xf4\x90\x80\x80", 4)); /* U+110000 */
  assert_false(lg__utf8_valid("\xe2\x82", 2));         /* truncated */
  assert_false(lg__utf8_valid("\x80", 1));             /* lone continuation */
}

/* ---- lines ---------------------------------------------------------------- */

static void blank_and_comment_lines_are_skipped_with_line_numbers_kept(void **state) {
  const char *text = "\n  # comment only\n\t\r\n  fit x # trailing\r\nlast";
  (void)state;
  assert_int_equal(lg__lex_init(&lx, text, strlen(text), &err), LG_OK);
  assert_true(lg__lex_next_line(&lx));
  assert_int_equal(lx.line, 4);
  assert_true(lg__lex_accept_word(&lx, "fit"));
  assert_true(lg__lex_accept_word(&lx, "x"));
  assert_true(lg__lex_at_eol(&lx));
  assert_true(lg__lex_next_line(&lx));
  assert_int_equal(lx.line, 5);
  assert_true(lg__lex_accept_word(&lx, "last"));
  assert_false(lg__lex_next_line(&lx));
  assert_false(lg__lex_next_line(&lx));
}

static void empty_text_has_no_lines(void **state) {
  (void)state;
  assert_int_equal(lg__lex_init(&lx, "", 0, &err), LG_OK);
  assert_false(lg__lex_next_line(&lx));
  assert_int_equal(lg__lex_init(&lx, "\n\n# x\n", 6, NULL), LG_OK);
  assert_false(lg__lex_next_line(&lx));
}

static void words_end_at_non_word_characters(void **state) {
  (void)state;
  lex("half-life 14d halfx");
  assert_false(lg__lex_peek_word(&lx, "half"));
  assert_true(lg__lex_accept_word(&lx, "half-life"));
  assert_false(lg__lex_accept_word(&lx, "14")); /* "14d" goes on */
  assert_true(lg__lex_accept_word(&lx, "14d"));
  lex("mon-fri 09:00");
  assert_int_equal(lg__lex_peek_keyword(&lx).n, 7);
}

static void junk_after_statement_names_the_token(void **state) {
  (void)state;
  lex("fit   \"x\" junk here");
  assert_true(lg__lex_accept_word(&lx, "fit"));
  {
    char  *s;
    size_t n;
    assert_int_equal(lg__lex_string(&lx, "a name", &s, &n), LG_OK);
    lg__free(s);
  }
  assert_error(lg__lex_expect_eol(&lx, "the criterion"), LG_ERR_SYNTAX, 1, 11,
               "unexpected 'junk' after the criterion");
}

static void first_error_wins(void **state) {
  (void)state;
  lex("a b");
  lg__lex_error(&lx, LG_ERR_SYNTAX, "first");
  lg__lex_error(&lx, LG_ERR_LIMIT, "second");
  assert_int_equal(err.status, LG_ERR_SYNTAX);
  assert_string_equal(err.message, "first");
}

static void expect_reports_what_was_expected(void **state) {
  (void)state;
  lex("when \"a\" 3");
  assert_true(lg__lex_accept_word(&lx, "when"));
  {
    char  *s;
    size_t n;
    assert_int_equal(lg__lex_string(&lx, "text", &s, &n), LG_OK);
    lg__free(s);
  }
  assert_error(lg__lex_expect(&lx, "->", "'->' after match list"), LG_ERR_SYNTAX, 1, 10,
               "expected '->' after match list, got '3'");
}

/* ---- names ---------------------------------------------------------------- */

static void names_are_lower_case_and_at_most_64_bytes(void **state) {
  lg__span s;
  char     long_name[80];
  (void)state;
  lex("need_2x rest");
  assert_int_equal(lg__lex_name(&lx, "attribute name", &s), LG_OK);
  assert_int_equal(s.n, 7);
  assert_memory_equal(s.p, "need_2x", 7);

  lex("from Need");
  assert_true(lg__lex_accept_word(&lx, "from"));
  assert_error(lg__lex_name(&lx, "attribute name", &s), LG_ERR_SYNTAX, 1, 6,
               "unknown attribute name 'Need': names are lower case");

  lex("9lives");
  assert_error(lg__lex_name(&lx, "attribute name", &s), LG_ERR_SYNTAX, 1, 1,
               "expected attribute name");

  memset(long_name, 'a', 65);
  long_name[65] = '\0';
  lex(long_name);
  assert_error(lg__lex_name(&lx, "event type", &s), LG_ERR_LIMIT, 1, 1, "longer than 64");
  long_name[64] = '\0';
  lex(long_name);
  assert_int_equal(lg__lex_name(&lx, "event type", &s), LG_OK);

  assert_true(lg__name_valid("a", 1));
  assert_true(lg__name_valid(long_name, 64));
  assert_false(lg__name_valid(long_name, 65));
  assert_false(lg__name_valid("", 0));
  assert_false(lg__name_valid("_a", 2));
  assert_false(lg__name_valid("a-b", 3));
  assert_false(lg__name_valid("aB", 2));
}

/* ---- strings --------------------------------------------------------------- */

static void strings_unescape_quote_and_backslash(void **state) {
  char  *s;
  size_t n;
  (void)state;
  lex("\"say \\\"hi\\\" \\\\ done\" tail");
  assert_int_equal(lg__lex_string(&lx, "a name", &s, &n), LG_OK);
  assert_int_equal(n, 15);
  assert_string_equal(s, "say \"hi\" \\ done");
  lg__free(s);
  assert_true(lg__lex_accept_word(&lx, "tail"));
}

static void string_errors_have_positions(void **state) {
  char  *s = NULL;
  size_t n;
  (void)state;
  lex("x \"open");
  assert_true(lg__lex_accept_word(&lx, "x"));
  assert_error(lg__lex_string(&lx, "a name", &s, &n), LG_ERR_SYNTAX, 1, 3, "unterminated");
  lex("\"a\\nb\"");
  assert_error(lg__lex_string(&lx, "a name", &s, &n), LG_ERR_SYNTAX, 1, 3, "escape");
  lex("name");
  assert_error(lg__lex_string(&lx, "a rubric name", &s, &n), LG_ERR_SYNTAX, 1, 1,
               "expected a rubric name in double quotes");
  assert_null(s);
}

static void string_allocation_failure_is_nomem(void **state) {
  char  *s = NULL;
  size_t n = 0;
  (void)state;
  lex("\"abc\"");
  ts_alloc_install();
  ts_alloc_fail_at(1, 1);
  assert_int_equal(lg__lex_string(&lx, "text", &s, &n), LG_ERR_NOMEM);
  assert_null(s);
  assert_int_equal(err.status, LG_ERR_NOMEM);
  assert_int_equal(ts_alloc_live_blocks(), 0);
  ts_alloc_restore();
}

/* ---- numbers, durations, percentages ------------------------------------------ */

static int64_t number_of(const char *text) {
  int64_t v = 0;
  lex(text);
  assert_int_equal(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_OK);
  return v;
}

static void numbers_are_read_in_thousandths(void **state) {
  (void)state;
  assert_int_equal(number_of("3"), 3000);
  assert_int_equal(number_of("2.5"), 2500);
  assert_int_equal(number_of("-0.25"), -250);
  assert_int_equal(number_of("+0.001"), 1);
  assert_int_equal(number_of("1000000"), 1000000000);
  assert_int_equal(number_of("-1000000"), -1000000000);
  assert_int_equal(number_of("007.010"), 7010);
}

static void number_errors(void **state) {
  int64_t v = 42;
  (void)state;
  lex("1.2345");
  assert_error(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_ERR_SYNTAX, 1, 1,
               "more than 3 decimal places");
  lex("  1000000.001");
  assert_error(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_ERR_LIMIT, 1, 3,
               "beyond the limit");
  lex("99999999999999999999999999");
  assert_error(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_ERR_LIMIT, 1, 1, NULL);
  lex("12abc");
  assert_error(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_ERR_SYNTAX, 1, 3,
               "unexpected 'a'");
  lex("-x");
  assert_error(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_ERR_SYNTAX, 1, 1,
               "expected points");
  assert_int_equal(v, 42);
}

static void range_dots_are_not_a_fraction(void **state) {
  int64_t a, b;
  (void)state;
  lex("4..6");
  assert_int_equal(lg__lex_number(&lx, "n", LG__MAX_POINTS, &a), LG_OK);
  assert_true(lg__lex_accept(&lx, ".."));
  assert_int_equal(lg__lex_number(&lx, "n", LG__MAX_POINTS, &b), LG_OK);
  assert_int_equal(a, 4000);
  assert_int_equal(b, 6000);
}

static int64_t duration_of(const char *text) {
  int64_t v = 0;
  lex(text);
  assert_int_equal(lg__lex_duration(&lx, "a duration", &v), LG_OK);
  return v;
}

static void durations_take_units_s_m_h_d_w(void **state) {
  (void)state;
  assert_int_equal(duration_of("48h"), 172800);
  assert_int_equal(duration_of("30d"), 2592000);
  assert_int_equal(duration_of("2w"), 1209600);
  assert_int_equal(duration_of("90m"), 5400);
  assert_int_equal(duration_of("1.5h"), 5400);
  assert_int_equal(duration_of("0.5m"), 30);
  assert_int_equal(duration_of("0s"), 0);
  assert_int_equal(duration_of("365000d"), INT64_C(31536000000));
}

static void duration_errors(void **state) {
  int64_t v = 7;
  (void)state;
  lex("48");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 3, "like 48h");
  lex("48hours");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 3, "like 48h");
  lex("48 h");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 3, NULL);
  lex("0.5s");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 1, "whole number");
  lex("-3h");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 1, "non-negative");
  lex("365001d");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_RANGE, 1, 1, "1000 years");
  assert_int_equal(v, 7);
}

static void percentages_are_thousandths_of_a_percent(void **state) {
  int64_t v = 0;
  (void)state;
  lex("75%");
  assert_int_equal(lg__lex_percent(&lx, "a share", &v), LG_OK);
  assert_int_equal(v, 75000);
  lex("12.5%");
  assert_int_equal(lg__lex_percent(&lx, "a share", &v), LG_OK);
  assert_int_equal(v, 12500);
  lex("75");
  assert_error(lg__lex_percent(&lx, "a share", &v), LG_ERR_SYNTAX, 1, 3, "'%'");
  lex("-5%");
  assert_error(lg__lex_percent(&lx, "a share", &v), LG_ERR_SYNTAX, 1, 1, "negative");
}

static void comparison_operators_longest_first(void **state) {
  static const char *texts[] = {"<", "<=", ">", ">=", "=", "!="};
  static const int   ops[] = {LG__LT, LG__LE, LG__GT, LG__GE, LG__EQ, LG__NE};
  size_t             i;
  int                op = -1;
  (void)state;
  for (i = 0; i < 6; i++) {
    char text[8];
    strcpy(text, texts[i]);
    strcat(text, "5");
    lex(text);
    assert_true(lg__lex_accept_cmp(&lx, &op));
    assert_int_equal(op, ops[i]);
    assert_string_equal(lg__cmp_text(op), texts[i]);
    assert_true(lg__lex_peek_number(&lx));
  }
  lex("-> 3");
  assert_false(lg__lex_accept_cmp(&lx, &op));
}

/* ---- output sink ------------------------------------------------------------ */

static void milli_values_print_normalised(void **state) {
  (void)state;
  assert_string_equal(render_milli(0), "0");
  assert_string_equal(render_milli(2500), "2.5");
  assert_string_equal(render_milli(-250), "-0.25");
  assert_string_equal(render_milli(1), "0.001");
  assert_string_equal(render_milli(10), "0.01");
  assert_string_equal(render_milli(-3000), "-3");
  assert_string_equal(render_milli(1000000000), "1000000");
  assert_string_equal(render_milli(INT64_MIN), "-9223372036854775.808");
}

static void durations_print_with_the_largest_exact_unit(void **state) {
  (void)state;
  assert_string_equal(render_duration(0), "0s");
  assert_string_equal(render_duration(172800), "2d");
  assert_string_equal(render_duration(5400), "90m");
  assert_string_equal(render_duration(90), "90s");
  assert_string_equal(render_duration(604800), "1w");
  assert_string_equal(render_duration(3600 * 48), "2d");
  assert_string_equal(render_duration(3600 * 36), "36h");
}

static void quoted_strings_escape_quote_and_backslash(void **state) {
  char    out[32];
  lg__buf b;
  (void)state;
  lg__buf_init(&b, out, sizeof out);
  lg__buf_quoted(&b, "a\"b\\c", 5);
  out[b.len] = '\0';
  assert_string_equal(out, "\"a\\\"b\\\\c\"");
}

static void sink_counts_past_capacity_and_hashes_fnv1a(void **state) {
  char    out[4] = {'x', 'x', 'x', 'x'};
  lg__buf b;
  (void)state;
  lg__buf_init(&b, NULL, 0);
  assert_true(b.hash == UINT64_C(0xcbf29ce484222325)); /* FNV-1a 64 of "" */
  lg__buf_putc(&b, 'a');
  assert_true(b.hash == UINT64_C(0xaf63dc4c8601ec8c)); /* published vector for "a" */
  lg__buf_init(&b, out, 2);
  lg__buf_puts(&b, "foobar");
  assert_int_equal(b.len, 6);
  assert_memory_equal(out, "foxx", 4);
  assert_true(b.hash == UINT64_C(0x85944171f73967e8)); /* published vector "foobar" */
  assert_true(lg__name_hash("a", 1) == 0xe40c292cu);   /* FNV-1a 32 of "a" */
}

static void render_words(const void *obj, lg__buf *b) {
  lg__buf_puts(b, (const char *)obj);
}

static void render_text_follows_the_snprintf_contract(void **state) {
  char   buf[8];
  size_t need = 0;
  (void)state;
  assert_int_equal(lg__render_text(render_words, "hello", NULL, 0, &need), LG_ERR_BUFFER);
  assert_int_equal(need, 6);
  memset(buf, '#', sizeof buf);
  assert_int_equal(lg__render_text(render_words, "hello", buf, 5, &need), LG_ERR_BUFFER);
  assert_int_equal(buf[0], '#'); /* not written on failure */
  assert_int_equal(lg__render_text(render_words, "hello", buf, 6, &need), LG_OK);
  assert_string_equal(buf, "hello");
  assert_int_equal(lg__render_text(render_words, "hello", NULL, 6, &need), LG_ERR_INVALID);
  assert_int_equal(lg__render_text(render_words, NULL, buf, 6, &need), LG_ERR_INVALID);
  assert_true(lg__render_hash(render_words, "a") == UINT64_C(0xaf63dc4c8601ec8c));
}

/* ---- arithmetic, text compare ------------------------------------------------- */

static void checked_arithmetic_detects_overflow(void **state) {
  int64_t r = 0;
  (void)state;
  assert_false(lg__add_overflow(INT64_MAX - 1, 1, &r));
  assert_true(r == INT64_MAX);
  assert_true(lg__add_overflow(INT64_MAX, 1, &r));
  assert_true(lg__add_overflow(INT64_MIN, -1, &r));
  assert_false(lg__add_overflow(INT64_MIN, INT64_MAX, &r));
  assert_true(r == -1);
  assert_false(lg__mul_overflow(INT64_C(3037000499), INT64_C(3037000499), &r));
  assert_true(lg__mul_overflow(INT64_C(3037000500), INT64_C(3037000500), &r));
  assert_true(lg__mul_overflow(INT64_MIN, -1, &r));
  assert_true(lg__mul_overflow(-1, INT64_MIN, &r));
  assert_false(lg__mul_overflow(INT64_MIN, 1, &r));
  assert_true(r == INT64_MIN);
  assert_true(lg__mul_overflow(INT64_MAX, -2, &r));
  assert_false(lg__mul_overflow(0, INT64_MIN, &r));
  assert_true(r == 0);
  assert_true(lg__time_valid(LG_TIME_MIN) && lg__time_valid(LG_TIME_MAX));
  assert_false(lg__time_valid(LG_TIME_MIN - 1) || lg__time_valid(LG_TIME_MAX + 1));
}

static void text_compare_is_ascii_case_insensitive_only(void **state) {
  (void)state;
  assert_true(lg__text_ieq("SaaS", 4, "saas", 4));
  assert_false(lg__text_ieq("saas", 4, "saa", 3));
  /* Non-ASCII bytes compare exactly: E-acute is not e-acute. */
  assert_false(lg__text_ieq("\xc3\x89", 2, "\xc3\xa9", 2));
  assert_true(lg__cmp_int_milli(5, 5000) == 0);
  assert_true(lg__cmp_int_milli(3, 2500) == 1);
  assert_true(lg__cmp_int_milli(2, 2500) == -1);
  assert_true(lg__cmp_int_milli(INT64_MAX, INT64_C(1000000000000000000)) == 1);
  assert_true(lg__cmp_int_milli(INT64_MIN, INT64_C(-1000000000000000000)) == -1);
}

/* ---- match lists --------------------------------------------------------------- */

static void parse_list(const char *text, lg__match_list *m) {
  lex(text);
  assert_int_equal(lg__match_list_parse(&lx, m), LG_OK);
}

static const char *print_list(const lg__match_list *m) {
  static char out[256];
  lg__buf     b;
  lg__buf_init(&b, out, sizeof out);
  lg__match_list_print(m, &b);
  out[b.len] = '\0';
  return out;
}

static void match_lists_parse_every_item_kind_and_print_canonically(void **state) {
  lg__match_list m;
  (void)state;
  parse_list("\"Decision maker\",\"x\\\"y\" ,true, false,5, 4..6.5, <= 3, != -2.25 -> 9", &m);
  assert_int_equal(m.n, 8);
  assert_string_equal(print_list(&m),
                      "\"Decision maker\", \"x\\\"y\", true, false, 5, 4..6.5, <= 3, != -2.25");
  assert_true(lg__lex_accept(&lx, "->")); /* the list stops before what follows */
  lg__match_list_free(&m);
  lg__match_list_free(NULL);
}

static void match_list_errors(void **state) {
  lg__match_list m = {NULL, 0};
  (void)state;
  lex("-> 3");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 1, "expected a value to match");
  lex("\"a\", ");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 6, "expected a value");
  lex("6..4");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 5, "empty range");
  lex("< x");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 3, "a number after");
  assert_null(m.items);
}

static void match_list_allocation_failures_leak_nothing(void **state) {
  long n;
  (void)state;
  for (n = 1;; n++) {
    lg__match_list m = {NULL, 0};
    lg_status      st;
    lex("\"a\", \"b\", \"c\", \"d\", \"e\", 1..2");
    ts_alloc_install();
    ts_alloc_fail_at(n, 1);
    st = lg__match_list_parse(&lx, &m);
    if (st == LG_OK) {
      assert_false(ts_alloc_failed());
      lg__match_list_free(&m);
      assert_int_equal(ts_alloc_live_blocks(), 0);
      ts_alloc_restore();
      break;
    }
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_null(m.items);
    assert_int_equal(ts_alloc_live_blocks(), 0);
    ts_alloc_restore();
  }
  assert_true(n > 5);
}

static void matches_only_hit_their_own_type(void **state) {
  lg__match_list  m;
  lg_lead        *lead;
  const lg__attr *a;
  (void)state;
  assert_int_equal(lg_lead_create("L1", &lead), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "role", "ECONOMIC buyer"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "months", 5), LG_OK);
  assert_int_equal(lg_lead_set_bool(lead, "partner", 1), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "five", "5"), LG_OK);

  parse_list("\"economic buyer\", 5, true", &m);
  a = lg__lead_find_attr(lead, "role", 4);
  assert_true(lg__match_list_test(&m, lead, a));
  a = lg__lead_find_attr(lead, "months", 6);
  assert_true(lg__match_list_test(&m, lead, a));
  a = lg__lead_find_attr(lead, "partner", 7);
  assert_true(lg__match_list_test(&m, lead, a));
  a = lg__lead_find_attr(lead, "five", 4);
  assert_false(lg__match_list_test(&m, lead, a)); /* text "5" is not the number 5 */
  lg__match_list_free(&m);

  parse_list("4.5..5, > 6", &m);
  a = lg__lead_find_attr(lead, "months", 6);
  assert_true(lg__match_list_test(&m, lead, a));
  lg__match_list_free(&m);
  parse_list("< 5, 5.001..9, false, \"5\"", &m);
  assert_false(lg__match_list_test(&m, lead, a));
  lg__match_list_free(&m);
  parse_list("!= 5", &m);
  assert_false(lg__match_list_test(&m, lead, a));
  a = lg__lead_find_attr(lead, "role", 4);
  assert_false(lg__match_list_test(&m, lead, a)); /* != never matches another type */
  lg__match_list_free(&m);
  lg_lead_free(lead);
}

/* ---- remaining lexer paths ------------------------------------------------------- */

static void adding_negatives_overflows_only_below_int64_min(void **state) {
  int64_t r = 0;
  (void)state;
  assert_false(lg__add_overflow(-5, -3, &r));
  assert_true(r == -8);
  assert_false(lg__add_overflow(INT64_MIN + 1, -1, &r));
  assert_true(r == INT64_MIN);
  assert_true(lg__add_overflow(INT64_MIN + 1, -2, &r));
  assert_false(lg__add_overflow(INT64_MAX, -1, &r));
  assert_true(r == INT64_MAX - 1);
  /* two negatives multiply to a positive: 3037000499^2 fits, 3037000500^2 does not */
  assert_false(lg__mul_overflow(-3, -4, &r));
  assert_true(r == 12);
  assert_false(lg__mul_overflow(INT64_C(-3037000499), INT64_C(-3037000499), &r));
  assert_true(r == INT64_C(9223372030926249001));
  assert_true(lg__mul_overflow(INT64_C(-3037000500), INT64_C(-3037000500), &r));
}

static void utf8_validation_checks_every_byte_of_a_sequence(void **state) {
  (void)state;
  assert_false(lg__utf8_valid("\xc3" "A", 2));            /* 2-byte lead, then ASCII */
  assert_false(lg__utf8_valid("\xe2\x82" "A", 3));        /* 3rd byte not a continuation */
  assert_false(lg__utf8_valid("\xf0\x9f\x98", 3));        /* 4-byte sequence cut short */
  assert_false(lg__utf8_valid("\xf0\x8f\xbf\xbf", 4));    /* overlong U+FFFF */
  assert_false(lg__utf8_valid("\xf0\x9f" "A" "\x80", 4)); /* 3rd byte not a continuation */
  assert_false(lg__utf8_valid("\xf0\x9f\x98" "A", 4));    /* 4th byte not a continuation */
  assert_false(lg__utf8_valid("\xf5\x80\x80\x80", 4));    /* no lead byte above F4 */
  assert_true(lg__utf8_valid("\xc2\x80", 2));             /* U+0080, first 2-byte */
  assert_true(lg__utf8_valid("\xe0\xa0\x80", 3));         /* U+0800, first 3-byte */
  assert_true(lg__utf8_valid("\xed\x9f\xbf", 3));         /* U+D7FF, below the surrogates */
  assert_true(lg__utf8_valid("\xf0\x90\x80\x80", 4));     /* U+10000, first 4-byte */
  assert_true(lg__utf8_valid("\xf4\x8f\xbf\xbf", 4));     /* U+10FFFF, the last */
}

/* The bad byte is found wherever it sits in or after a run of ASCII (the
 * scan may take ASCII several bytes at a time): its column is its offset
 * plus one on a one-line text. */
static void a_bad_byte_after_any_run_of_ascii_is_found_at_its_column(void **state) {
  char   text[40];
  size_t at;
  (void)state;
  for (at = 0; at < 30; at++) {
    memset(text, 'x', sizeof text);
    text[at] = (char)0xff;
    assert_error(lg__lex_init(&lx, text, sizeof text, &err), LG_ERR_SYNTAX, 1,
                 (uint32_t)at + 1, "invalid UTF-8");
    text[at] = '\0';
    assert_error(lg__lex_init(&lx, text, sizeof text, &err), LG_ERR_SYNTAX, 1,
                 (uint32_t)at + 1, "NUL byte");
  }
  memset(text, 'x', sizeof text);
  assert_int_equal(lg__lex_init(&lx, text, sizeof text, &err), LG_OK);
}

static void the_first_bad_byte_decides_between_nul_and_invalid_utf8(void **state) {
  static const char bad_then_nul[] = "ab\xff\0";
  static const char nul_then_bad[] = "ab\0\xff";
  (void)state;
  assert_error(lg__lex_init(&lx, bad_then_nul, sizeof bad_then_nul - 1, &err), LG_ERR_SYNTAX,
               1, 3, "invalid UTF-8");
  assert_error(lg__lex_init(&lx, nul_then_bad, sizeof nul_then_bad - 1, &err), LG_ERR_SYNTAX,
               1, 3, "NUL byte");
}

static void names_reject_null_and_characters_past_z(void **state) {
  (void)state;
  assert_false(lg__name_valid(NULL, 3));
  assert_false(lg__name_valid("{a", 2)); /* '{' is the byte after 'z' */
  assert_false(lg__name_valid("a~", 2));
  assert_false(lg__name_valid("\xc3\xa9", 2));
  assert_true(lg__name_valid("z_9", 3));
}

static const char *render_int(int64_t v) {
  static char out[64];
  lg__buf     b;
  lg__buf_init(&b, out, sizeof out);
  lg__buf_int(&b, v);
  out[b.len] = '\0';
  return out;
}

static void integers_print_with_a_minus_sign_when_negative(void **state) {
  (void)state;
  assert_string_equal(render_int(0), "0");
  assert_string_equal(render_int(42), "42");
  assert_string_equal(render_int(-42), "-42");
  assert_string_equal(render_int(INT64_MAX), "9223372036854775807");
  assert_string_equal(render_int(INT64_MIN), "-9223372036854775808");
}

static void long_messages_are_cut_to_fit_lg_error(void **state) {
  char msg[300];
  (void)state;
  memset(msg, 'm', sizeof msg - 1);
  msg[sizeof msg - 1] = '\0';
  lg__error_set(&err, LG_ERR_LIMIT, msg);
  assert_int_equal(err.status, LG_ERR_LIMIT);
  assert_int_equal(err.line, 0);
  assert_int_equal(err.column, 0);
  assert_int_equal(strlen(err.message), sizeof err.message - 1);
  assert_memory_equal(err.message, msg, sizeof err.message - 1);
  lg__error_set(NULL, LG_ERR_LIMIT, msg); /* no lg_error: nothing to do */
}

/* lg_error.message holds 159 bytes: a character that does not fit whole
 * is dropped whole, so the message stays valid UTF-8. */
static void messages_cut_inside_a_character_drop_the_partial_character(void **state) {
  char text[200];
  (void)state;
  /* 158 ASCII + e-acute (2 bytes): only its lead byte would fit */
  memset(text, 'a', 158);
  memcpy(text + 158, "\xc3\xa9", 3);
  lex("x");
  lg__lex_error(&lx, LG_ERR_SYNTAX, "%s", text);
  assert_int_equal(strlen(err.message), 158);
  assert_memory_equal(err.message, text, 158);
  /* 157 ASCII + euro sign (3 bytes): two of its bytes would fit */
  memset(text, 'a', 157);
  memcpy(text + 157, "\xe2\x82\xac", 4);
  lex("x");
  lg__lex_error(&lx, LG_ERR_SYNTAX, "%s", text);
  assert_int_equal(strlen(err.message), 157);
  assert_memory_equal(err.message, text, 157);
  /* 157 ASCII + e-acute: exactly 159 bytes, kept whole */
  memset(text, 'a', 157);
  memcpy(text + 157, "\xc3\xa9", 3);
  lex("x");
  lg__lex_error(&lx, LG_ERR_SYNTAX, "%s", text);
  assert_string_equal(err.message, text);
}

/* Before lg__lex_next_line there is no current line; an error there is
 * still placed (line 1, column 1), never at line 0 ("no position"). */
static void an_error_before_the_first_line_is_placed_at_line_one(void **state) {
  (void)state;
  assert_int_equal(lg__lex_init(&lx, "abc", 3, &err), LG_OK);
  assert_error(lg__lex_error(&lx, LG_ERR_SYNTAX, "too early"), LG_ERR_SYNTAX, 1, 1,
               "too early");
}

static void descriptions_stop_after_32_bytes_and_at_a_quote(void **state) {
  char tok[48];
  (void)state;
  lex("abcdefghijklmnopqrstuvwxyz0123456789 rest");
  lg__lex_describe(&lx, tok, sizeof tok);
  assert_string_equal(tok, "'abcdefghijklmnopqrstuvwxyz012345'");
  lex("abc\"def\"");
  lg__lex_describe(&lx, tok, sizeof tok);
  assert_string_equal(tok, "'abc'");
  lex("<>\"x\"");
  lg__lex_describe(&lx, tok, sizeof tok);
  assert_string_equal(tok, "'<>'");
  lex("x    # comment");
  assert_true(lg__lex_accept_word(&lx, "x"));
  lg__lex_describe(&lx, tok, sizeof tok);
  assert_string_equal(tok, "end of line");
}

/* Regression: the 32-byte cut of a word split a multi-byte
 * character, and every parser's lg_error.message then held invalid UTF-8.
 * The description must end at a character boundary: 'a' + 15 x U+00E9. */
static void describing_a_long_non_ascii_word_cuts_at_a_character_boundary(void **state) {
  char       text[64], tok[48];
  size_t     i, n;
  lg_rubric *r = NULL;
  (void)state;
  text[0] = 'a';
  for (i = 0; i < 20; i++) memcpy(text + 1 + 2 * i, "\xc3\xa9", 2);
  text[41] = '\0';
  lex(text);
  lg__lex_describe(&lx, tok, sizeof tok);
  n = strlen(tok);
  assert_true(n >= 2 + 31);
  assert_int_equal(tok[0], '\'');
  assert_int_equal(tok[n - 1], '\'');
  assert_memory_equal(tok + 1, text, n - 2); /* a prefix of the word */
  assert_true(lg__utf8_valid(tok, n));
  assert_int_equal(lg_rubric_parse(text, 41, &r, &err), LG_ERR_SYNTAX);
  assert_true(lg__utf8_valid(err.message, strlen(err.message)));
}

static void keywords_start_lower_case_and_may_run_to_the_end_of_the_line(void **state) {
  lg__span s;
  (void)state;
  lex("  mon-fri");
  s = lg__lex_peek_keyword(&lx);
  assert_int_equal(s.n, 7);
  assert_memory_equal(s.p, "mon-fri", 7);
  lex("Mon-fri");
  assert_int_equal(lg__lex_peek_keyword(&lx).n, 0);
  lex("9am");
  assert_int_equal(lg__lex_peek_keyword(&lx).n, 0);
  lex("x");
  assert_true(lg__lex_accept_word(&lx, "x"));
  assert_int_equal(lg__lex_peek_keyword(&lx).n, 0);
}

static void name_errors_for_a_leading_underscore_and_long_upper_case_names(void **state) {
  lg__span s;
  char     name[80], want[160];
  (void)state;
  lex("_need");
  assert_error(lg__lex_name(&lx, "attribute name", &s), LG_ERR_SYNTAX, 1, 1,
               "expected attribute name, got '_need'");
  /* 70 characters with an upper-case one: the message quotes the first 64 */
  name[0] = 'N';
  memset(name + 1, 'a', 69);
  name[70] = '\0';
  lex(name);
  assert_error(lg__lex_name(&lx, "attribute name", &s), LG_ERR_SYNTAX, 1, 1, NULL);
  snprintf(want, sizeof want, "unknown attribute name '%.64s': names are lower case", name);
  assert_string_equal(err.message, want);
}

static void expect_consumes_what_it_expects(void **state) {
  int64_t v = 0;
  (void)state;
  lex("  -> 3");
  assert_int_equal(lg__lex_expect(&lx, "->", "'->'"), LG_OK);
  assert_int_equal(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_OK);
  assert_int_equal(v, 3000);
  assert_true(lg__lex_at_eol(&lx));
  assert_int_equal(err.status, LG_OK);
}

/* A prefix of a keyword or of punctuation at the end of the line is not
 * the keyword: the comparison stops at the line's end. */
static void a_word_cut_short_by_the_end_of_the_line_does_not_match(void **state) {
  (void)state;
  lex("hal\nf-life");
  assert_false(lg__lex_peek_word(&lx, "half-life"));
  assert_false(lg__lex_accept_word(&lx, "half-life"));
  assert_true(lg__lex_accept_word(&lx, "hal"));
  lex("4 -");
  assert_true(lg__lex_accept_word(&lx, "4"));
  assert_false(lg__lex_accept(&lx, "->"));
  assert_true(lg__lex_accept(&lx, "-"));
  assert_true(lg__lex_at_eol(&lx));
}

static void a_name_must_start_with_a_name_character(void **state) {
  lg__span s;
  (void)state;
  lex("  (x)");
  assert_error(lg__lex_name(&lx, "attribute name", &s), LG_ERR_SYNTAX, 1, 3,
               "expected attribute name, got '('");
  lex("\"need\"");
  assert_error(lg__lex_name(&lx, "event type", &s), LG_ERR_SYNTAX, 1, 1,
               "expected event type, got a string");
}

static void a_sign_alone_is_not_a_number(void **state) {
  (void)state;
  lex("+5");
  assert_true(lg__lex_peek_number(&lx));
  lex("-");
  assert_false(lg__lex_peek_number(&lx));
  lex("+");
  assert_false(lg__lex_peek_number(&lx));
  lex("+x");
  assert_false(lg__lex_peek_number(&lx));
  lex("-.5");
  assert_false(lg__lex_peek_number(&lx));
}

static void a_lone_exclamation_mark_is_not_an_operator(void **state) {
  int op = -1;
  (void)state;
  lex("!5");
  assert_false(lg__lex_accept_cmp(&lx, &op));
  assert_true(lg__lex_accept(&lx, "!")); /* the cursor did not move */
  lex("x");
  assert_true(lg__lex_accept_word(&lx, "x"));
  assert_false(lg__lex_accept_cmp(&lx, &op)); /* nothing left on the line */
  assert_int_equal(op, -1);
  lex("= =5");
  assert_true(lg__lex_accept_cmp(&lx, &op));
  assert_int_equal(op, LG__EQ);
  assert_true(lg__lex_accept(&lx, "=")); /* only the first '=' was taken */
}

static void a_backslash_at_the_end_of_the_line_is_an_unknown_escape(void **state) {
  char  *s = NULL;
  size_t n;
  (void)state;
  lex("\"ab\\\nnext");
  assert_error(lg__lex_string(&lx, "text", &s, &n), LG_ERR_SYNTAX, 1, 4, "unknown escape");
  assert_null(s);
}

static void number_duration_and_percentage_errors_name_what_was_expected(void **state) {
  int64_t v = 42;
  (void)state;
  lex("12%");
  assert_error(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_ERR_SYNTAX, 1, 3,
               "unexpected '%' after points");
  lex("abc");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 1,
               "expected a duration, got 'abc'");
  lex("x%");
  assert_error(lg__lex_percent(&lx, "a share", &v), LG_ERR_SYNTAX, 1, 1,
               "expected a share, got 'x'");
  lex("75 %");
  assert_error(lg__lex_percent(&lx, "a share", &v), LG_ERR_SYNTAX, 1, 3,
               "expected '%' after a share");
  /* Points may carry a sign; durations and shares are plain non-negative
   * numbers, so a '+' is refused as clearly as a '-'. */
  lex("+5%");
  assert_error(lg__lex_percent(&lx, "a share", &v), LG_ERR_SYNTAX, 1, 1,
               "a share must be a plain non-negative number");
  lex("-5%");
  assert_error(lg__lex_percent(&lx, "a share", &v), LG_ERR_SYNTAX, 1, 1,
               "a share must be a plain non-negative number");
  lex("+3h");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 1,
               "a duration must be a plain non-negative number with a unit");
  lex("  -3h");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_SYNTAX, 1, 3,
               "a duration must be a plain non-negative number with a unit");
  assert_int_equal(v, 42);
  /* more than 1000 years is RANGE however it is written (365-day years) */
  lex("31536000001s");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_RANGE, 1, 1,
               "a duration is longer than 1000 years");
  lex("52143w");
  assert_error(lg__lex_duration(&lx, "a duration", &v), LG_ERR_RANGE, 1, 1,
               "a duration is longer than 1000 years");
  lex("31536000000s");
  assert_int_equal(lg__lex_duration(&lx, "a duration", &v), LG_OK);
  assert_int_equal(v, INT64_C(31536000000));
  lex("+2.5");
  assert_int_equal(lg__lex_number(&lx, "points", LG__MAX_POINTS, &v), LG_OK);
  assert_int_equal(v, 2500);
}

static void number_match_errors_name_the_number_or_the_range_end(void **state) {
  lg__match_list m = {NULL, 0};
  (void)state;
  lex("5x");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 2,
               "unexpected 'x' after a number");
  lex("4..x");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 4,
               "expected the end of the range, got 'x'");
  lex("\"a\", 4..6y");
  assert_error(lg__match_list_parse(&lx, &m), LG_ERR_SYNTAX, 1, 10,
               "unexpected 'y' after the end of the range");
  assert_null(m.items);
}

/* Numbers in match items become whole bounds at parse time; checked here
 * against the definition, v * 1000 CMP m, for every operator, negative and
 * fractional m, and integers around them (the reference cannot overflow:
 * |v| <= 5).  Ranges take the same route; the int64 extremes are checked
 * by hand. */
static void number_items_match_exactly_the_integers_their_comparison_holds_for(void **state) {
  static const char *const ops[] = {"<", "<=", ">", ">=", "=", "!="};
  static const int64_t     ms[] = {-2500, -2000, -1500, -1, 0, 1, 999, 1000, 2500, 3000};
  char                     text[64];
  size_t                   o, k;
  int64_t                  v;
  lg__attr                 a;
  lg__match_list           m;
  (void)state;
  memset(&a, 0, sizeof a);
  a.type = LG__VAL_INT;
  for (o = 0; o < sizeof ops / sizeof ops[0]; o++)
    for (k = 0; k < sizeof ms / sizeof ms[0]; k++) {
      int64_t mm = ms[k];
      snprintf(text, sizeof text, "%s %s%lld.%03lld", ops[o], mm < 0 ? "-" : "",
               (long long)((mm < 0 ? -mm : mm) / 1000), (long long)((mm < 0 ? -mm : mm) % 1000));
      lex(text);
      assert_int_equal(lg__match_list_parse(&lx, &m), LG_OK);
      for (v = -5; v <= 5; v++) {
        int64_t s = v * 1000;
        int     want = o == 0 ? s < mm : o == 1 ? s <= mm : o == 2 ? s > mm : o == 3 ? s >= mm
                     : o == 4 ? s == mm : s != mm;
        a.value = v;
        if (lg__match_one(&m.items[0], "", &a) != want)
          fail_msg("%s with v = %lld", text, (long long)v);
      }
      lg__match_list_free(&m);
    }
  /* ranges with fractional ends hold the integers inside */
  lex("-1.5..2.5");
  assert_int_equal(lg__match_list_parse(&lx, &m), LG_OK);
  for (v = -5; v <= 5; v++) {
    a.value = v;
    assert_int_equal(lg__match_one(&m.items[0], "", &a), v >= -1 && v <= 2);
  }
  lg__match_list_free(&m);
  lex("0.2..0.8"); /* no integer inside */
  assert_int_equal(lg__match_list_parse(&lx, &m), LG_OK);
  for (v = -2; v <= 2; v++) {
    a.value = v;
    assert_false(lg__match_one(&m.items[0], "", &a));
  }
  lg__match_list_free(&m);
  /* the extremes of int64 compare without overflow */
  lex("> 999999999999999.999, < -999999999999999.999, != 0.5");
  assert_int_equal(lg__match_list_parse(&lx, &m), LG_OK);
  a.value = INT64_MAX;
  assert_true(lg__match_one(&m.items[0], "", &a));
  assert_false(lg__match_one(&m.items[1], "", &a));
  a.value = INT64_MIN;
  assert_false(lg__match_one(&m.items[0], "", &a));
  assert_true(lg__match_one(&m.items[1], "", &a));
  assert_true(lg__match_one(&m.items[2], "", &a)); /* no integer equals 0.5 */
  a.type = LG__VAL_BOOL; /* != never matches another type */
  a.value = 1;
  assert_false(lg__match_one(&m.items[2], "", &a));
  lg__match_list_free(&m);
}

/* ---- input people write: thousands separators, byte order marks -------- */

static void thousands_separators_are_refused_not_read_as_lists(void **state) {
  static const struct {
    const char *text;
    uint32_t    line, column;
  } rubrics[] = {
    {"fit \"size\" from employees\n  when >= 1,000 -> 5\n", 2, 12},
    {"knockout \"too small\" when employees is < 1,000\n", 1, 43},
    {"fit \"size\" from employees\n  when 1,000 -> 5\n", 2, 9},
    {"fit \"size\" from employees\n  when 0..1,000 -> 5\n", 2, 12},
    {"fit \"size\" from employees\n  when < 10, 250 -> 5\n", 2, 12},
    {"fit \"size\" from employees\n  when 5 -> 1,000\n", 2, 14},
    /* a comparison takes one number, however the next one is written (the
     * canonical text of `< 20, -0` would be `< 20, 0`) */
    {"knockout \"k\" when employees is < 20,-0,83\n", 1, 36},
    {"fit \"size\" from employees\n  when < 10, +250 -> 5\n", 2, 12},
  };
  static const char *fine[] = {
    "fit \"size\" from employees\n  when 1, 2, 3 -> 5\n",
    "fit \"size\" from employees\n  when 1, 250 -> 5\n",
    "fit \"size\" from employees\n  when 0, 10 -> 5\n",
    "fit \"size\" from employees\n  when >= 10, \"unknown\" -> 5\n",
    "knockout \"small\" when employees is 0..1, < 10\n",
    "knockout \"small\" when employees is < 10, > 20\n",
    "fit \"size\" from employees\n  when < 10, 20..30, 2.5 -> 5\n",
  };
  lg_rubric *r = NULL;
  lg_policy *p = NULL;
  size_t     i;
  (void)state;
  for (i = 0; i < sizeof rubrics / sizeof rubrics[0]; i++) {
    assert_error(lg_rubric_parse(rubrics[i].text, strlen(rubrics[i].text), &r, &err),
                 LG_ERR_SYNTAX, rubrics[i].line, rubrics[i].column, "thousands separators");
    assert_null(r);
  }
  for (i = 0; i < sizeof fine / sizeof fine[0]; i++) {
    assert_int_equal(lg_rubric_parse(fine[i], strlen(fine[i]), &r, &err), LG_OK);
    lg_rubric_free(r);
    r = NULL;
  }
  /* policies: every rule that takes one number */
  assert_error(lg_policy_parse("qualify when attr employees >= 1,000\n", 37, &p, &err),
               LG_ERR_SYNTAX, 1, 33, "thousands separators");
  assert_error(lg_policy_parse("qualify when fit >= 8 and total >= 1,000\n", 41, &p, &err),
               LG_ERR_SYNTAX, 1, 37, "thousands separators");
  assert_error(lg_policy_parse("qualify when attr employees is >= 1,000\n", 40, &p, &err),
               LG_ERR_SYNTAX, 1, 36, "thousands separators");
  assert_null(p);
}

static void a_leading_byte_order_mark_is_skipped(void **state) {
  static const char rubric[] = "\xEF\xBB\xBFrubric \"r\"\nfit \"n\" from need\n  when \"high\" -> 3\n";
  static const char plain[] = "rubric \"r\"\nfit \"n\" from need\n  when \"high\" -> 3\n";
  static const char bad[] = "\xEF\xBB\xBFrubric r\n";
  static const char twice[] = "\xEF\xBB\xBF\xEF\xBB\xBFrubric \"r\"\n";
  lg_rubric   *a = NULL, *b = NULL;
  lg_policy   *p = NULL;
  lg_calendar *c = NULL;
  (void)state;
  assert_int_equal(lg_rubric_parse(rubric, sizeof rubric - 1, &a, &err), LG_OK);
  assert_int_equal(lg_rubric_parse(plain, sizeof plain - 1, &b, &err), LG_OK);
  assert_int_equal(lg_rubric_fingerprint(a), lg_rubric_fingerprint(b));
  lg_rubric_free(a);
  lg_rubric_free(b);
  /* columns count from after the mark */
  assert_error(lg_rubric_parse(bad, sizeof bad - 1, &a, &err), LG_ERR_SYNTAX, 1, 8, NULL);
  /* only one is skipped: a second is text, and not a statement */
  assert_int_equal(lg_rubric_parse(twice, sizeof twice - 1, &a, &err), LG_ERR_SYNTAX);
  assert_int_equal(err.column, 1);
  assert_int_equal(lg_policy_parse("\xEF\xBB\xBFpolicy \"p\"\n", 14, &p, &err), LG_OK);
  assert_string_equal(lg_policy_name(p), "p");
  lg_policy_free(p);
  assert_int_equal(lg_calendar_parse("\xEF\xBB\xBFhours mon 09:00-17:00\n", 25, &c, &err), LG_OK);
  assert_int_equal(lg_calendar_is_open(c, 4 * 86400 + 10 * 3600), 1); /* Mon 1970-01-05 10:00 */
  lg_calendar_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(thousands_separators_are_refused_not_read_as_lists),
    cmocka_unit_test(a_leading_byte_order_mark_is_skipped),
    cmocka_unit_test(text_over_one_mebibyte_is_limit),
    cmocka_unit_test(invalid_utf8_is_syntax_error_at_its_character),
    cmocka_unit_test(nul_byte_is_syntax_error),
    cmocka_unit_test(utf8_validation_rejects_overlongs_surrogates_and_beyond_max),
    cmocka_unit_test(blank_and_comment_lines_are_skipped_with_line_numbers_kept),
    cmocka_unit_test(empty_text_has_no_lines),
    cmocka_unit_test(words_end_at_non_word_characters),
    cmocka_unit_test(junk_after_statement_names_the_token),
    cmocka_unit_test(first_error_wins),
    cmocka_unit_test(expect_reports_what_was_expected),
    cmocka_unit_test(names_are_lower_case_and_at_most_64_bytes),
    cmocka_unit_test(strings_unescape_quote_and_backslash),
    cmocka_unit_test(string_errors_have_positions),
    cmocka_unit_test(string_allocation_failure_is_nomem),
    cmocka_unit_test(numbers_are_read_in_thousandths),
    cmocka_unit_test(number_errors),
    cmocka_unit_test(range_dots_are_not_a_fraction),
    cmocka_unit_test(durations_take_units_s_m_h_d_w),
    cmocka_unit_test(duration_errors),
    cmocka_unit_test(percentages_are_thousandths_of_a_percent),
    cmocka_unit_test(comparison_operators_longest_first),
    cmocka_unit_test(milli_values_print_normalised),
    cmocka_unit_test(durations_print_with_the_largest_exact_unit),
    cmocka_unit_test(quoted_strings_escape_quote_and_backslash),
    cmocka_unit_test(sink_counts_past_capacity_and_hashes_fnv1a),
    cmocka_unit_test(render_text_follows_the_snprintf_contract),
    cmocka_unit_test(checked_arithmetic_detects_overflow),
    cmocka_unit_test(text_compare_is_ascii_case_insensitive_only),
    cmocka_unit_test(match_lists_parse_every_item_kind_and_print_canonically),
    cmocka_unit_test(match_list_errors),
    cmocka_unit_test(match_list_allocation_failures_leak_nothing),
    cmocka_unit_test(matches_only_hit_their_own_type),
    cmocka_unit_test(adding_negatives_overflows_only_below_int64_min),
    cmocka_unit_test(utf8_validation_checks_every_byte_of_a_sequence),
    cmocka_unit_test(a_bad_byte_after_any_run_of_ascii_is_found_at_its_column),
    cmocka_unit_test(the_first_bad_byte_decides_between_nul_and_invalid_utf8),
    cmocka_unit_test(names_reject_null_and_characters_past_z),
    cmocka_unit_test(integers_print_with_a_minus_sign_when_negative),
    cmocka_unit_test(long_messages_are_cut_to_fit_lg_error),
    cmocka_unit_test(messages_cut_inside_a_character_drop_the_partial_character),
    cmocka_unit_test(an_error_before_the_first_line_is_placed_at_line_one),
    cmocka_unit_test(descriptions_stop_after_32_bytes_and_at_a_quote),
    cmocka_unit_test(describing_a_long_non_ascii_word_cuts_at_a_character_boundary),
    cmocka_unit_test(keywords_start_lower_case_and_may_run_to_the_end_of_the_line),
    cmocka_unit_test(name_errors_for_a_leading_underscore_and_long_upper_case_names),
    cmocka_unit_test(expect_consumes_what_it_expects),
    cmocka_unit_test(a_word_cut_short_by_the_end_of_the_line_does_not_match),
    cmocka_unit_test(a_name_must_start_with_a_name_character),
    cmocka_unit_test(a_sign_alone_is_not_a_number),
    cmocka_unit_test(a_lone_exclamation_mark_is_not_an_operator),
    cmocka_unit_test(a_backslash_at_the_end_of_the_line_is_an_unknown_escape),
    cmocka_unit_test(number_duration_and_percentage_errors_name_what_was_expected),
    cmocka_unit_test(number_match_errors_name_the_number_or_the_range_end),
    cmocka_unit_test(number_items_match_exactly_the_integers_their_comparison_holds_for),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
