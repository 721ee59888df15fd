/* consumer.c - a program built against an installed leadgate, both through
 * pkg-config and through find_package(leadgate): proves the install works. */
#include <leadgate.h>
#include <stdio.h>

int main(void) {
  static const char rubric_text[] = "rubric \"tiny\"\nfit \"need\" from need\n  when \"high\" -> 3\n";
  lg_rubric *rubric = NULL;
  lg_lead   *lead = NULL;
  lg_score   score;
  lg_error   err;
  int        ok;

  if (lg_version_number() != LG_VERSION_NUMBER) return 1;
  if (lg_rubric_parse(rubric_text, sizeof rubric_text - 1, &rubric, &err) != LG_OK) return 2;
  if (lg_lead_create("c-1", &lead) != LG_OK) return 3;
  if (lg_lead_set_text(lead, "need", "HIGH") != LG_OK) return 4;
  if (lg_score_lead(rubric, lead, 0, &score) != LG_OK) return 5;
  ok = score.fit == 3000;
  printf("leadgate %s: fit %lld.%03lld %s\n", lg_version_string(), (long long)(score.fit / 1000),
         (long long)(score.fit % 1000), ok ? "ok" : "WRONG");
  lg_lead_free(lead);
  lg_rubric_free(rubric);
  return ok ? 0 : 6;
}
