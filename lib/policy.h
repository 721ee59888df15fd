/*
 * policy.h - the parsed policy, shared by policy.c (which builds, prints
 * and frees it) and decide.c (which applies it).  Private to those two;
 * the SLA, routing and stats modules read the policy only through
 * lg__policy_followup / lg__policy_route in internal.h.
 */
#ifndef LG_POLICY_H
#define LG_POLICY_H

#include "internal.h"

#define LG__MAX_GRADES     256
#define LG__MAX_GRADE_NAME 15 /* bytes: lg_decision.grade is char[16] */
#define LG__MAX_FOLLOWUPS  256
LG__STATIC_ASSERT(sizeof(((lg_decision *)0)->grade) == LG__MAX_GRADE_NAME + 1,
                  grade_fits_the_decision);

typedef struct lg__grade {
  char     name[LG__MAX_GRADE_NAME + 1]; /* NUL-terminated */
  uint32_t name_len;
  int32_t  has_cond; /* 0: the fallback grade, matches every lead */
  lg__expr cond;
} lg__grade;

struct lg_policy {
  char        *name; /* the `policy "..."` line; NULL when absent */
  size_t       name_len;
  lg__expr     disqualify; /* always set: `knockout` when the text has none */
  int32_t      has_qualify;
  lg__expr     qualify;
  lg__grade   *grades; /* text order; first match wins */
  uint32_t     n_grades, cap_grades;
  lg_calendar *calendar; /* NULL: always open */
  lg__followup *followups; /* text order; the first that holds applies */
  uint32_t      n_followups, cap_followups;
  int32_t      route; /* LG__ROUTE_* */
  uint64_t     fingerprint;
};

#endif /* LG_POLICY_H */
