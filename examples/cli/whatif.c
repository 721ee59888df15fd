/*
 * whatif.c - the what-if report of leadgate-triage (see whatif.h).
 *
 * Report, in this order (text, or CSV blocks separated by a blank line):
 *   1. verdict transitions: leads by (current verdict, draft verdict)
 *   2. grade transitions: leads by (current grade, draft grade)
 *   3. totals: leads, MQLs, nurture, disqualify under each, and with
 *      --reps/--days MQLs per rep per month (a month is 30 days), with
 *      --capacity the share of capacity and the threshold lg_calibrate
 *      picks so that at most capacity x reps x days / 30 leads pass
 *   4. the leads that change most: largest |total change| first, then
 *      leads whose verdict or grade changed, then input order; only leads
 *      where something changed, at most WHATIF_TOP, with both reasons.
 */
#include "whatif.h"

#include "cli.h"
#include "csv.h"

#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[3] = { "nurture", "mql", "disqualify" };

/* ---- tallies ----------------------------------------------------------------- */

static lg_points magnitude(lg_points v) { return v < 0 ? -v : v; }

static int decision_changed(const whatif_change *c) {
  return c->cur.verdict != c->draft.verdict || strcmp(c->cur.grade, c->draft.grade) != 0;
}

/* Whether a ranks before b in "the leads that change most". */
static int ranks_before(const whatif_change *a, const whatif_change *b) {
  lg_points da = magnitude(a->draft.score.total - a->cur.score.total);
  lg_points db = magnitude(b->draft.score.total - b->cur.score.total);
  if (da != db) return da > db;
  if (decision_changed(a) != decision_changed(b)) return decision_changed(a);
  return a->order < b->order;
}

static void count_grades(whatif *w, const char *cur, const char *draft) {
  size_t i;
  for (i = 0; i < w->n_grades; i++)
    if (strcmp(w->grades[i].cur, cur) == 0 && strcmp(w->grades[i].draft, draft) == 0) break;
  if (i == w->n_grades) {
    if (w->n_grades == w->cap_grades) {
      size_t       cap = w->cap_grades ? w->cap_grades * 2 : 16;
      whatif_pair *g = realloc(w->grades, cap * sizeof *g);
      if (!g) cli_die(cli_name(), "out of memory");
      w->grades = g;
      w->cap_grades = cap;
    }
    memset(&w->grades[i], 0, sizeof w->grades[i]);
    /* grades are at most 15 bytes (lg_decision.grade) */
    snprintf(w->grades[i].cur, sizeof w->grades[i].cur, "%s", cur);
    snprintf(w->grades[i].draft, sizeof w->grades[i].draft, "%s", draft);
    w->n_grades++;
  }
  w->grades[i].n++;
}

void whatif_add(whatif *w, const lg_lead *lead, const lg_decision *cur, const lg_decision *draft) {
  whatif_change c;
  size_t        j;
  if (cur->verdict >= 0 && cur->verdict < 3 && draft->verdict >= 0 && draft->verdict < 3)
    w->verdicts[cur->verdict][draft->verdict]++;
  count_grades(w, cur->grade, draft->grade);
  if (w->capacity >= 0) {
    if (w->n_kept == w->cap_kept) {
      size_t    cap = w->cap_kept ? w->cap_kept * 2 : 256;
      lg_lead **k = realloc(w->kept, cap * sizeof *k);
      if (!k) cli_die(cli_name(), "out of memory");
      w->kept = k;
      w->cap_kept = cap;
    }
    if (lg_lead_clone(lead, &w->kept[w->n_kept]) != LG_OK) cli_die(cli_name(), "out of memory");
    w->n_kept++;
  }
  memset(&c, 0, sizeof c);
  strncpy(c.id, lg_lead_id(lead), sizeof c.id - 1);
  c.order = w->leads++;
  c.cur = *cur;
  c.draft = *draft;
  if (cur->score.total != draft->score.total) w->total_changed++;
  if (cur->score.total == draft->score.total && !decision_changed(&c)) return;
  w->changed++;
  /* keep the WHATIF_TOP best, in rank order */
  if (w->n_top == WHATIF_TOP && !ranks_before(&c, &w->top[WHATIF_TOP - 1])) return;
  j = w->n_top < WHATIF_TOP ? w->n_top++ : WHATIF_TOP - 1;
  for (; j > 0 && ranks_before(&c, &w->top[j - 1]); j--) w->top[j] = w->top[j - 1];
  w->top[j] = c;
}

