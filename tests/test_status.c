/*
 * test_status.c - status names and messages, the version, the allocator
 * setting (lib/status.c, lib/alloc.c) and the internal allocation helpers
 * every module builds on (lg__malloc, lg__calloc, lg__realloc, lg__free,
 * lg__strndup, lg__grow).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"

static int setup(void **state) {
  (void)state;
  ts_alloc_install();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  assert_int_equal(ts_alloc_live_blocks(), 0);
  ts_alloc_restore();
  return 0;
}

/* ---- status names and messages ------------------------------------------ */

static void every_status_has_its_exact_name(void **state) {
  static const char *names[] = {"LG_OK",         "LG_ERR_NOMEM",     "LG_ERR_INVALID",
                                "LG_ERR_SYNTAX", "LG_ERR_NOT_FOUND", "LG_ERR_RANGE",
                                "LG_ERR_LIMIT",  "LG_ERR_TYPE",      "LG_ERR_STATE",
                                "LG_ERR_BUFFER"};
  (void)state;
  assert_string_equal(lg_status_name(LG_OK), names[0]);
  assert_string_equal(lg_status_name(LG_ERR_NOMEM), names[1]);
  assert_string_equal(lg_status_name(LG_ERR_INVALID), names[2]);
  assert_string_equal(lg_status_name(LG_ERR_SYNTAX), names[3]);
  assert_string_equal(lg_status_name(LG_ERR_NOT_FOUND), names[4]);
  assert_string_equal(lg_status_name(LG_ERR_RANGE), names[5]);
  assert_string_equal(lg_status_name(LG_ERR_LIMIT), names[6]);
  assert_string_equal(lg_status_name(LG_ERR_TYPE), names[7]);
  assert_string_equal(lg_status_name(LG_ERR_STATE), names[8]);
  assert_string_equal(lg_status_name(LG_ERR_BUFFER), names[9]);
}

static void every_status_has_a_distinct_one_sentence_message(void **state) {
  int s, t;
  (void)state;
  for (s = LG_OK; s <= LG_ERR_BUFFER; s++) {
    const char *m = lg_status_message((lg_status)s);
    size_t      n;
    assert_non_null(m);
    n = strlen(m);
    assert_true(n > 10);
    assert_true(m[0] >= 'A' && m[0] <= 'Z');
    assert_int_equal(m[n - 1], '.');
    for (t = LG_OK; t < s; t++) assert_string_not_equal(m, lg_status_message((lg_status)t));
  }
  assert_non_null(strstr(lg_status_message(LG_ERR_NOMEM), "allocation"));
}

static void an_unknown_status_is_named_unknown_and_never_null(void **state) {
  static const int unknown[] = {LG_ERR_BUFFER + 1, -1, 1000, INT32_MAX, INT32_MIN};
  size_t           i;
  (void)state;
  for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    lg_status s = (lg_status)unknown[i];
    assert_string_equal(lg_status_name(s), "LG_ERR_UNKNOWN");
    assert_non_null(lg_status_message(s));
    assert_true(strlen(lg_status_message(s)) > 0);
  }
}

/* ---- version ------------------------------------------------------------ */

static void the_version_matches_the_header_macros(void **state) {
  char expect[32];
  (void)state;
  assert_int_equal(lg_version_number(), LG_VERSION_NUMBER);
  assert_int_equal(LG_VERSION_NUMBER,
                   LG_VERSION_MAJOR * 10000 + LG_VERSION_MINOR * 100 + LG_VERSION_PATCH);
  assert_string_equal(lg_version_string(), LG_VERSION_STRING);
  snprintf(expect, sizeof expect, "%d.%d.%d", LG_VERSION_MAJOR, LG_VERSION_MINOR,
           LG_VERSION_PATCH);
  assert_string_equal(lg_version_string(), expect);
}

/* ---- lg_set_allocator --------------------------------------------------- */

/* An allocator that counts through its user data pointer. */
typedef struct counting_ud {
  int mallocs, reallocs, frees;
} counting_ud;

static void *ud_malloc(void *ud, size_t size) {
  ((counting_ud *)ud)->mallocs++;
  return test_malloc(size);
}
static void *ud_realloc(void *ud, void *ptr, size_t size) {
  ((counting_ud *)ud)->reallocs++;
  return test_realloc(ptr, size);
}
static void ud_free(void *ud, void *ptr) {
  ((counting_ud *)ud)->frees++;
  test_free(ptr);
}

