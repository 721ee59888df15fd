/*
 * data.h - the input files the installed programs share, loaded the same
 * way by each: the assignments (a lead's rows are its reassignments), the
 * reps, and what the rubric and policy read from the leads file (which
 * columns are loaded and how their cells are typed).
 *
 * Every error is fatal through cli.h (FILE:LINE[:COL]: why, exit 2)
 * unless said otherwise; warnings go to stderr and the load goes on.
 * Uses <leadgate.h>, cli.h, csv.h and the C library.
 */
#ifndef LEADGATE_EXAMPLES_DATA_H
#define LEADGATE_EXAMPLES_DATA_H

#include "cli.h"

#include <stddef.h>

/* ---- what the rubric and the policy read ------------------------------------- */

/* An attribute or event type the definitions read. */
typedef struct data_input {
  const char *name; /* points into the rubric or the policy */
  int         kind; /* lg_input_kind */
  int         type; /* lg_value_type compared with; -1 when the two disagree */
  int         by;   /* bits: 1 the rubric, 2 the policy; triage's what-if
                       adds 4 a draft rubric, 8 a draft policy */
} data_input;

typedef struct data_inputs {
  data_input   *v;
  size_t        n;
  int           strict;   /* warnings about the inputs are errors */
  unsigned long n_strict; /* such errors reported so far */
} data_inputs;

/* Every name the rubric and the policy read, each once per kind. */
void data_inputs_collect(data_inputs *in, const lg_rubric *rubric, const lg_policy *policy);
void data_inputs_free(data_inputs *in);
const data_input *data_find_input(const data_inputs *in, const char *name, int kind);
/* "the rubric reads", "the policy reads", "the rubric and the policy read"
 * ("the draft reads" when only the draft bits are set). */
const char *data_readers(int by);
/* A warning about the inputs; with in->strict an error, counted in
 * in->n_strict (the caller decides when to stop). */
void data_input_warning(data_inputs *in, const char *fmt, ...);

/* ---- the leads file's header --------------------------------------------------- */

typedef struct data_column {
  char *name; /* the attribute (or "id"), without the header's :type */
  int   type; /* lg_value_type its cells are read as */
  int   used; /* read by the rubric or the policy: loaded */
} data_column;

typedef struct data_columns {
  int          id; /* index of the id column */
  size_t       n;  /* columns in the header */
  data_column *c;
  size_t      *load; /* the columns loaded, in header order */
  size_t       n_load;
} data_columns;

/* Opens the leads file `path` into *c and types its header: the `id`
 * column, and each column the definitions read (declared `name:int`, or
 * typed by what they compare it with, else text).  Columns nobody reads
 * are not looked at, unless a name the definitions read differs from
 * theirs only by case (an error).  Warns (data_input_warning) about
 * attributes no column provides and about type conflicts. */
void data_read_header(data_inputs *in, cli_csv *c, const char *path, data_columns *cols);
void data_columns_free(data_columns *cols);

/* data_set_cell for a cell that is not empty in a column that is not
 * text. */
int data_set_typed_cell(lg_lead *lead, const data_column *col, const char *cell, char *why,
                        size_t cap);

/* Sets attribute `col` of `lead` from a cell: LG_OK for an empty (absent)
 * cell; -1 with why[0..cap) when the cell does not fit the column's type;
 * otherwise the library's status.  Inline: most cells are empty or text,
 * which need no more than the library's call. */
static inline int data_set_cell(lg_lead *lead, const data_column *col, const char *cell,
                                char *why, size_t cap) {
  if (cell[0] == '\0') return LG_OK;
  if (col->type == LG_VALUE_TEXT) return (int)lg_lead_set_text(lead, col->name, cell);
  return data_set_typed_cell(lead, col, cell, why, cap);
}

/* ---- the policy, read back --------------------------------------------------------- */

/* The canonical text of the policy (malloc'd), or NULL. */
char *data_policy_text(const lg_policy *policy);
/* The policy's qualify rule (malloc'd canonical text; NULL without one)
 * and, when one of its top-level `and` operands is `fit >= N`, N in
 * *fit_needed (else -1). */
char *data_qualify_rule(const lg_policy *policy, lg_points *fit_needed);
/* The follow-up target (seconds) and whether it counts business hours;
 * 0 when the policy has no follow-up rule. */
int data_followup(const lg_policy *policy, lg_duration *target, int *business);