void whatif_free(whatif *w) {
  size_t i;
  for (i = 0; i < w->n_kept; i++) lg_lead_free(w->kept[i]);
  free(w->kept);
  free(w->grades);
  w->kept = NULL;
  w->grades = NULL;
  w->n_kept = w->n_grades = 0;
}

/* ---- figures the report needs ------------------------------------------------ */

typedef struct totals {
  unsigned long verdict[3]; /* under this definition */
} totals;

static void verdict_totals(const whatif *w, int draft, totals *t) {
  int a, b;
  memset(t, 0, sizeof *t);
  for (a = 0; a < 3; a++)
    for (b = 0; b < 3; b++) t->verdict[draft ? b : a] += w->verdicts[a][b];
}

/* The distinct grades of either side, sorted ("" first). */
static size_t grade_names(const whatif *w, const char **names) {
  size_t i, j, n = 0, k;
  for (i = 0; i < w->n_grades; i++) {
    const char *g[2];
    g[0] = w->grades[i].cur;
    g[1] = w->grades[i].draft;
    for (k = 0; k < 2; k++) {
      for (j = 0; j < n && strcmp(names[j], g[k]) != 0; j++) {
      }
      if (j < n) continue;
      for (j = n++; j > 0 && strcmp(names[j - 1], g[k]) > 0; j--) names[j] = names[j - 1];
      names[j] = g[k];
    }
  }
  return n;
}

static unsigned long grade_count(const whatif *w, const char *cur, const char *draft) {
  size_t i;
  for (i = 0; i < w->n_grades; i++)
    if (strcmp(w->grades[i].cur, cur) == 0 && strcmp(w->grades[i].draft, draft) == 0)
      return w->grades[i].n;
  return 0;
}

/* Capacity over the period: leads the reps can follow up in `days`. */
static size_t period_capacity(const whatif *w) {
  return (size_t)(w->capacity * w->reps * w->days / 30);
}

static double per_rep_month(const whatif *w, unsigned long mql) {
  return (double)mql / (double)w->reps * 30.0 / (double)w->days;
}

static const char *dimension_name(lg_dimension d) {
  return d == LG_DIM_ENGAGEMENT ? "engagement" : d == LG_DIM_TOTAL ? "total" : "fit";
}

static void calibrate(const whatif *w, const lg_rubric *r, lg_points *t, size_t *count) {
  lg_status st = lg_calibrate(r, (const lg_lead *const *)w->kept, w->n_kept, w->now, w->dimension,
                              period_capacity(w), t, count);
  if (st != LG_OK) cli_die(cli_name(), "lg_calibrate: %s", lg_status_message(st));
}

/* Points without trailing zeros: 8000 -> "8", -2500 -> "-2.5". */
static void points_text(lg_points v, char *buf) {
  size_t n;
  csv_format_points(v, buf);
  n = strlen(buf);
  while (buf[n - 1] == '0') buf[--n] = '\0';
  if (buf[n - 1] == '.') buf[n - 1] = '\0';
}

static const char *grade_or_none(const char *g) { return g[0] ? g : "(none)"; }

/* ---- text ---------------------------------------------------------------------- */