static void the_allocator_receives_every_call_with_its_user_data(void **state) {
  counting_ud  counts = {0, 0, 0};
  lg_allocator a;
  lg_lead     *lead = NULL;
  (void)state;
  a.malloc_fn = ud_malloc;
  a.realloc_fn = ud_realloc;
  a.free_fn = ud_free;
  a.ud = &counts;
  a.reserved[0] = a.reserved[1] = NULL;
  lg__alloc_reset();
  assert_int_equal(lg_set_allocator(&a), LG_OK);
  assert_int_equal(lg_lead_create("lead", &lead), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "a", "value"), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "b", "more"), LG_OK);
  lg_lead_free(lead);
  assert_int_equal(counts.mallocs, 3); /* lead with its id, arena, attribute table */
  assert_int_equal(counts.reallocs, 1); /* arena growth for "b" */
  assert_int_equal(counts.frees, 3);
  /* Objects exist (existed) under this allocator: it may not change now. */
  assert_int_equal(lg_set_allocator(NULL), LG_ERR_STATE);
  assert_int_equal(lg_set_allocator(&a), LG_ERR_STATE);
  lg__alloc_reset();
  assert_int_equal(lg_set_allocator(NULL), LG_OK);
}

static void setting_null_restores_the_default_allocator(void **state) {
  lg_lead *lead = NULL;
  long     calls;
  (void)state;
  assert_int_equal(lg_lead_create("lead", &lead), LG_OK);
  lg_lead_free(lead);
  calls = ts_alloc_calls();
  assert_true(calls > 0);
  lg__alloc_reset();
  assert_int_equal(lg_set_allocator(NULL), LG_OK);
  assert_int_equal(lg_lead_create("lead", &lead), LG_OK);
  lg_lead_free(lead);
  assert_int_equal(ts_alloc_calls(), calls); /* the counting allocator saw nothing */
  ts_alloc_install();
}

static void an_allocator_with_a_null_function_is_invalid_and_changes_nothing(void **state) {
  lg_allocator bad;
  lg_lead     *lead = NULL;
  long         calls;
  int          which;
  (void)state;
  for (which = 0; which < 3; which++) {
    memset(&bad, 0, sizeof bad);
    bad.malloc_fn = which == 0 ? NULL : ud_malloc;
    bad.realloc_fn = which == 1 ? NULL : ud_realloc;
    bad.free_fn = which == 2 ? NULL : ud_free;
    assert_int_equal(lg_set_allocator(&bad), LG_ERR_INVALID);
  }
  /* A reserved field that is not NULL is refused too (a later version may
   * give it meaning). */
  memset(&bad, 0, sizeof bad);
  bad.malloc_fn = ud_malloc;
  bad.realloc_fn = ud_realloc;
  bad.free_fn = ud_free;
  bad.reserved[1] = &bad;
  assert_int_equal(lg_set_allocator(&bad), LG_ERR_INVALID);
  /* The counting allocator installed by setup is still the one in force. */
  calls = ts_alloc_calls();
  assert_int_equal(lg_lead_create("lead", &lead), LG_OK);
  assert_int_equal(ts_alloc_live_blocks(), 1); /* the lead, its id inside */
  assert_true(ts_alloc_calls() > calls);
  lg_lead_free(lead);
}

/* ---- internal helpers (alloc.c) ----------------------------------------- */

static void malloc_and_realloc_of_size_zero_give_null(void **state) {
  char *p;
  (void)state;
  assert_null(lg__malloc(0));
  assert_int_equal(ts_alloc_calls(), 0);
  p = lg__realloc(NULL, 8); /* realloc of NULL allocates */
  assert_non_null(p);
  memcpy(p, "1234567", 8);
  assert_null(lg__realloc(p, 0)); /* p is still valid and owned */
  assert_string_equal(p, "1234567");
  p = lg__realloc(p, 64);
  assert_non_null(p);
  assert_string_equal(p, "1234567");
  lg__free(p);
  lg__free(NULL);
  assert_int_equal(ts_alloc_live_blocks(), 0);
}

static void calloc_zeroes_and_refuses_overflowing_sizes(void **state) {
  unsigned char *p;
  size_t         i;
  long           calls;
  (void)state;
  p = lg__calloc(10, 7);
  assert_non_null(p);
  for (i = 0; i < 70; i++) assert_int_equal(p[i], 0);
  assert_int_equal(ts_alloc_live_bytes(), 70);
  lg__free(p);
  calls = ts_alloc_calls();
  assert_null(lg__calloc(SIZE_MAX / 2 + 1, 2));
  assert_null(lg__calloc(2, SIZE_MAX / 2 + 1));
  assert_null(lg__calloc(SIZE_MAX, SIZE_MAX));
  assert_null(lg__calloc(0, 8));
  assert_null(lg__calloc(8, 0));
  assert_int_equal(ts_alloc_calls(), calls); /* refused before allocating */
  ts_alloc_fail_at(1, 0);
  assert_null(lg__calloc(4, 4));
  assert_int_equal(ts_alloc_live_blocks(), 0);
}

