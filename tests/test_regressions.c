/*
 * test_regressions.c - one minimal reproducer per bug the fuzzers, the
 * property tests or the allocation sweep found, so that it stays fixed.
 * Each test names the finding; several only fail under the sanitizers
 * (the clang ASan + UBSan job of .ci/run), which is where they were found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reference_example.h"
#include "leadgate.h"

/* fuzz_rubric, empty input: score.c walked `crits + n_crits` with crits
 * NULL (pointer arithmetic on a null pointer is undefined even for +0;
 * UBSan: "applying zero offset to null pointer"). */
static void empty_rubric_scores_and_explains_a_lead(void **state) {
  lg_rubric      *r = NULL;
  lg_lead        *lead = NULL;
  lg_score        s;
  lg_contribution item;
  size_t          count = 99;
  const lg_lead  *one[1];
  (void)state;
  assert_int_equal(lg_rubric_parse("", 0, &r, NULL), LG_OK);
  assert_int_equal(lg_lead_create("l", &lead), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "employees", 5), LG_OK);
  assert_int_equal(lg_score_lead(r, lead, LG_EXAMPLE_EPOCH, &s), LG_OK);
  assert_true(s.fit == 0 && s.engagement == 0 && s.total == 0 && !s.knocked_out);
  assert_int_equal(s.knockout_index, -1);
  one[0] = lead;
  assert_int_equal(lg_score_many(r, one, 1, LG_EXAMPLE_EPOCH, &s), LG_OK);
  assert_int_equal(lg_explain(r, lead, LG_EXAMPLE_EPOCH, &item, 1, &count), LG_OK);
  assert_int_equal(count, 0);
  lg_lead_free(lead);
  lg_rubric_free(r);
}

/* fuzz_lead, empty input: score.c find_attr walked `attrs + n_attrs` with
 * attrs NULL for a lead that never had an attribute. */
static void lead_without_attributes_scores_as_all_missing(void **state) {
  lg_rubric *r = NULL;
  lg_lead   *lead = NULL;
  lg_score   s;
  (void)state;
  assert_int_equal(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &r, NULL),
                   LG_OK);
  assert_int_equal(lg_lead_create("bare", &lead), LG_OK);
  assert_int_equal(lg_score_lead(r, lead, LG_EXAMPLE_EPOCH, &s), LG_OK);
  assert_int_equal(s.fit, 0);
  assert_int_equal(s.missing_count, 4);
  assert_int_equal(s.engagement, 0);
  assert_int_equal(s.knocked_out, 0);
  lg_lead_free(lead);
  lg_rubric_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(empty_rubric_scores_and_explains_a_lead),
    cmocka_unit_test(lead_without_attributes_scores_as_all_missing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
