/*
 * test_inputs.c - what a definition reads: lg_rubric_input_count/at and
 * lg_policy_input_count/at (lib/rubric.c, lib/policy.c, lib/expr.c), and
 * lg_policy_name.  Expected lists written out by hand from the texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reference_example.h"
#include "support.h"

typedef struct expected_input {
  const char   *name;
  lg_input_kind kind;
  lg_value_type type;
} expected_input;

static void check_rubric_inputs(const lg_rubric *r, const expected_input *want, size_t n) {
  size_t        i;
  const char   *name;
  lg_input_kind kind;
  lg_value_type type;
  assert_int_equal(lg_rubric_input_count(r), n);
  for (i = 0; i < n; i++) {
    assert_int_equal(lg_rubric_input_at(r, i, &name, &kind, &type), LG_OK);
    assert_string_equal(name, want[i].name);
    assert_int_equal(kind, want[i].kind);
    assert_int_equal(type, want[i].type);
  }
  assert_int_equal(lg_rubric_input_at(r, n, &name, &kind, &type), LG_ERR_NOT_FOUND);
}

static void check_policy_inputs(const lg_policy *p, const expected_input *want, size_t n) {
  size_t        i;
  const char   *name;
  lg_input_kind kind;
  lg_value_type type;
  assert_int_equal(lg_policy_input_count(p), n);
  for (i = 0; i < n; i++) {
    assert_int_equal(lg_policy_input_at(p, i, &name, &kind, &type), LG_OK);
    assert_string_equal(name, want[i].name);
    assert_int_equal(kind, want[i].kind);
    assert_int_equal(type, want[i].type);
  }
  assert_int_equal(lg_policy_input_at(p, n, &name, &kind, &type), LG_ERR_NOT_FOUND);
}

static void the_reference_rubric_reads_six_attributes_and_four_event_types(void **state) {
  static const expected_input want[] = {
    {"need", LG_INPUT_ATTRIBUTE, LG_VALUE_TEXT},
    {"timeframe_months", LG_INPUT_ATTRIBUTE, LG_VALUE_INT},
    {"role", LG_INPUT_ATTRIBUTE, LG_VALUE_TEXT},
    {"industry", LG_INPUT_ATTRIBUTE, LG_VALUE_TEXT},
    {"persona", LG_INPUT_ATTRIBUTE, LG_VALUE_TEXT},
    {"employees", LG_INPUT_ATTRIBUTE, LG_VALUE_INT},
    {"demo_requested", LG_INPUT_EVENT, LG_VALUE_NONE},
    {"content_download", LG_INPUT_EVENT, LG_VALUE_NONE},
    {"webinar_attended", LG_INPUT_EVENT, LG_VALUE_NONE},
    {"unsubscribed", LG_INPUT_EVENT, LG_VALUE_NONE},
  };
  lg_rubric *r = NULL;
  (void)state;
  assert_int_equal(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &r, NULL),
                   LG_OK);
  check_rubric_inputs(r, want, sizeof want / sizeof want[0]);
  lg_rubric_free(r);
}

static void an_attribute_compared_with_two_types_has_no_single_type(void **state) {
  static const char text[] =
    "fit \"size\" from employees\n"
    "  when < 10 -> 1\n"
    "  when \"enterprise\" -> 3\n"      /* text as well: mixed */
    "fit \"opt\" from opted_in\n"
    "  when true -> 1\n"
    "fit \"any\" from region\n"
    "  otherwise -> 1\n"               /* no match items at all */
    "knockout \"no\" when opted_in is false\n" /* same attribute, listed once */
    "engagement \"w\" on webinar -> 1 each\n"
    "engagement \"w2\" on webinar -> 2\n";
  static const expected_input want[] = {
    {"employees", LG_INPUT_ATTRIBUTE, LG_VALUE_NONE},
    {"opted_in", LG_INPUT_ATTRIBUTE, LG_VALUE_BOOL},
    {"region", LG_INPUT_ATTRIBUTE, LG_VALUE_NONE},
    {"webinar", LG_INPUT_EVENT, LG_VALUE_NONE},
  };
  lg_rubric *r = NULL;
  (void)state;
  assert_int_equal(lg_rubric_parse(text, sizeof text - 1, &r, NULL), LG_OK);
  check_rubric_inputs(r, want, sizeof want / sizeof want[0]);
  assert_int_equal(lg_rubric_input_at(r, 0, NULL, NULL, NULL), LG_OK);
  assert_int_equal(lg_rubric_input_at(NULL, 0, NULL, NULL, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_rubric_input_count(NULL), 0);
  lg_rubric_free(r);
}