static void strndup_copies_exactly_n_bytes_and_a_nul(void **state) {
  char *p;
  (void)state;
  p = lg__strndup("abcdef", 3);
  assert_non_null(p);
  assert_string_equal(p, "abc");
  assert_int_equal(ts_alloc_live_bytes(), 4);
  lg__free(p);
  p = lg__strndup("xyz", 0);
  assert_non_null(p);
  assert_string_equal(p, "");
  lg__free(p);
  {
    const char raw[4] = {'n', 'o', 'n', 'u'}; /* not NUL-terminated */
    p = lg__strndup(raw, 4);
    assert_non_null(p);
    assert_string_equal(p, "nonu");
    lg__free(p);
  }
  assert_null(lg__strndup("a", SIZE_MAX));
  ts_alloc_fail_at(1, 0);
  assert_null(lg__strndup("abc", 3));
  assert_int_equal(ts_alloc_live_blocks(), 0);
}

static void grow_starts_at_four_and_doubles(void **state) {
  uint32_t  cap = 0;
  uint32_t *a = NULL, *b;
  uint32_t  i;
  (void)state;
  a = lg__grow(a, &cap, 1, sizeof *a);
  assert_non_null(a);
  assert_int_equal(cap, 4);
  for (i = 0; i < 4; i++) a[i] = i;
  b = lg__grow(a, &cap, 4, sizeof *a); /* enough room: nothing happens */
  assert_ptr_equal(a, b);
  assert_int_equal(cap, 4);
  a = lg__grow(a, &cap, 5, sizeof *a);
  assert_non_null(a);
  assert_int_equal(cap, 8);
  a = lg__grow(a, &cap, 9, sizeof *a);
  assert_int_equal(cap, 16);
  a = lg__grow(a, &cap, 100, sizeof *a); /* doubles until it fits */
  assert_int_equal(cap, 128);
  assert_int_equal(ts_alloc_live_bytes(), 128 * sizeof *a);
  for (i = 0; i < 4; i++) assert_int_equal(a[i], i);
  lg__free(a);
}

static void a_failed_grow_leaves_the_array_and_capacity_untouched(void **state) {
  uint32_t  cap = 0;
  uint32_t *a = NULL, *b;
  (void)state;
  ts_alloc_fail_at(1, 0);
  assert_null(lg__grow(a, &cap, 1, sizeof *a));
  assert_int_equal(cap, 0);
  a = lg__grow(a, &cap, 3, sizeof *a);
  assert_non_null(a);
  a[0] = 42;
  ts_alloc_fail_at(1, 0);
  b = lg__grow(a, &cap, 5, sizeof *a);
  assert_null(b);
  assert_int_equal(cap, 4);
  assert_int_equal(a[0], 42); /* still the caller's, still intact */
  assert_int_equal(ts_alloc_live_blocks(), 1);
  lg__free(a);
}

static void grow_refuses_sizes_that_overflow(void **state) {
  uint32_t cap = 3000000000u;
  long     calls = ts_alloc_calls();
  (void)state;
  assert_null(lg__grow(NULL, &cap, cap + 1, SIZE_MAX / 4));
  assert_int_equal(cap, 3000000000u);
  cap = 4;
  assert_null(lg__grow(NULL, &cap, UINT32_MAX, SIZE_MAX / 4));
  assert_int_equal(cap, 4);
  assert_int_equal(ts_alloc_calls(), calls);
}


/* ---- enum names, struct sizes, name and text checks --------------------- */