static void text_report(const whatif *w) {
  const char  **names = malloc((2 * w->n_grades + 1) * sizeof *names);
  size_t        n_names, i, j;
  totals        cur, draft;
  unsigned long col[3] = { 0, 0, 0 };
  long          diff;
  char          a[32], b[32], c[32];
  int           x, y;

  if (!names) cli_die(cli_name(), "out of memory");
  verdict_totals(w, 0, &cur);
  verdict_totals(w, 1, &draft);
  cli_format_time(w->now, a);
  printf("what-if: %s instead of %s, %lu lead%s as of %s\n\n", w->draft_name, w->cur_name, w->leads,
         w->leads == 1 ? "" : "s", a);

  printf("verdicts (rows: current, columns: draft)\n  %-12s", "");
  for (y = 0; y < 3; y++) printf("%11s", verdict_names[y]);
  printf("%11s\n", "total");
  for (x = 0; x < 3; x++) {
    printf("  %-12s", verdict_names[x]);
    for (y = 0; y < 3; y++) {
      printf("%11lu", w->verdicts[x][y]);
      col[y] += w->verdicts[x][y];
    }
    printf("%11lu\n", cur.verdict[x]);
  }
  printf("  %-12s%11lu%11lu%11lu%11lu\n\n", "total", col[0], col[1], col[2], w->leads);

  n_names = grade_names(w, names);
  printf("grades (rows: current, columns: draft)\n  %-12s", "");
  for (j = 0; j < n_names; j++) printf("%8s", grade_or_none(names[j]));
  printf("%8s\n", "total");
  for (i = 0; i < n_names; i++) {
    unsigned long row = 0;
    printf("  %-12s", grade_or_none(names[i]));
    for (j = 0; j < n_names; j++) {
      unsigned long n = grade_count(w, names[i], names[j]);
      row += n;
      printf("%8lu", n);
    }
    printf("%8lu\n", row);
  }
  putchar('\n');

  diff = (long)draft.verdict[LG_VERDICT_MQL] - (long)cur.verdict[LG_VERDICT_MQL];
  printf("MQLs: %lu -> %lu (%+ld", cur.verdict[LG_VERDICT_MQL], draft.verdict[LG_VERDICT_MQL],
         diff);
  if (cur.verdict[LG_VERDICT_MQL])
    printf(", %+.1f%%", 100.0 * (double)diff / (double)cur.verdict[LG_VERDICT_MQL]);
  printf(")\n");
  if (w->reps > 0) {
    double pc = per_rep_month(w, cur.verdict[LG_VERDICT_MQL]);
    double pd = per_rep_month(w, draft.verdict[LG_VERDICT_MQL]);
    printf("per rep per month (%ld rep%s, %ld day%s): %.1f -> %.1f", w->reps,
           w->reps == 1 ? "" : "s", w->days, w->days == 1 ? "" : "s", pc, pd);
    if (w->capacity > 0)
      printf(" against a capacity of %ld (%.0f%% -> %.0f%%)", w->capacity,
             100.0 * pc / (double)w->capacity, 100.0 * pd / (double)w->capacity);
    else if (w->capacity == 0)
      printf(" against a capacity of 0");
    putchar('\n');
  }
  if (w->capacity >= 0) {
    lg_points tc, td;
    size_t    nc, nd;
    calibrate(w, w->cur_rubric, &tc, &nc);
    calibrate(w, w->draft_rubric, &td, &nd);
    points_text(tc, a);
    printf("lg_calibrate for %lu leads in %ld days: %s >= %s passes %lu lead%s not knocked out",
           (unsigned long)period_capacity(w), w->days, dimension_name(w->dimension), a,
           (unsigned long)nc, nc == 1 ? "" : "s");
    if (w->draft_rubric != w->cur_rubric) {
      points_text(td, b);
      printf(" (draft rubric: %s >= %s, %lu)", dimension_name(w->dimension), b, (unsigned long)nd);
    }
    putchar('\n');
  }
  putchar('\n');

  printf("leads that change most (%lu of %lu changed; %lu totals changed)\n",
         (unsigned long)w->n_top, w->changed, w->total_changed);
  if (!w->n_top) printf("  none\n");
  for (i = 0; i < w->n_top; i++) {
    const whatif_change *t = &w->top[i];
    points_text(t->cur.score.total, a);
    points_text(t->draft.score.total, b);
    points_text(t->draft.score.total - t->cur.score.total, c);
    printf("  %s  total %s -> %s (%s%s)  %s/%s -> %s/%s\n", t->id, a, b,
           t->draft.score.total >= t->cur.score.total ? "+" : "", c, verdict_names[t->cur.verdict],
           grade_or_none(t->cur.grade), verdict_names[t->draft.verdict],
           grade_or_none(t->draft.grade));
    printf("    current: %s\n    draft:   %s\n", t->cur.reason, t->draft.reason);
  }
  free(names);
}