/* ---- assignments ------------------------------------------------------------------- */

/* One row of the assignments file. */
typedef struct data_row {
  char         *lead_id, *owner;
  lg_time       assigned_at, touched_at;
  int           touched;
  int           duplicate; /* the same as an earlier row: counted once */
  unsigned long line;
  size_t        order; /* position in the file */
} data_row;

/* A lead's rows: sorted[start .. start + n). */
typedef struct data_group {
  size_t          start, n;
  const data_row *first;
} data_group;

/* ---- snoozes ------------------------------------------------------------------------ */

/* One row of the snoozes file: the lead's follow-up clock does not run in
 * [from, until) (lg_lead_snooze). */
typedef struct data_snooze {
  char         *lead_id;
  lg_time       from, until;
  unsigned long line;
} data_snooze;

typedef struct data_snoozes {
  const char  *path;
  data_snooze *v; /* sorted by lead id, then from */
  size_t       n;
} data_snoozes;

/* Reads lead_id,from,until (any order); until must be after from. */
void data_load_snoozes(data_snoozes *s, cli_csv *c, const char *path);
/* The snoozes of lead `id`: *first and the count returned (0: none). */
size_t data_snoozes_of(const data_snoozes *s, const char *id, const data_snooze **first);
/* The end of the snooze in force at `now` on the lead's assignment current
 * at `now` (following snoozes that overlap or touch it); 0 when none. */
lg_time data_snoozed_until(const data_snoozes *s, const lg_lead *lead, lg_time now);
void    data_snoozes_free(data_snoozes *s);

/* ---- the assignments, as leads --------------------------------------------------------- */

/* The assignments file, then one lg_lead per lead id (its rows applied in
 * file order), in the order the leads first appear. */
typedef struct data_assignments {
  data_row     *rows;
  size_t        n_rows, cap_rows;
  data_row    **sorted; /* rows by lead id, then file order */
  data_group   *groups; /* groups[i]: the rows of leads[i] */
  lg_lead     **leads;
  size_t        n_leads;
  unsigned long dropped_touches; /* touches reported and not counted */
} data_assignments;

/* Reads lead_id,owner,assigned_at[,touched_at] (any order), then builds
 * the leads.  An exact duplicate row is a warning and counts once; a
 * touched_at at or after the lead's next assignment is reported (an error
 * message, not fatal) and not counted: a->dropped_touches.  `snoozes`
 * (may be NULL) are applied to the assignment current at their `from`. */
void data_load_assignments(data_assignments *a, cli_csv *c, const char *path,
                           const data_snoozes *snoozes);
void data_assignments_free(data_assignments *a);

/* ---- reps ---------------------------------------------------------------------------- */

typedef struct data_reps {
  lg_rep *reps;
  char  **ids; /* owned copies behind reps[i].id */
  double *attainment;
  int    *has_attainment;
  int     attainment_column; /* the file has one */
  size_t  n;
} data_reps;

/* Reads id,available,open_leads,capacity,weight,last_assigned_at
 * [,attainment]. */
void data_load_reps(data_reps *t, cli_csv *c, const char *path);
void data_reps_free(data_reps *t);

/* The reps to correlate: those with an attainment and assignments in
 * `stats`, into names[0..k) and att[0..k) (k returned); those with an
 * attainment but no assignments into skipped[0..*n_skipped).  Each array
 * holds t->n entries. */
size_t data_correlation_set(const data_reps *t, const lg_stats *stats, const char **names,
                            double *att, const char **skipped, size_t *n_skipped);

/* ---- events ------------------------------------------------------------------------ */

typedef struct data_event {
  char   *lead_id, *type;
  lg_time at;
  size_t  order; /* position in the file */
  int     used;  /* given to a lead by the caller */
} data_event;

/* The events file (lead_id,type,at in any order), sorted by lead id, then
 * file order. */
typedef struct data_events {
  data_event *v;
  size_t      n, cap;
} data_events;

void data_load_events(data_events *e, cli_csv *c, const char *path);
/* The events of lead `id`: *first and the count returned (0: none). */
size_t data_events_of(const data_events *e, const char *id, data_event **first);
void   data_events_free(data_events *e);

/* Out-of-memory-checked copy of s. */
char *data_copy(const char *s);

#endif /* LEADGATE_EXAMPLES_DATA_H */
