/*
 * whatif.h - the what-if report of leadgate-triage (--compare-rubric,
 * --compare-policy): the same leads decided under the current definitions
 * and under a draft, compared.  triage.c feeds it one lead at a time.
 *
 * Uses <leadgate.h>, cli.h, csv.h and the C library.
 */
#ifndef LEADGATE_EXAMPLES_WHATIF_H
#define LEADGATE_EXAMPLES_WHATIF_H

#include <leadgate.h>

#include <stdio.h>

#define WHATIF_TOP 10 /* leads listed in "leads that change most" */

/* One lead whose decision or total changed. */
typedef struct whatif_change {
  char          id[LG_MAX_ID_BYTES + 1];
  unsigned long order; /* input order, for ties */
  lg_decision   cur, draft;
} whatif_change;

typedef struct whatif_pair {
  char          cur[16], draft[16]; /* grades; "" for none */
  unsigned long n;
} whatif_pair;

typedef struct whatif {
  /* what is compared, for the report's heading */
  const char      *cur_name, *draft_name; /* the files */
  const lg_rubric *cur_rubric, *draft_rubric;
  lg_time          now;
  /* capacity: reps > 0 and days > 0 when given; capacity < 0 when not */
  long         reps, days, capacity;
  lg_dimension dimension;
  /* tallies */
  unsigned long leads, changed, total_changed;
  unsigned long verdicts[3][3]; /* [current][draft] */
  whatif_pair  *grades;
  size_t        n_grades, cap_grades;
  whatif_change top[WHATIF_TOP];
  size_t        n_top;
  /* clones of the leads, for lg_calibrate (only with a capacity) */
  lg_lead **kept;
  size_t    n_kept, cap_kept;
} whatif;

/* Counts one lead decided under both definitions. */
void whatif_add(whatif *w, const lg_lead *lead, const lg_decision *cur, const lg_decision *draft);
/* Prints the report on stdout: text for people, or CSV blocks (csv). */
void whatif_report(const whatif *w, int csv);
/* Frees what whatif_add kept. */
void whatif_free(whatif *w);

#endif /* LEADGATE_EXAMPLES_WHATIF_H */