/* ---- csv ----------------------------------------------------------------------- */

static void csv_points(lg_points v) {
  char buf[32];
  csv_format_points(v, buf);
  fputs(buf, stdout);
}

static void csv_report(const whatif *w) {
  const char **names = malloc((2 * w->n_grades + 1) * sizeof *names);
  size_t       n_names, i, j;
  totals       cur, draft;
  int          x, y, k;

  if (!names) cli_die(cli_name(), "out of memory");
  verdict_totals(w, 0, &cur);
  verdict_totals(w, 1, &draft);
  printf("verdict_current,verdict_draft,leads\n");
  for (x = 0; x < 3; x++)
    for (y = 0; y < 3; y++)
      printf("%s,%s,%lu\n", verdict_names[x], verdict_names[y], w->verdicts[x][y]);

  n_names = grade_names(w, names);
  printf("\ngrade_current,grade_draft,leads\n");
  for (i = 0; i < n_names; i++)
    for (j = 0; j < n_names; j++) {
      csv_write_field(stdout, names[i]);
      putchar(',');
      csv_write_field(stdout, names[j]);
      printf(",%lu\n", grade_count(w, names[i], names[j]));
    }

  printf("\nmetric,current,draft,change\nleads,%lu,%lu,0\n", w->leads, w->leads);
  for (k = 0; k < 3; k++) {
    static const int order[3] = { LG_VERDICT_MQL, LG_VERDICT_NURTURE, LG_VERDICT_DISQUALIFY };
    int              v = order[k];
    printf("%s,%lu,%lu,%ld\n", verdict_names[v], cur.verdict[v], draft.verdict[v],
           (long)draft.verdict[v] - (long)cur.verdict[v]);
  }
  if (w->reps > 0) {
    double pc = per_rep_month(w, cur.verdict[LG_VERDICT_MQL]);
    double pd = per_rep_month(w, draft.verdict[LG_VERDICT_MQL]);
    printf("mql_per_rep_month,%.3f,%.3f,%.3f\n", pc, pd, pd - pc);
  }
  if (w->capacity >= 0) {
    lg_points tc, td;
    size_t    nc, nd;
    calibrate(w, w->cur_rubric, &tc, &nc);
    calibrate(w, w->draft_rubric, &td, &nd);
    printf("capacity_per_rep_month,%ld,%ld,0\n", w->capacity, w->capacity);
    printf("capacity_period,%lu,%lu,0\n", (unsigned long)period_capacity(w),
           (unsigned long)period_capacity(w));
    printf("calibrate_%s_threshold,", dimension_name(w->dimension));
    csv_points(tc);
    putchar(',');
    csv_points(td);
    putchar(',');
    csv_points(td - tc);
    printf("\ncalibrate_count,%lu,%lu,%ld\n", (unsigned long)nc, (unsigned long)nd,
           (long)nd - (long)nc);
  }

  printf("\nid,total_current,total_draft,total_change,verdict_current,verdict_draft,"
         "grade_current,grade_draft,reason_current,reason_draft\n");
  for (i = 0; i < w->n_top; i++) {
    const whatif_change *t = &w->top[i];
    csv_write_field(stdout, t->id);
    putchar(',');
    csv_points(t->cur.score.total);
    putchar(',');
    csv_points(t->draft.score.total);
    putchar(',');
    csv_points(t->draft.score.total - t->cur.score.total);
    printf(",%s,%s,", verdict_names[t->cur.verdict], verdict_names[t->draft.verdict]);
    csv_write_field(stdout, t->cur.grade);
    putchar(',');
    csv_write_field(stdout, t->draft.grade);
    putchar(',');
    csv_write_field(stdout, t->cur.reason);
    putchar(',');
    csv_write_field(stdout, t->draft.reason);
    putchar('\n');
  }
  free(names);
}

void whatif_report(const whatif *w, int csv) {
  if (csv)
    csv_report(w);
  else
    text_report(w);
}
