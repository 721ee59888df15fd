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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