static void enum_names_spell_the_policy_language(void **state) {
  static const char *stages[] = {"new", "nurture", "mql", "sal", "sql",
                                 "opportunity", "won", "lost", "disqualified"};
  static const char *actions[] = {"none", "warn", "remind", "escalate", "reassign", "recycle"};
  static const char *slas[] = {"none", "running", "warning", "breached", "met", "met_late"};
  lg_stage  st = LG_STAGE_WON;
  lg_action act = LG_ACTION_WARN;
  int       i;
  (void)state;
  for (i = 0; i < 9; i++) {
    assert_string_equal(lg_stage_name((lg_stage)i), stages[i]);
    assert_int_equal(lg_stage_from_name(stages[i], &st), LG_OK);
    assert_int_equal(st, i);
  }
  for (i = 0; i < 6; i++) {
    assert_string_equal(lg_action_name((lg_action)i), actions[i]);
    assert_int_equal(lg_action_from_name(actions[i], &act), LG_OK);
    assert_int_equal(act, i);
    assert_string_equal(lg_sla_state_name((lg_sla_state)i), slas[i]);
  }
  assert_string_equal(lg_verdict_name(LG_VERDICT_NURTURE), "nurture");
  assert_string_equal(lg_verdict_name(LG_VERDICT_MQL), "mql");
  assert_string_equal(lg_verdict_name(LG_VERDICT_DISQUALIFY), "disqualify");
  assert_string_equal(lg_kind_name(LG_KIND_FIT), "fit");
  assert_string_equal(lg_kind_name(LG_KIND_ENGAGEMENT), "engagement");
  assert_string_equal(lg_kind_name(LG_KIND_KNOCKOUT), "knockout");
  /* case-insensitive inverse, as a CRM export spells stages */
  assert_int_equal(lg_stage_from_name("MQL", &st), LG_OK);
  assert_int_equal(st, LG_STAGE_MQL);
  assert_int_equal(lg_action_from_name("Reassign", &act), LG_OK);
  assert_int_equal(act, LG_ACTION_REASSIGN);
}

static void values_outside_an_enum_have_no_name(void **state) {
  lg_stage  st = LG_STAGE_WON;
  lg_action act = LG_ACTION_WARN;
  (void)state;
  assert_null(lg_stage_name((lg_stage)9));
  assert_null(lg_stage_name((lg_stage)-1));
  assert_null(lg_verdict_name((lg_verdict)3));
  assert_null(lg_action_name((lg_action)6));
  assert_null(lg_sla_state_name((lg_sla_state)6));
  assert_null(lg_kind_name((lg_kind)3));
  assert_int_equal(lg_stage_from_name("qualified", &st), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stage_from_name("mq", &st), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stage_from_name("mqlx", &st), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stage_from_name("", &st), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_stage_from_name(NULL, &st), LG_ERR_INVALID);
  assert_int_equal(lg_stage_from_name("mql", NULL), LG_ERR_INVALID);
  assert_int_equal(st, LG_STAGE_WON); /* untouched */
  assert_int_equal(lg_action_from_name("snooze", &act), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_action_from_name(NULL, &act), LG_ERR_INVALID);
  assert_int_equal(act, LG_ACTION_WARN);
}

/* Sizes and offsets from the header's field lists (LP64), worked out by
 * hand: a layout change must be deliberate. */
static void struct_sizes_are_the_documented_layouts(void **state) {
  (void)state;
  assert_int_equal(lg_struct_size(LG_STRUCT_ERROR), sizeof(lg_error));
  assert_int_equal(lg_struct_size(LG_STRUCT_ALLOCATOR), sizeof(lg_allocator));
  assert_int_equal(lg_struct_size(LG_STRUCT_SCORE), sizeof(lg_score));
  assert_int_equal(lg_struct_size(LG_STRUCT_CONTRIBUTION), sizeof(lg_contribution));
  assert_int_equal(lg_struct_size(LG_STRUCT_DECISION), sizeof(lg_decision));
  assert_int_equal(lg_struct_size(LG_STRUCT_SLA_STATUS), sizeof(lg_sla_status));
  assert_int_equal(lg_struct_size(LG_STRUCT_REP), sizeof(lg_rep));
  assert_int_equal(lg_struct_size(LG_STRUCT_REP_STATS), sizeof(lg_rep_stats));
  assert_int_equal(lg_struct_size((lg_struct_id)0), 0);
  assert_int_equal(lg_struct_size((lg_struct_id)99), 0);
  if (sizeof(void *) != 8) skip();
  assert_int_equal(sizeof(lg_error), 172);          /* 4 + 4 + 4 + 160 */
  assert_int_equal(sizeof(lg_score), 40);           /* 3*8 + 4*4 */
  assert_int_equal(sizeof(lg_contribution), 56);    /* 8 + 8 + 4 + 4 + 8 + 8 + 2*8 */
  assert_int_equal(sizeof(lg_decision), 272);       /* 240 as in 0.1, + next_at + 3*8 */
  assert_int_equal(offsetof(lg_decision, reason), 64);
  assert_int_equal(offsetof(lg_decision, policy_fingerprint), 232);
  assert_int_equal(offsetof(lg_decision, next_at), 240);
  assert_int_equal(sizeof(lg_sla_status), 72);      /* 56 as in 0.1, + 2*8 */
  assert_int_equal(offsetof(lg_sla_status, tier), 52);
  assert_int_equal(sizeof(lg_rep), 48);             /* 8 + 4*4 + 8 + 2*8 */
  assert_int_equal(sizeof(lg_rep_stats), 64);       /* 8 + 6*4 + 2*8 + 2*8 */
  assert_int_equal(sizeof(lg_allocator), 48);       /* 4 pointers + 2 reserved */
}

