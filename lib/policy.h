/*
 * policy.h - the parsed policy, shared by policy.c (which builds, prints
 * and frees it), decide.c and wake.c (which apply it), and lint.c (which
 * checks it).  Private to those;
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
  uint32_t line;     /* source line, for lg_lint (lint.c) */
  lg__expr cond;
} lg__grade;

struct lg_policy {
  char         *name; /* the `policy "..."` line; NULL when absent */
  size_t        name_len;
  lg__expr      disqualify; /* always set: `knockout` when the text has none */
  int32_t       has_qualify;
  uint32_t      disqualify_line, qualify_line; /* source lines (0: none), for lint.c */
  lg__expr      qualify;
  lg__grade    *grades; /* text order; first match wins */
  uint32_t      n_grades, cap_grades;
  lg_calendar  *calendar;  /* NULL: always open */
  lg__followup *followups; /* text order; the first that holds applies */
  uint32_t      n_followups, cap_followups;
  int32_t       route; /* LG__ROUTE_* */
  uint64_t      fingerprint;
};

/* ---- decide.c and wake.c ------------------------------------------------ */

/* The stage a verdict recommends for a lead now in `stage`. */
int32_t lg__recommended_stage(int32_t verdict, int32_t stage);
/* The policy's verdict and grade (index into grades, -1 for none) for the
 * score, lead and instant in ctx; returns whether the deciding rule held
 * (the disqualify rule, else the qualify rule).  *touched (NULL: not
 * wanted) gets what the rules consulted (lg__expr_eval_touched).  Does not
 * allocate. */
int lg__decide_judge(const lg_policy *policy, const lg__expr_ctx *ctx, int32_t *verdict,
                     int32_t *grade, unsigned *touched);
/* lg_decision.next_at for the decision (verdict, grade) made at `now` from
 * `score`, whose rules consulted `touched` (wake.c).  Does not allocate. */
lg_time lg__decide_wake(const lg_rubric *rubric, const lg_policy *policy, const lg_lead *lead,
                        lg_time now, const lg_score *score, int32_t verdict, int32_t grade,
                        unsigned touched);

#endif /* LG_POLICY_H */