static void a_policy_lists_attributes_then_events_once_each(void **state) {
  static const char text[] =
    "policy \"p\"\n"
    "disqualify when knockout or attr country is \"KP\", \"IR\"\n"
    "qualify when fit >= 8 and (event demo_requested within 30d or attr employees >= 50)\n"
    "grade \"A\" when missing budget and attr employees > 500\n"
    "grade \"B\" when attr opted_in = true and stage is mql\n"
    "grade \"C\" when attr country = \"DE\" or event webinar within 2w\n"
    "grade \"D\"\n";
  static const expected_input want[] = {
    {"country", LG_INPUT_ATTRIBUTE, LG_VALUE_TEXT},
    {"employees", LG_INPUT_ATTRIBUTE, LG_VALUE_INT},
    {"budget", LG_INPUT_ATTRIBUTE, LG_VALUE_NONE},
    {"opted_in", LG_INPUT_ATTRIBUTE, LG_VALUE_BOOL},
    {"demo_requested", LG_INPUT_EVENT, LG_VALUE_NONE},
    {"webinar", LG_INPUT_EVENT, LG_VALUE_NONE},
  };
  lg_policy *p = NULL;
  (void)state;
  assert_int_equal(lg_policy_parse(text, sizeof text - 1, &p, NULL), LG_OK);
  check_policy_inputs(p, want, sizeof want / sizeof want[0]);
  assert_string_equal(lg_policy_name(p), "p");
  lg_policy_free(p);
}

static void a_policy_attribute_of_two_types_has_none(void **state) {
  static const char text[] = "qualify when attr size = \"big\" or attr size > 10\n"
                             "grade \"A\" when missing size\n";
  static const expected_input want[] = {{"size", LG_INPUT_ATTRIBUTE, LG_VALUE_NONE}};
  lg_policy *p = NULL;
  (void)state;
  assert_int_equal(lg_policy_parse(text, sizeof text - 1, &p, NULL), LG_OK);
  check_policy_inputs(p, want, 1);
  assert_string_equal(lg_policy_name(p), ""); /* no policy line */
  lg_policy_free(p);
}

static void a_policy_reading_only_scores_lists_nothing(void **state) {
  lg_policy *p = NULL;
  (void)state;
  assert_int_equal(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &p, NULL),
                   LG_OK);
  /* the reference policy: fit, engagement, knockout and one event */
  assert_int_equal(lg_policy_input_count(p), 1);
  lg_policy_free(p);
  assert_int_equal(lg_policy_parse("", 0, &p, NULL), LG_OK);
  check_policy_inputs(p, NULL, 0);
  lg_policy_free(p);
  assert_int_equal(lg_policy_input_count(NULL), 0);
  assert_int_equal(lg_policy_input_at(NULL, 0, NULL, NULL, NULL), LG_ERR_INVALID);
  assert_null(lg_policy_name(NULL));
}

static void input_queries_never_allocate(void **state) {
  lg_rubric *r = NULL;
  lg_policy *p = NULL;
  long       calls;
  size_t     i;
  (void)state;
  assert_int_equal(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &r, NULL),
                   LG_OK);
  assert_int_equal(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &p, NULL),
                   LG_OK);
  calls = ts_alloc_calls();
  for (i = 0; i < lg_rubric_input_count(r); i++)
    assert_int_equal(lg_rubric_input_at(r, i, NULL, NULL, NULL), LG_OK);
  for (i = 0; i < lg_policy_input_count(p); i++)
    assert_int_equal(lg_policy_input_at(p, i, NULL, NULL, NULL), LG_OK);
  assert_int_equal(ts_alloc_calls(), calls);
  lg_policy_free(p);
  lg_rubric_free(r);
}

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

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(the_reference_rubric_reads_six_attributes_and_four_event_types),
    T(an_attribute_compared_with_two_types_has_no_single_type),
    T(a_policy_lists_attributes_then_events_once_each),
    T(a_policy_attribute_of_two_types_has_none),
    T(a_policy_reading_only_scores_lists_nothing),
    T(input_queries_never_allocate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
