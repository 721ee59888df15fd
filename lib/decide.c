/*
 * decide.c - lg_decide: score a lead, apply the policy's disqualify,
 * qualify and grade rules, and say why, without allocating.
 */
#include "policy.h"

#include <string.h>

/* The stage a verdict recommends.  A decision never moves a lead
 * backwards: sales stages (SAL and later), closed and disqualified leads
 * keep theirs, an MQL is not sent back to nurture, and only a lead that
 * has not been worked yet (NEW) is moved into nurture. */
int32_t lg__recommended_stage(int32_t verdict, int32_t stage) {
  switch (verdict) {
  case LG_VERDICT_MQL:
    return stage == LG_STAGE_NEW || stage == LG_STAGE_NURTURE ? LG_STAGE_MQL : stage;
  case LG_VERDICT_DISQUALIFY:
    return stage == LG_STAGE_NEW || stage == LG_STAGE_NURTURE || stage == LG_STAGE_MQL
               ? LG_STAGE_DISQUALIFIED
               : stage;
  default: return stage == LG_STAGE_NEW ? LG_STAGE_NURTURE : stage;
  }
}

/* Copies what `b` produced into out[cap] (b wrote up to cap bytes into
 * out).  A text that does not fit is cut at a UTF-8 character boundary
 * and ends with "...", all within cap bytes. */
static void finish_text(char *out, size_t cap, const lg__buf *b) {
  size_t end = b->len;
  if (end >= cap) {
    end = cap - 4;
    /* out[end] is the first byte left out: if it continues a character,
     * that character's lead byte and the rest go too. */
    while (end > 0 && ((unsigned char)out[end] & 0xC0) == 0x80) end--;
    memcpy(out + end, "...", 3);
    end += 3;
  }
  out[end] = '\0';
}

static void set_reason(lg_decision *d, const lg__expr *rule, const lg__expr_ctx *ctx, int holds) {
  lg__buf b;
  lg__buf_init_text(&b, d->reason, sizeof d->reason);
  if (rule)
    lg__expr_reason(rule, ctx, holds, &b);
  else
    lg__buf_puts(&b, "no qualify rule");
  finish_text(d->reason, sizeof d->reason, &b);
}

int lg__decide_judge(const lg_policy *policy, const lg__expr_ctx *ctx, int32_t *verdict,
                     int32_t *grade, unsigned *touched) {
  uint32_t i;
  int      holds = 0;
  if (lg__expr_eval_touched(&policy->disqualify, ctx, touched)) {
    *verdict = LG_VERDICT_DISQUALIFY;
    holds = 1;
  } else if (policy->has_qualify) {
    holds = lg__expr_eval_touched(&policy->qualify, ctx, touched);
    *verdict = holds ? LG_VERDICT_MQL : LG_VERDICT_NURTURE;
  } else {
    *verdict = LG_VERDICT_NURTURE;
  }
  /* The grade describes the lead whatever the verdict, so a disqualified
   * or nurtured lead is still graded. */
  *grade = -1;
  for (i = 0; i < policy->n_grades; i++) {
    const lg__grade *g = &policy->grades[i];
    if (!g->has_cond || lg__expr_eval_touched(&g->cond, ctx, touched)) {
      *grade = (int32_t)i;
      break;
    }
  }
  return holds;
}

lg_status lg_decide(const lg_rubric *rubric, const lg_policy *policy, const lg_lead *lead,
                    lg_time now, lg_decision *out) {
  lg__expr_ctx ctx;
  int32_t      verdict, grade;
  unsigned     touched = 0;
  int          holds;
  if (!rubric || !policy || !lead || !out) return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  /* Nothing below can fail (lg_score_lead checks only what was checked
   * above), so the decision is built in place, not copied there. */
  memset(out, 0, sizeof *out);
  (void)lg_score_lead(rubric, lead, now, &out->score);
  ctx.rubric = rubric;
  ctx.score = &out->score;
  ctx.lead = lead;
  ctx.now = now;

  holds = lg__decide_judge(policy, &ctx, &verdict, &grade, &touched);
  out->verdict = verdict;
  if (verdict == LG_VERDICT_DISQUALIFY)
    set_reason(out, &policy->disqualify, &ctx, 1);
  else if (!policy->has_qualify)
    set_reason(out, NULL, &ctx, 0);
  else
    set_reason(out, &policy->qualify, &ctx, holds);
  out->stage = lg__recommended_stage(out->verdict, lead->stage);
  if (grade >= 0) {
    const lg__grade *g = &policy->grades[grade];
    memcpy(out->grade, g->name, g->name_len + 1);
  }
  out->rubric_fingerprint = lg_rubric_fingerprint(rubric);
  out->policy_fingerprint = policy->fingerprint;
  out->next_at = lg__decide_wake(rubric, policy, lead, now, &out->score, verdict, grade, touched);
  return LG_OK;
}
