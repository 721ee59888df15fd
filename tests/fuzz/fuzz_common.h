/*
 * fuzz_common.h - helpers shared by the libFuzzer targets: a loud check
 * that aborts (so libFuzzer records the input), the round-trip check every
 * parser must pass, and a byte reader for structure-aware targets.
 *
 * Everything is static: each target is one translation unit and the
 * helpers a target does not use must not warn, hence the `unused`
 * attribute (fuzz targets are clang-only, see CMakeLists.txt).
 */
#ifndef LG_FUZZ_COMMON_H
#define LG_FUZZ_COMMON_H

#include <leadgate.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_UNUSED __attribute__((unused))

/* abort() with a message: libFuzzer treats it as a crash and saves the
 * input, which is exactly what an invariant violation should do. */
#define FZ_CHECK(cond, ...)                                              \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: invariant failed: %s\n  ", __FILE__,       \
              __LINE__, #cond);                                          \
      fprintf(stderr, __VA_ARGS__);                                      \
      fputc('\n', stderr);                                               \
      abort();                                                           \
    }                                                                    \
  } while (0)

/* The documented fingerprint: FNV-1a 64 of the canonical text. */
static FZ_UNUSED uint64_t fz_fnv1a(const char *s, size_t n) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t   i;
  for (i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* The lg_error contract after a parse: status mirrors the return value, a
 * message is present exactly on failure and always NUL-terminated, and a
 * syntax error carries a 1-based position. */
static FZ_UNUSED void fz_check_error(const lg_error *err, lg_status st) {
  FZ_CHECK(err->status == (int32_t)st, "err.status %d, returned %d", err->status, (int)st);
  FZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL, "message not terminated");
  if (st == LG_OK) {
    FZ_CHECK(err->message[0] == '\0' && err->line == 0 && err->column == 0,
             "success leaves an error behind: %u:%u %s", err->line, err->column,
             err->message);
  } else {
    FZ_CHECK(err->message[0] != '\0', "failure %s without a message", lg_status_name(st));
    if (st == LG_ERR_SYNTAX)
      FZ_CHECK(err->line >= 1 && err->column >= 1, "syntax error at %u:%u: %s", err->line,
               err->column, err->message);
  }
}

/* Canonical text of an object through a snprintf-style to_text function,
 * checking the buffer contract on the way (a short buffer is LG_ERR_BUFFER
 * and untouched, the exact size works).  Returns a malloc'd string.  Each
 * target wraps its lg_X_to_text in a function of this exact type: calling
 * through a cast function pointer would itself be undefined behaviour. */
typedef lg_status (*fz_to_text_fn)(const void *obj, char *buf, size_t cap, size_t *needed);

static FZ_UNUSED char *fz_to_text(fz_to_text_fn to_text, const void *obj, size_t *len) {
  size_t needed = 0, again = 0;
  char   probe[4] = {'x', 'x', 'x', 'x'};
  char  *buf;
  FZ_CHECK(to_text(obj, NULL, 0, &needed) == LG_ERR_BUFFER, "cap 0 must be LG_ERR_BUFFER");
  FZ_CHECK(needed >= 1, "needed %zu counts no NUL", needed);
  if (needed > 1) {
    FZ_CHECK(to_text(obj, probe, 1, &again) == LG_ERR_BUFFER, "short buffer accepted");
    FZ_CHECK(again == needed && probe[0] == 'x', "short buffer written or size changed");
  }
  buf = malloc(needed);
  FZ_CHECK(buf != NULL, "out of memory");
  FZ_CHECK(to_text(obj, buf, needed, &again) == LG_OK, "exact buffer refused");
  FZ_CHECK(again == needed && buf[needed - 1] == '\0' && strlen(buf) == needed - 1,
           "to_text length %zu vs needed %zu", strlen(buf), needed);
  *len = needed - 1;
  return buf;
}

/* ---- byte reader for structure-aware targets ----------------------------
 * Reads past the end yield zeros, so every input is a complete program. */
typedef struct fz_reader {
  const uint8_t *p;
  size_t         n, pos;
} fz_reader;

static FZ_UNUSED int fz_more(const fz_reader *r) { return r->pos < r->n; }

