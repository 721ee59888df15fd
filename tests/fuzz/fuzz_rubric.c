/*
 * fuzz_rubric.c - libFuzzer target for lg_rubric_parse.
 *
 * The input is rubric text.  Whatever it is, parsing must not crash, leak
 * or hit undefined behaviour, must fill lg_error by its contract and must
 * leave *out alone on failure.  A rubric that parses must survive the
 * round trip: its canonical text parses again to the same canonical text
 * and fingerprint, and the fingerprint is the documented FNV-1a of that
 * text.  Then it is scored against two fixed leads (one rich, one empty)
 * and the scoring invariants of fuzz_common.h are checked, so that every
 * odd rubric the fuzzer invents also exercises score.c and decay.c.
 */
#include "fuzz_common.h"

#include "../reference_example.h"

static lg_lead *rich, *empty;

static lg_status rubric_text(const void *obj, char *buf, size_t cap, size_t *needed) {
  return lg_rubric_to_text((const lg_rubric *)obj, buf, cap, needed);
}

static void must(lg_status st) { FZ_CHECK(st == LG_OK, "setup: %s", lg_status_name(st)); }

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const lg_time t = LG_EXAMPLE_EPOCH;
  int           i;
  (void)argc;
  (void)argv;
  /* Attribute names the seed corpus uses, of every type, plus events with
   * ages around the usual decay spans. */
  must(lg_lead_create("rich", &rich));
  must(lg_lead_set_text(rich, "need", "High"));
  must(lg_lead_set_int(rich, "timeframe_months", 5));
  must(lg_lead_set_text(rich, "role", "economic buyer"));
  must(lg_lead_set_text(rich, "industry", "mining"));
  must(lg_lead_set_text(rich, "persona", "student"));
  must(lg_lead_set_int(rich, "employees", 7));
  must(lg_lead_set_bool(rich, "opted_in", 1));
  must(lg_lead_set_int(rich, "budget", -3));
  for (i = 0; i < 12; i++) {
    must(lg_lead_add_event(rich, "content_download", t - i * INT64_C(86400) * 3));
    if (i % 4 == 0) must(lg_lead_add_event(rich, "webinar_attended", t - i * INT64_C(86400) * 9));
  }
  must(lg_lead_add_event(rich, "demo_requested", t - INT64_C(86400) * 29));
  must(lg_lead_add_event(rich, "unsubscribed", t - 1));
  must(lg_lead_add_event(rich, "demo_requested", t + 3600)); /* in the future */
  must(lg_lead_create("empty", &empty));
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lg_rubric *r = (lg_rubric *)&r, *again = NULL; /* a sentinel that must survive failure */
  lg_rubric *const sentinel = r;
  lg_error   err;
  lg_status  st;
  char      *text1, *text2;
  size_t     n1, n2;

  memset(&err, 0x5a, sizeof err); /* the parser must fill all of it */
  st = lg_rubric_parse((const char *)data, size, &r, &err);
  fz_check_error(&err, st);
  if (st != LG_OK) {
    FZ_CHECK(r == sentinel, "*out written on failure (%s)", lg_status_name(st));
    return 0;
  }

  text1 = fz_to_text(rubric_text, r, &n1);
  FZ_CHECK(lg_rubric_fingerprint(r) == fz_fnv1a(text1, n1), "fingerprint is not FNV-1a");
  st = lg_rubric_parse(text1, n1, &again, &err);
  FZ_CHECK(st == LG_OK, "canonical text does not parse: %s at %u:%u: %s\n%s",
           lg_status_name(st), err.line, err.column, err.message, text1);
  text2 = fz_to_text(rubric_text, again, &n2);
  FZ_CHECK(n1 == n2 && memcmp(text1, text2, n1) == 0,
           "canonical text is not a fixed point:\n--- first\n%s--- second\n%s", text1, text2);
  FZ_CHECK(lg_rubric_fingerprint(r) == lg_rubric_fingerprint(again), "fingerprint changed");
  FZ_CHECK(strcmp(lg_rubric_name(r), lg_rubric_name(again)) == 0, "name changed");
  FZ_CHECK(lg_rubric_max_fit(r) == lg_rubric_max_fit(again), "max fit changed");

  fz_check_scoring(r, rich, LG_EXAMPLE_EPOCH);
  fz_check_scoring(r, rich, LG_EXAMPLE_EPOCH + INT64_C(86400) * 400);
  fz_check_scoring(r, rich, LG_TIME_MAX);
  fz_check_scoring(r, empty, LG_TIME_MIN);
  fz_check_scoring(r, empty, LG_EXAMPLE_EPOCH);

  free(text1);
  free(text2);
  lg_rubric_free(again);
  lg_rubric_free(r);
  return 0;
}
