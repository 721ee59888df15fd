/*
 * test_reference.c - the reference rubric and policy (DESIGN's examples)
 * exist in several places for different readers: tests/reference_example.h
 * for the C tests, examples/rubrics/b2b.rubric and
 * examples/policies/inbound.policy for the programs and the README, the
 * fuzz corpora.  They must be one definition: every copy has the same
 * fingerprint.  Tests run in the source tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leadgate.h"
#include "reference_example.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long  n;
  if (!f) fail_msg("cannot open %s (tests run in the source tree)", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n >= 0);
  rewind(f);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

static uint64_t rubric_file_fingerprint(const char *path) {
  size_t     n;
  char      *text = slurp(path, &n);
  lg_rubric *r = NULL;
  lg_error   err;
  uint64_t   fp;
  if (lg_rubric_parse(text, n, &r, &err) != LG_OK)
    fail_msg("%s:%u:%u: %s", path, err.line, err.column, err.message);
  fp = lg_rubric_fingerprint(r);
  lg_rubric_free(r);
  free(text);
  return fp;
}

static uint64_t policy_file_fingerprint(const char *path) {
  size_t     n;
  char      *text = slurp(path, &n);
  lg_policy *p = NULL;
  lg_error   err;
  uint64_t   fp;
  if (lg_policy_parse(text, n, &p, &err) != LG_OK)
    fail_msg("%s:%u:%u: %s", path, err.line, err.column, err.message);
  fp = lg_policy_fingerprint(p);
  lg_policy_free(p);
  free(text);
  return fp;
}

static void every_copy_of_the_reference_rubric_is_the_same_rubric(void **state) {
  lg_rubric *r = NULL;
  uint64_t   fp;
  (void)state;
  assert_int_equal(lg_rubric_parse(lg_example_rubric, sizeof lg_example_rubric - 1, &r, NULL),
                   LG_OK);
  fp = lg_rubric_fingerprint(r);
  lg_rubric_free(r);
  assert_true(rubric_file_fingerprint("examples/rubrics/b2b.rubric") == fp);
  assert_true(rubric_file_fingerprint("tests/fuzz/corpus/rubric/reference_example.txt") == fp);
}

static void every_copy_of_the_reference_policy_is_the_same_policy(void **state) {
  lg_policy *p = NULL;
  uint64_t   fp;
  (void)state;
  assert_int_equal(lg_policy_parse(lg_example_policy, sizeof lg_example_policy - 1, &p, NULL),
                   LG_OK);
  fp = lg_policy_fingerprint(p);
  lg_policy_free(p);
  assert_true(policy_file_fingerprint("examples/policies/inbound.policy") == fp);
  assert_true(policy_file_fingerprint("tests/fuzz/corpus/policy/reference_example.txt") == fp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_copy_of_the_reference_rubric_is_the_same_rubric),
    cmocka_unit_test(every_copy_of_the_reference_policy_is_the_same_policy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