static FZ_UNUSED uint8_t fz_u8(fz_reader *r) { return r->pos < r->n ? r->p[r->pos++] : 0; }

static FZ_UNUSED uint32_t fz_u32(fz_reader *r) {
  uint32_t v = 0;
  int      i;
  for (i = 0; i < 4; i++) v = (v << 8) | fz_u8(r);
  return v;
}

static FZ_UNUSED uint64_t fz_u64(fz_reader *r) {
  uint64_t hi = fz_u32(r);
  return (hi << 32) | fz_u32(r);
}

/* A time: mostly within a few months of the base (where the interesting
 * interactions are), sometimes anywhere, sometimes at the edges of the
 * valid range or outside it. */
static FZ_UNUSED lg_time fz_time(fz_reader *r, lg_time base) {
  uint8_t sel = fz_u8(r);
  switch (sel & 15u) {
  case 0: return LG_TIME_MIN;
  case 1: return LG_TIME_MAX;
  case 2: return (lg_time)fz_u64(r); /* anything, valid or not */
  case 3: return INT64_MIN;
  case 4: return INT64_MAX;
  case 5: return LG_TIME_MAX - (lg_time)(fz_u32(r) & 0xffffffu);
  default: {
    /* +-~97 days, second resolution, biased to whole minutes. */
    int64_t off = (int64_t)(int32_t)fz_u32(r) % (INT64_C(97) * 86400);
    if (sel & 0x80u) off -= off % 60;
    return base + off;
  }
  }
}

/* ---- scoring invariants, shared by the rubric and lead targets ----------
 * What must hold for any rubric, lead and valid `now`:
 *   total == fit + engagement; lg_score_many agrees with lg_score_lead;
 *   lg_explain has one entry per criterion whose fit / engagement points
 *   sum to the score, whose missing flags count missing_count, whose
 *   knockout entries agree with knocked_out / knockout_index, and whose
 *   fit maxima sum to lg_rubric_max_fit; no entry beats its own maximum. */
#define FZ_MAX_ITEMS 1024

