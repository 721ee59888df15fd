/*
 * runner.c - see runner.h.
 */
#include "runner.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leadgate.h>

void conf_printf(conf_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  if (b->oom) return;
  for (;;) {
    size_t room = b->cap - b->len;
    va_start(ap, fmt);
    n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0, fmt, ap);
    va_end(ap);
    if (n < 0) { b->oom = 1; return; }
    if (b->p && (size_t)n < room) { b->len += (size_t)n; return; }
    {
      size_t ncap = b->cap ? b->cap : 256;
      char *np;
      while (ncap - b->len <= (size_t)n) ncap *= 2;
      np = realloc(b->p, ncap);
      if (!np) { b->oom = 1; return; }
      b->p = np;
      b->cap = ncap;
    }
  }
}

void conf_string(conf_buf *b, const char *s) {
  conf_printf(b, "\"");
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"') conf_printf(b, "\\\"");
    else if (ch == '\\') conf_printf(b, "\\\\");
    else if (ch == '\n') conf_printf(b, "\\n");
    else if (ch == '\t') conf_printf(b, "\\t");
    else if (ch < 0x20) conf_printf(b, "\\u%04x", ch);
    else conf_printf(b, "%c", (char)ch);
  }
  conf_printf(b, "\"");
}

void conf_buf_free(conf_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

static void put_time(conf_buf *b, const char *key, lg_time t) {
  if (t == LG_TIME_NEVER) conf_printf(b, ",\"%s\":null", key);
  else conf_printf(b, ",\"%s\":%" PRId64, key, t);
}

/* ---- reading the case --------------------------------------------------- */

typedef struct ctx {
  const json *root, *c;
  char       *err;
  size_t      cap;
  int         bad;
} ctx;

static void malformed(ctx *x, const char *what, const char *name) {
  const json *id = json_get(x->c, "id");
  if (x->bad) return;
  x->bad = 1;
  snprintf(x->err, x->cap, "case %s: %s%s%s", id && id->type == JSON_STRING ? id->str : "?",
           what, name ? " " : "", name ? name : "");
}

static const json *need(ctx *x, const json *obj, const char *key, json_type type) {
  const json *v = json_get(obj, key);
  if (!v || v->type != type) {
    malformed(x, "missing or mistyped", key);
    return NULL;
  }
  return v;
}

static int64_t need_int(ctx *x, const json *obj, const char *key) {
  const json *v = need(x, obj, key, JSON_INT);
  return v ? v->num : 0;
}

/* The definition text the case names under `key` in map `map`. */
static const json *definition(ctx *x, const char *key, const char *map) {
  const json *name = need(x, x->c, key, JSON_STRING);
  const json *text;
  if (!name) return NULL;
  text = json_get(json_get(x->root, map), name->str);
  if (!text || text->type != JSON_STRING) {
    malformed(x, "unknown definition", name->str);
    return NULL;
  }
  return text;
}

/* The path from NEW to each stage (README.md, "Leads"), LG_STAGE_NEW-ended. */
static const lg_stage k_paths[9][6] = {
  {LG_STAGE_NEW},
  {LG_STAGE_NURTURE, LG_STAGE_NEW},
  {LG_STAGE_MQL, LG_STAGE_NEW},
  {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_NEW},
  {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_NEW},
  {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_NEW},
  {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_WON, LG_STAGE_NEW},
  {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL, LG_STAGE_OPPORTUNITY, LG_STAGE_LOST, LG_STAGE_NEW},
  {LG_STAGE_DISQUALIFIED, LG_STAGE_NEW},
};

/* Builds the lead the case names; returns the status of the first call
 * that failed (the lead is then freed). */
static lg_status build_lead(ctx *x, lg_lead **out) {
  const json *name = need(x, x->c, "lead", JSON_STRING), *l, *attrs, *events, *assigns, *stage;
  lg_lead *lead = NULL;
  lg_status st;
  size_t i, j;
  lg_stage si;
  if (!name) return LG_ERR_INVALID;
  l = json_get(json_get(x->root, "leads"), name->str);
  if (!l) { malformed(x, "unknown lead", name->str); return LG_ERR_INVALID; }
  attrs = need(x, l, "attrs", JSON_OBJECT);
  events = need(x, l, "events", JSON_ARRAY);
  assigns = need(x, l, "assignments", JSON_ARRAY);
  stage = need(x, l, "stage", JSON_STRING);
  if (x->bad || !need(x, l, "id", JSON_STRING)) return LG_ERR_INVALID;
  if (lg_stage_from_name(stage->str, &si) != LG_OK) {
    malformed(x, "unknown stage", stage->str);
    return LG_ERR_INVALID;
  }
  st = lg_lead_create(json_get(l, "id")->str, &lead);
  for (i = 0; st == LG_OK && i < attrs->len; i++) {
    const json *v = attrs->items[i];
    if (v->type == JSON_STRING) st = lg_lead_set_text(lead, attrs->keys[i], v->str);
    else if (v->type == JSON_INT) st = lg_lead_set_int(lead, attrs->keys[i], v->num);
    else if (v->type == JSON_BOOL) st = lg_lead_set_bool(lead, attrs->keys[i], (int)v->num);
    else { malformed(x, "attribute of no lead type:", attrs->keys[i]); st = LG_ERR_INVALID; }
  }
  for (i = 0; st == LG_OK && i < events->len; i++) {
    const json *e = events->items[i];
    if (e->type != JSON_ARRAY || e->len != 2 || e->items[0]->type != JSON_STRING ||
        e->items[1]->type != JSON_INT) {
      malformed(x, "an event is not [type, at] in lead", name->str);
      st = LG_ERR_INVALID;
    } else {
      st = lg_lead_add_event(lead, e->items[0]->str, e->items[1]->num);
    }
  }
  for (i = 0; st == LG_OK && k_paths[si][i] != LG_STAGE_NEW; i++)
    st = lg_lead_set_stage(lead, k_paths[si][i], 0);
  for (i = 0; st == LG_OK && i < assigns->len; i++) {
    const json *a = assigns->items[i], *owner = need(x, a, "owner", JSON_STRING);
    const json *touched = json_get(a, "touched_at"), *recorded = need(x, a, "recorded", JSON_ARRAY);
    int64_t at = need_int(x, a, "at");
    if (x->bad || !touched || (touched->type != JSON_NULL && touched->type != JSON_INT)) {
      malformed(x, "bad assignment in lead", name->str);
      st = LG_ERR_INVALID;
      break;
    }
    st = lg_lead_assign(lead, owner->str, at);
    if (st == LG_OK && touched->type == JSON_INT) st = lg_lead_touch(lead, touched->num);
    for (j = 0; st == LG_OK && j < recorded->len; j++) {
      lg_action action;
      if (recorded->items[j]->type != JSON_STRING ||
          lg_action_from_name(recorded->items[j]->str, &action) != LG_OK) {
        malformed(x, "unknown action in lead", name->str);
        st = LG_ERR_INVALID;
      } else {
        st = lg_lead_record_action(lead, action, at);
      }
    }
  }
  if (st != LG_OK) {
    lg_lead_free(lead);
    return st;
  }
  *out = lead;
  return LG_OK;
}

/* ---- writing results ---------------------------------------------------- */

static void put_score(conf_buf *b, const lg_score *s) {
  conf_printf(b, "\"fit\":%" PRId64 ",\"engagement\":%" PRId64 ",\"total\":%" PRId64
              ",\"knocked_out\":%d,\"knockout_index\":%d,\"missing_count\":%u",
              s->fit, s->engagement, s->total, (int)s->knocked_out, (int)s->knockout_index,
              (unsigned)s->missing_count);
}

static void put_status(conf_buf *b, lg_status st) {
  conf_printf(b, "{\"status\":");
  conf_string(b, lg_status_name(st));
  conf_printf(b, "}");
}

static void put_parse_error(conf_buf *b, const lg_error *e) {
  conf_printf(b, "{\"status\":");
  conf_string(b, lg_status_name((lg_status)e->status));
  conf_printf(b, ",\"line\":%u,\"column\":%u,\"message\":", (unsigned)e->line,
              (unsigned)e->column);
  conf_string(b, e->message);
  conf_printf(b, "}");
}

/* An enum's name from the library, "?" for a value it does not know (the
 * comparison then fails loudly). */
static const char *or_unknown(const char *name) { return name ? name : "?"; }

static void run_op(ctx *x, conf_buf *b, const char *op, const lg_rubric *rubric,
                   const lg_policy *policy, const lg_calendar *calendar, const lg_lead *lead) {
  lg_status st = LG_OK;
  if (strcmp(op, "score") == 0) {
    lg_score s;
    lg_time now = need_int(x, x->c, "now");
    if (x->bad) return;
    st = lg_score_lead(rubric, lead, now, &s);
    if (st == LG_OK) { conf_printf(b, "{"); put_score(b, &s); conf_printf(b, "}"); }
  } else if (strcmp(op, "decide") == 0) {
    lg_decision d;
    lg_time now = need_int(x, x->c, "now");
    if (x->bad) return;
    st = lg_decide(rubric, policy, lead, now, &d);
    if (st == LG_OK) {
      conf_printf(b, "{");
      put_score(b, &d.score);
      conf_printf(b, ",\"verdict\":");
      conf_string(b, or_unknown(lg_verdict_name((lg_verdict)d.verdict)));
      conf_printf(b, ",\"stage\":");
      conf_string(b, or_unknown(lg_stage_name((lg_stage)d.stage)));
      conf_printf(b, ",\"grade\":");
      conf_string(b, d.grade);
      conf_printf(b, ",\"reason\":");
      conf_string(b, d.reason);
      conf_printf(b, ",\"rubric_fingerprint\":\"%016" PRIx64 "\",\"policy_fingerprint\":\"%016"
                  PRIx64 "\"", d.rubric_fingerprint, d.policy_fingerprint);
      put_time(b, "next_at", d.next_at);
      conf_printf(b, "}");
    }
  } else if (strcmp(op, "explain") == 0) {
    lg_contribution items[64];
    size_t n = 0, i;
    lg_time now = need_int(x, x->c, "now");
    if (x->bad) return;
    st = lg_explain(rubric, lead, now, items, sizeof items / sizeof items[0], &n);
    if (st == LG_OK) {
      conf_printf(b, "{\"items\":[");
      for (i = 0; i < n; i++) {
        conf_printf(b, "%s{\"criterion\":", i ? "," : "");
        conf_string(b, items[i].criterion);
        conf_printf(b, ",\"attribute\":");
        conf_string(b, items[i].attribute);
        conf_printf(b, ",\"kind\":");
        conf_string(b, or_unknown(lg_kind_name((lg_kind)items[i].kind)));
        conf_printf(b, ",\"missing\":%d,\"points\":%" PRId64 ",\"max_points\":%" PRId64 "}",
                    (int)items[i].missing, items[i].points, items[i].max_points);
      }
      conf_printf(b, "]}");
    }
  } else if (strcmp(op, "next_question") == 0) {
    const char *attribute;
    lg_points gain;
    st = lg_next_question(rubric, lead, &attribute, &gain);
    if (st == LG_OK) {
      conf_printf(b, "{\"attribute\":");
      conf_string(b, attribute);
      conf_printf(b, ",\"gain\":%" PRId64 "}", gain);
    }
  } else if (strcmp(op, "sla") == 0) {
    lg_sla_status s;
    lg_time now = need_int(x, x->c, "now");
    if (x->bad) return;
    st = lg_sla_eval(policy, lead, now, &s);
    if (st == LG_OK) {
      conf_printf(b, "{\"state\":");
      conf_string(b, or_unknown(lg_sla_state_name((lg_sla_state)s.state)));
      conf_printf(b, ",\"action\":");
      conf_string(b, or_unknown(lg_action_name((lg_action)s.action)));
      put_time(b, "started_at", s.started_at);
      put_time(b, "due_at", s.due_at);
      put_time(b, "next_at", s.next_at);
      conf_printf(b, ",\"elapsed\":%" PRId64 ",\"remaining\":%" PRId64 ",\"reassignments\":%d",
                  s.elapsed, s.remaining, (int)s.reassignments);
      conf_printf(b, ",\"tier\":%d}", (int)s.tier);
    }
  } else if (strcmp(op, "route") == 0) {
    const json *reps = need(x, x->c, "reps", JSON_ARRAY);
    lg_rep list[16];
    size_t n, i, chosen = 0;
    lg_time now = need_int(x, x->c, "now");
    if (x->bad) return;
    n = reps->len;
    if (n > sizeof list / sizeof list[0]) { malformed(x, "too many reps", NULL); return; }
    memset(list, 0, sizeof list);
    for (i = 0; i < n; i++) {
      const json *r = reps->items[i], *id = need(x, r, "id", JSON_STRING);
      if (x->bad) return;
      list[i].id = id->str;
      list[i].available = (int32_t)need_int(x, r, "available");
      list[i].open_leads = (int32_t)need_int(x, r, "open_leads");
      list[i].capacity = (int32_t)need_int(x, r, "capacity");
      list[i].weight = (int32_t)need_int(x, r, "weight");
      list[i].last_assigned_at = need_int(x, r, "last_assigned_at");
    }
    if (x->bad) return;
    st = lg_route(policy, lead, list, n, now, &chosen);
    if (st == LG_OK) conf_printf(b, "{\"chosen\":%zu}", chosen);
  } else if (strcmp(op, "calendar_add") == 0) {
    lg_time at;
    lg_time start = need_int(x, x->c, "start");
    lg_duration d = need_int(x, x->c, "duration");
    if (x->bad) return;
    st = lg_calendar_add(calendar, start, d, &at);
    if (st == LG_OK) conf_printf(b, "{\"at\":%" PRId64 "}", at);
  } else if (strcmp(op, "calendar_between") == 0) {
    lg_duration d;
    lg_time a = need_int(x, x->c, "a"), bt = need_int(x, x->c, "b");
    if (x->bad) return;
    st = lg_calendar_between(calendar, a, bt, &d);
    if (st == LG_OK) conf_printf(b, "{\"seconds\":%" PRId64 "}", d);
  } else {
    malformed(x, "unknown op", op);
    return;
  }
  if (st != LG_OK) put_status(b, st);
}

json *conf_run(const json *root, const json *c, char *err, size_t cap) {
  ctx x;
  conf_buf b = {NULL, 0, 0, 0};
  const json *op, *text;
  lg_rubric *rubric = NULL;
  lg_policy *policy = NULL;
  lg_calendar *calendar = NULL;
  lg_lead *lead = NULL;
  lg_error e;
  lg_status st = LG_OK;
  json *result = NULL;
  int wants_lead, done = 0;
  x.root = root;
  x.c = c;
  x.err = err;
  x.cap = cap;
  x.bad = 0;
  op = need(&x, c, "op", JSON_STRING);
  if (!op) return NULL;
  wants_lead = strncmp(op->str, "calendar_", 9) != 0;
  if (json_get(c, "rubric") && (text = definition(&x, "rubric", "rubrics")) != NULL &&
      lg_rubric_parse(text->str, text->len, &rubric, &e) != LG_OK) {
    put_parse_error(&b, &e);
    done = 1;
  }
  if (!done && json_get(c, "policy") && (text = definition(&x, "policy", "policies")) != NULL &&
      lg_policy_parse(text->str, text->len, &policy, &e) != LG_OK) {
    put_parse_error(&b, &e);
    done = 1;
  }
  if (!done && json_get(c, "calendar") &&
      (text = definition(&x, "calendar", "calendars")) != NULL &&
      lg_calendar_parse(text->str, text->len, &calendar, &e) != LG_OK) {
    put_parse_error(&b, &e);
    done = 1;
  }
  if (!done && !x.bad && wants_lead) {
    st = build_lead(&x, &lead);
    if (st != LG_OK && !x.bad) {
      put_status(&b, st);
      done = 1;
    }
  }
  if (!done && !x.bad) run_op(&x, &b, op->str, rubric, policy, calendar, lead);
  if (!x.bad && b.oom) malformed(&x, "out of memory", NULL);
  if (!x.bad) {
    result = json_parse(b.p, b.len, err, cap);
    if (!result) malformed(&x, "result is not JSON", NULL);
  }
  lg_lead_free(lead);
  lg_calendar_free(calendar);
  lg_policy_free(policy);
  lg_rubric_free(rubric);
  conf_buf_free(&b);
  return result;
}
