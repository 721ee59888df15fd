/*
 * status.c - status codes, their names and messages, error records, and
 * the version.
 */
#include "internal.h"

#include <string.h>

typedef struct status_text {
  const char *name;
  const char *message;
} status_text;

/* One list: each entry is keyed by its enumerator, and the name is the
 * enumerator's own spelling, so the table cannot drift from the enum. */
#define LG__STATUS(code, text) [code] = { #code, text }
static const status_text status_texts[] = {
  LG__STATUS(LG_OK, "The call succeeded."),
  LG__STATUS(LG_ERR_NOMEM, "An allocation failed; nothing was changed."),
  LG__STATUS(LG_ERR_INVALID,
             "An argument was invalid (NULL where not allowed, a malformed name, ...)."),
  LG__STATUS(LG_ERR_SYNTAX, "The text definition does not parse; the error gives line and column."),
  LG__STATUS(LG_ERR_NOT_FOUND, "No such attribute, rep or criterion."),
  LG__STATUS(LG_ERR_RANGE, "A number or time is out of range, or the result would overflow."),
  LG__STATUS(LG_ERR_LIMIT, "A documented limit was exceeded."),
  LG__STATUS(LG_ERR_TYPE, "A value has the wrong type for the operation."),
  LG__STATUS(LG_ERR_STATE, "The operation is not allowed in the object's current state."),
  LG__STATUS(LG_ERR_BUFFER, "The caller's buffer is too small; the needed size was reported."),
};
#undef LG__STATUS
LG__STATIC_ASSERT(sizeof status_texts / sizeof status_texts[0] == LG_ERR_BUFFER + 1,
                  status_table_covers_every_code);

static const status_text unknown_status = { "LG_ERR_UNKNOWN",
                                            "The status code is not one leadgate defines." };

static const status_text *status_lookup(lg_status status) {
  size_t i = (size_t)status;
  if ((int)status < 0 || i >= sizeof status_texts / sizeof status_texts[0] || !status_texts[i].name)
    return &unknown_status;
  return &status_texts[i];
}

const char *lg_status_name(lg_status status) { return status_lookup(status)->name; }

const char *lg_status_message(lg_status status) { return status_lookup(status)->message; }

/* ---- enum names ---------------------------------------------------------- */

static const char *const stage_names[] = {
  [LG_STAGE_NEW] = "new", [LG_STAGE_NURTURE] = "nurture", [LG_STAGE_MQL] = "mql",
  [LG_STAGE_SAL] = "sal", [LG_STAGE_SQL] = "sql",         [LG_STAGE_OPPORTUNITY] = "opportunity",
  [LG_STAGE_WON] = "won", [LG_STAGE_LOST] = "lost",       [LG_STAGE_DISQUALIFIED] = "disqualified"
};
static const char *const verdict_names[] = {
  [LG_VERDICT_NURTURE] = "nurture", [LG_VERDICT_MQL] = "mql", [LG_VERDICT_DISQUALIFY] = "disqualify"
};
static const char *const action_names[] = {
  [LG_ACTION_NONE] = "none",         [LG_ACTION_WARN] = "warn",
  [LG_ACTION_REMIND] = "remind",     [LG_ACTION_ESCALATE] = "escalate",
  [LG_ACTION_REASSIGN] = "reassign", [LG_ACTION_RECYCLE] = "recycle"
};
static const char *const sla_state_names[] = {
  [LG_SLA_NONE] = "none",         [LG_SLA_RUNNING] = "running", [LG_SLA_WARNING] = "warning",
  [LG_SLA_BREACHED] = "breached", [LG_SLA_MET] = "met",         [LG_SLA_MET_LATE] = "met_late"
};
static const char *const kind_names[] = {
  [LG_KIND_FIT] = "fit", [LG_KIND_ENGAGEMENT] = "engagement", [LG_KIND_KNOCKOUT] = "knockout"
};