static FZ_UNUSED void fz_check_scoring(const lg_rubric *rubric, const lg_lead *lead,
                                       lg_time now) {
  static lg_contribution items[FZ_MAX_ITEMS];
  lg_score               s, many;
  const lg_lead         *one[1];
  size_t                 count = 0, i, needed = 0;
  lg_points              fit = 0, eng = 0, max_fit = 0;
  uint32_t               missing = 0;
  int32_t                ko_seen = 0, first_ko = -1;
  lg_status              st;
  const char            *attr = NULL;
  lg_points              gain = 0;

  st = lg_score_lead(rubric, lead, now, &s);
  if (now < LG_TIME_MIN || now > LG_TIME_MAX) {
    FZ_CHECK(st == LG_ERR_RANGE, "now %lld accepted: %s", (long long)now, lg_status_name(st));
    return;
  }
  FZ_CHECK(st == LG_OK, "score: %s", lg_status_name(st));
  FZ_CHECK(s.total == s.fit + s.engagement, "total %lld != %lld + %lld", (long long)s.total,
           (long long)s.fit, (long long)s.engagement);
  FZ_CHECK((s.knocked_out != 0) == (s.knockout_index >= 0) && s.reserved == 0,
           "knocked_out %d index %d", s.knocked_out, s.knockout_index);
  one[0] = lead;
  FZ_CHECK(lg_score_many(rubric, one, 1, now, &many) == LG_OK &&
               memcmp(&many, &s, sizeof s) == 0,
           "score_many disagrees with score_lead");

  st = lg_explain(rubric, lead, now, NULL, 0, &needed);
  FZ_CHECK(st == LG_OK || st == LG_ERR_BUFFER, "explain measure: %s", lg_status_name(st));
  FZ_CHECK(needed <= FZ_MAX_ITEMS, "%zu explanation entries", needed);
  st = lg_explain(rubric, lead, now, items, FZ_MAX_ITEMS, &count);
  FZ_CHECK(st == LG_OK && count == needed, "explain: %s, %zu vs %zu", lg_status_name(st),
           count, needed);
  for (i = 0; i < count; i++) {
    const lg_contribution *c = &items[i];
    FZ_CHECK(c->criterion && c->attribute, "entry %zu without names", i);
    FZ_CHECK(c->points <= c->max_points || c->kind == LG_KIND_ENGAGEMENT,
             "entry %zu (%s): %lld over its max %lld", i, c->criterion, (long long)c->points,
             (long long)c->max_points);
    switch (c->kind) {
    case LG_KIND_FIT:
      fit += c->points;
      max_fit += c->max_points;
      missing += c->missing ? 1u : 0u;
      break;
    case LG_KIND_ENGAGEMENT:
      /* The cap applies to |sum|: the magnitude is what is bounded. */
      FZ_CHECK(c->max_points >= 0 && (c->points <= c->max_points && -c->points <= c->max_points),
               "engagement entry %zu (%s): %lld outside +-%lld", i, c->criterion,
               (long long)c->points, (long long)c->max_points);
      eng += c->points;
      break;
    case LG_KIND_KNOCKOUT:
      FZ_CHECK(c->points == 0 || c->points == 1000, "knockout points %lld",
               (long long)c->points);
      if (c->points && first_ko < 0) first_ko = ko_seen;
      ko_seen++;
      break;
    default: FZ_CHECK(0, "entry %zu: kind %d", i, c->kind);
    }
  }
  FZ_CHECK(fit == s.fit, "explained fit %lld, scored %lld", (long long)fit, (long long)s.fit);
  FZ_CHECK(eng == s.engagement, "explained engagement %lld, scored %lld", (long long)eng,
           (long long)s.engagement);
  FZ_CHECK(missing == s.missing_count, "explained missing %u, scored %u", missing,
           s.missing_count);
  FZ_CHECK(first_ko == s.knockout_index, "explained knockout %d, scored %d", first_ko,
           s.knockout_index);
  FZ_CHECK(max_fit == lg_rubric_max_fit(rubric), "max fit %lld vs %lld", (long long)max_fit,
           (long long)lg_rubric_max_fit(rubric));
  FZ_CHECK(s.fit <= max_fit, "fit %lld above max %lld", (long long)s.fit, (long long)max_fit);

  st = lg_next_question(rubric, lead, &attr, &gain);
  FZ_CHECK(st == LG_OK || st == LG_ERR_NOT_FOUND, "next_question: %s", lg_status_name(st));
  if (st == LG_OK) FZ_CHECK(attr != NULL, "next_question without an attribute");
  if (s.missing_count == 0) FZ_CHECK(st == LG_ERR_NOT_FOUND, "a question with nothing missing");
}

/* ---- SLA invariants, shared by the policy and lead targets --------------
 * For a valid `now`: next_at is LG_TIME_NEVER or later than now; state and
 * action are in their enums; LG_SLA_NONE reports no times.  When nothing
 * on the lead's timeline lies after `now` (`quiet`), next_at is exact: one
 * second before it nothing has changed yet, at it something has. */