static void name_check_says_what_is_wrong_and_where(void **state) {
  lg_error err;
  char     long_name[70];
  (void)state;
  assert_int_equal(lg_name_check("demo_requested", &err), LG_OK);
  assert_int_equal(err.status, LG_OK);
  assert_int_equal(lg_name_check("Need", &err), LG_ERR_INVALID);
  assert_int_equal(err.column, 1);
  assert_string_equal(err.message, "name must start with a lowercase letter a-z, got 'N'");
  assert_int_equal(lg_name_check("job title", &err), LG_ERR_INVALID);
  assert_int_equal(err.column, 4);
  assert_string_equal(err.message,
                      "name may hold only lowercase letters a-z, digits and '_', got ' '");
  assert_int_equal(lg_name_check("", &err), LG_ERR_INVALID);
  assert_string_equal(err.message, "name is empty");
  assert_int_equal(lg_name_check(NULL, &err), LG_ERR_INVALID);
  assert_int_equal(err.column, 0);
  memset(long_name, 'a', 65);
  long_name[65] = '\0';
  assert_int_equal(lg_name_check(long_name, &err), LG_ERR_INVALID);
  assert_int_equal(err.column, 65);
  long_name[64] = '\0';
  assert_int_equal(lg_name_check(long_name, NULL), LG_OK);
}

static void text_check_finds_bad_utf8_and_length(void **state) {
  lg_error err;
  (void)state;
  assert_int_equal(lg_text_check("caf\xc3\xa9", 5, 0, &err), LG_OK);
  assert_int_equal(lg_text_check("ab\xc3(", 4, 0, &err), LG_ERR_INVALID);
  assert_int_equal(err.column, 3);
  assert_string_equal(err.message, "text is not valid UTF-8 here, got 0xC3");
  assert_int_equal(lg_text_check("\xed\xa0\x80", 3, 0, &err), LG_ERR_INVALID); /* surrogate */
  assert_int_equal(err.column, 1);
  assert_int_equal(lg_text_check("abcdef", 6, 5, &err), LG_ERR_LIMIT);
  assert_string_equal(err.message, "text is longer than 5 bytes");
  assert_int_equal(lg_text_check("abcde", 5, 5, &err), LG_OK);
  assert_int_equal(lg_text_check(NULL, 0, 0, &err), LG_ERR_INVALID);
  /* the lead setter's LG_ERR_INVALID is the same verdict */
  {
    lg_lead *lead = NULL;
    assert_int_equal(lg_lead_create("l", &lead), LG_OK);
    assert_int_equal(lg_lead_set_text(lead, "x", "ab\xc3("), LG_ERR_INVALID);
    assert_int_equal(lg_lead_set_text(lead, "Job", "cto"), LG_ERR_INVALID);
    lg_lead_free(lead);
  }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(every_status_has_its_exact_name),
    T(every_status_has_a_distinct_one_sentence_message),
    T(an_unknown_status_is_named_unknown_and_never_null),
    T(the_version_matches_the_header_macros),
    T(the_allocator_receives_every_call_with_its_user_data),
    T(setting_null_restores_the_default_allocator),
    T(an_allocator_with_a_null_function_is_invalid_and_changes_nothing),
    T(malloc_and_realloc_of_size_zero_give_null),
    T(calloc_zeroes_and_refuses_overflowing_sizes),
    T(strndup_copies_exactly_n_bytes_and_a_nul),
    T(grow_starts_at_four_and_doubles),
    T(a_failed_grow_leaves_the_array_and_capacity_untouched),
    T(grow_refuses_sizes_that_overflow),
    T(enum_names_spell_the_policy_language),
    T(values_outside_an_enum_have_no_name),
    T(struct_sizes_are_the_documented_layouts),
    T(name_check_says_what_is_wrong_and_where),
    T(text_check_finds_bad_utf8_and_length),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