#define LG__COUNT(a) (sizeof(a) / sizeof((a)[0]))
LG__STATIC_ASSERT(LG__COUNT(stage_names) == LG_STAGE_DISQUALIFIED + 1, stage_names_complete);
LG__STATIC_ASSERT(LG__COUNT(action_names) == LG_ACTION_RECYCLE + 1, action_names_complete);
LG__STATIC_ASSERT(LG__COUNT(sla_state_names) == LG_SLA_MET_LATE + 1, sla_names_complete);

static const char *name_of(const char *const *names, size_t n, int value) {
  if (value < 0 || (size_t)value >= n) return NULL;
  return names[value];
}

/* Index of `name` among names[0..n) compared ASCII-case-insensitively. */
static lg_status index_of(const char *const *names, size_t n, const char *name, int *out) {
  size_t i, len;
  if (!name || !out) return LG_ERR_INVALID;
  len = strlen(name);
  for (i = 0; i < n; i++)
    if (lg__text_ieq(names[i], strlen(names[i]), name, len)) {
      *out = (int)i;
      return LG_OK;
    }
  return LG_ERR_NOT_FOUND;
}

const char *lg_stage_name(lg_stage stage) {
  return name_of(stage_names, LG__COUNT(stage_names), (int)stage);
}
const char *lg_verdict_name(lg_verdict verdict) {
  return name_of(verdict_names, LG__COUNT(verdict_names), (int)verdict);
}
const char *lg_action_name(lg_action action) {
  return name_of(action_names, LG__COUNT(action_names), (int)action);
}
const char *lg_sla_state_name(lg_sla_state state) {
  return name_of(sla_state_names, LG__COUNT(sla_state_names), (int)state);
}
const char *lg_kind_name(lg_kind kind) {
  return name_of(kind_names, LG__COUNT(kind_names), (int)kind);
}

lg_status lg_stage_from_name(const char *name, lg_stage *out) {
  int       v = 0;
  lg_status st = index_of(stage_names, LG__COUNT(stage_names), name, out ? &v : NULL);
  if (st == LG_OK) *out = (lg_stage)v;
  return st;
}

lg_status lg_action_from_name(const char *name, lg_action *out) {
  int       v = 0;
  lg_status st = index_of(action_names, LG__COUNT(action_names), name, out ? &v : NULL);
  if (st == LG_OK) *out = (lg_action)v;
  return st;
}

/* ---- struct sizes -------------------------------------------------------- */

size_t lg_struct_size(lg_struct_id id) {
  switch (id) {
  case LG_STRUCT_ERROR: return sizeof(lg_error);
  case LG_STRUCT_ALLOCATOR: return sizeof(lg_allocator);
  case LG_STRUCT_SCORE: return sizeof(lg_score);
  case LG_STRUCT_CONTRIBUTION: return sizeof(lg_contribution);
  case LG_STRUCT_DECISION: return sizeof(lg_decision);
  case LG_STRUCT_SLA_STATUS: return sizeof(lg_sla_status);
  case LG_STRUCT_REP: return sizeof(lg_rep);
  case LG_STRUCT_REP_STATS: return sizeof(lg_rep_stats);
  case LG_STRUCT_FINDING: return sizeof(lg_finding);
  case LG_STRUCT_LEARN_OPTIONS: return sizeof(lg_learn_options);
  }
  return 0;
}

unsigned lg_version_number(void) { return (unsigned)LG_VERSION_NUMBER; }

const char *lg_version_string(void) { return LG_VERSION_STRING; }

/* ---- errors ------------------------------------------------------------- */

void lg__error_clear(lg_error *err) {
  if (!err) return;
  err->status = LG_OK;
  err->line = 0;
  err->column = 0;
  err->message[0] = '\0';
}

void lg__error_set(lg_error *err, lg_status st, const char *msg) {
  size_t n;
  if (!err) return;
  err->status = (int32_t)st;
  err->line = 0;
  err->column = 0;
  n = strlen(msg);
  if (n >= sizeof err->message) n = sizeof err->message - 1;
  memcpy(err->message, msg, n);
  err->message[n] = '\0';
}