static FZ_UNUSED void fz_check_sla(const lg_policy *policy, const lg_lead *lead, lg_time now,
                                   int quiet) {
  lg_sla_status s, before, at;
  lg_status     st = lg_sla_eval(policy, lead, now, &s);

  if (now < LG_TIME_MIN || now > LG_TIME_MAX) {
    FZ_CHECK(st == LG_ERR_RANGE, "sla now %lld: %s", (long long)now, lg_status_name(st));
    return;
  }
  FZ_CHECK(st == LG_OK, "sla_eval: %s", lg_status_name(st));
  FZ_CHECK(s.next_at == LG_TIME_NEVER || s.next_at > now, "next_at %lld <= now %lld",
           (long long)s.next_at, (long long)now);
  FZ_CHECK(s.state >= LG_SLA_NONE && s.state <= LG_SLA_MET_LATE, "state %d", s.state);
  FZ_CHECK(s.action >= LG_ACTION_NONE && s.action <= LG_ACTION_RECYCLE, "action %d", s.action);
  FZ_CHECK(s.reassignments >= 0 && s.reserved2[0] == 0 && s.reserved2[1] == 0,
           "reassignments %d", s.reassignments);
  FZ_CHECK(s.state == LG_SLA_NONE ? s.tier == -1 : s.tier >= 0, "tier %d", s.tier);
  if (s.state == LG_SLA_NONE) {
    FZ_CHECK(s.action == LG_ACTION_NONE && s.next_at == LG_TIME_NEVER && s.started_at == 0 &&
                 s.due_at == 0 && s.elapsed == 0 && s.remaining == 0,
             "LG_SLA_NONE with times");
    return;
  }
  FZ_CHECK(s.started_at <= now && s.elapsed >= 0, "started %lld elapsed %lld",
           (long long)s.started_at, (long long)s.elapsed);
  if (s.state == LG_SLA_BREACHED) FZ_CHECK(s.remaining <= 0, "breached with time left");
  if (s.state == LG_SLA_RUNNING || s.state == LG_SLA_WARNING)
    FZ_CHECK(s.remaining > 0, "running with %lld left", (long long)s.remaining);
  if (!quiet || s.next_at == LG_TIME_NEVER || s.next_at > LG_TIME_MAX) return;
  FZ_CHECK(lg_sla_eval(policy, lead, s.next_at - 1, &before) == LG_OK, "eval next_at-1");
  FZ_CHECK(before.state == s.state && before.action == s.action,
           "changed before next_at %lld: state %d->%d action %d->%d", (long long)s.next_at,
           s.state, before.state, s.action, before.action);
  FZ_CHECK(lg_sla_eval(policy, lead, s.next_at, &at) == LG_OK, "eval next_at");
  FZ_CHECK(at.state != s.state || at.action != s.action,
           "nothing changes at next_at %lld (state %d action %d)", (long long)s.next_at,
           s.state, s.action);
}

/* ---- decision invariants, shared by the policy and lead targets ---------
 * The score inside a decision is lg_score_lead's; the verdict is in range;
 * grade and reason are terminated; the fingerprints name the definitions;
 * the recommended stage follows the header's table and never goes back. */
static FZ_UNUSED void fz_check_decision(const lg_rubric *rubric, const lg_policy *policy,
                                        const lg_lead *lead, lg_time now) {
  lg_decision d;
  lg_score    s;
  lg_status   st = lg_decide(rubric, policy, lead, now, &d);
  int32_t     cur = (int32_t)lg_lead_stage(lead), want = cur;

  if (now < LG_TIME_MIN || now > LG_TIME_MAX) {
    FZ_CHECK(st == LG_ERR_RANGE, "decide now %lld: %s", (long long)now, lg_status_name(st));
    return;
  }
  FZ_CHECK(st == LG_OK, "decide: %s", lg_status_name(st));
  FZ_CHECK(lg_score_lead(rubric, lead, now, &s) == LG_OK && memcmp(&s, &d.score, sizeof s) == 0,
           "decision score differs from lg_score_lead");
  FZ_CHECK(d.verdict >= LG_VERDICT_NURTURE && d.verdict <= LG_VERDICT_DISQUALIFY, "verdict %d",
           d.verdict);
  FZ_CHECK(memchr(d.grade, '\0', sizeof d.grade) && memchr(d.reason, '\0', sizeof d.reason),
           "grade or reason not terminated");
  FZ_CHECK(d.rubric_fingerprint == lg_rubric_fingerprint(rubric) &&
               d.policy_fingerprint == lg_policy_fingerprint(policy),
           "fingerprints");
  if (d.verdict == LG_VERDICT_MQL && (cur == LG_STAGE_NEW || cur == LG_STAGE_NURTURE))
    want = LG_STAGE_MQL;
  else if (d.verdict == LG_VERDICT_DISQUALIFY &&
           (cur == LG_STAGE_NEW || cur == LG_STAGE_NURTURE || cur == LG_STAGE_MQL))
    want = LG_STAGE_DISQUALIFIED;
  else if (d.verdict == LG_VERDICT_NURTURE && cur == LG_STAGE_NEW)
    want = LG_STAGE_NURTURE;
  FZ_CHECK(d.stage == want, "stage %d recommended from %d for verdict %d (want %d)", d.stage,
           cur, d.verdict, want);
}

#endif /* LG_FUZZ_COMMON_H */
