/*
 * sla_watch.c - leadgate-sla-watch: what is due on the follow-up SLA of
 * every assigned lead, and how each rep keeps it.
 *
 *   leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE]
 *                      [--snoozes FILE] [--now TIME]
 *
 * The assignments CSV has the columns lead_id, owner, assigned_at and
 * (optionally) touched_at, in any order.  Several rows of one lead are its
 * reassignments, in time order; a touched_at cell is the first follow-up
 * of that row's assignment and may be empty.  Times are epoch seconds or
 * ISO 8601 (2026-11-18T09:30:00Z).
 *
 * The snoozes CSV has lead_id, from and until: the lead's follow-up clock
 * does not run in [from, until) (lg_lead_snooze).  A snooze belongs to the
 * lead's assignment that is current at `from`; one before the lead's
 * first assignment, or with until not after from, is an error.
 *
 * The reps CSV has id, available (1/0/true/false), open_leads, capacity
 * (0 = unlimited), weight (>= 1), last_assigned_at (empty = never) and
 * optionally attainment (quota attainment, e.g. 0.85).
 *
 * Output (stdout), three CSV blocks separated by a blank line:
 *   1. lead_id,owner,reassignments,state,action,new_owner,due_at,next_at,tier,
 *      snoozed_until
 *      one row per lead in order of first appearance: the SLA state, the
 *      action due now (none|warn|remind|escalate|reassign|recycle), for a
 *      reassign the rep lg_route picks from the reps file (empty when
 *      nobody can take it or no reps file was given), the deadline and the
 *      time the state or action next changes (ISO 8601, or `never`), and
 *      the follow-up tier in effect (the index of the policy's follow-up
 *      rule, 0 while a policy has one; empty without an SLA), and when
 *      the current assignment is snoozed at `now`, the end of that snooze
 *      (overlapping snoozes merged; empty otherwise).  Each
 *      pick counts against the rep (open_leads + 1, last assigned now) so
 *      later picks in the same run spread the work.
 *   2. rep,assigned,followed_up,in_sla,in_sla_pct,median_response,
 *      p90_response,breaches,open_overdue   from lg_stats, responses in
 *      business hours and minutes (e.g. 5h30m), empty when nothing was
 *      followed up.
 *   3. metric,value   the Pearson r between each rep's in-SLA follow-up
 *      rate and the attainment the reps file gives (lg_stats_correlation),
 *      or `n/a` with the reason.
 *
 * Checks on the assignments: an exact duplicate row (same lead, owner and
 * times) is a warning and counts once; a touched_at at or after the lead's
 * next assignment (the instant of a reassignment belongs to the new owner)
 * cannot be the old owner's follow-up: it is reported and not counted
 * (exit status 1).  A rep with an attainment but no assignments is left
 * out of the correlation, with a note, and r is computed over the others.
 *
 * Exit status (cli.h): 0 success; 1 when a touch could not be counted;
 * 2 for bad usage or an unreadable or malformed input (FILE:LINE[:COL]:
 * why).
 */
#include "cli.h"
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_line[] =
    "usage: leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE] [--snoozes FILE]\n"
    "                          [--now TIME]\n";

static const char help_text[] =
    "usage: leadgate-sla-watch --policy FILE --assignments FILE [--reps FILE] [--snoozes FILE]\n"
    "                          [--now TIME]\n"
    "\n"
    "The follow-up SLA action due for every assigned lead, per-rep compliance,\n"
    "and the correlation between in-SLA follow-up and quota attainment.\n"
    "\n"
    "  --policy FILE       the policy (follow-up ladder, calendar, routing)\n"
    "  --assignments FILE  CSV: lead_id,owner,assigned_at[,touched_at]; a lead's\n"
    "                      rows are its (re)assignments in time order; touched_at\n"
    "                      is that assignment's first follow-up (may be empty)\n"
    "  --reps FILE         CSV: id,available,open_leads,capacity,weight,\n"
    "                      last_assigned_at[,attainment] (for reassignments and\n"
    "                      the correlation)\n"
    "  --snoozes FILE      CSV: lead_id,from,until: the lead's clock does not run in\n"
    "                      [from, until) (a prospect who asked to be called later);\n"
    "                      it belongs to the assignment current at from\n"
    "  --now TIME          the evaluation instant (default: the system clock)\n"
    "  FILE may be - for standard input (one of them at most).\n"
    "\n"
    "Formats: columns in any order, extra columns ignored; a UTF-8 BOM is\n"
    "skipped; spaces around unquoted cells are trimmed.  Times are epoch\n"
    "seconds or ISO 8601 with a zone (2026-11-18T09:30:00Z, +01:00; fractional\n"
    "seconds are truncated), years 0001..9999.  available is 1, 0, true or\n"
    "false (any case); open_leads and capacity (0 = unlimited) are whole numbers\n"
    ">= 0, weight >= 1; attainment is a number such as 0.85.\n"
    "\n"
    "Checks: an exact duplicate assignment row is a warning and counts once;\n"
    "a touched_at at or after the lead's next assignment (that instant belongs\n"
    "to the new owner) is reported and not counted; a rep with an attainment\n"
    "but no assignments is left out of the correlation, with a note.\n"
    "\n"
    "Output: three CSV blocks separated by a blank line: lead_id,owner,\n"
    "reassignments,state,action,new_owner,due_at,next_at,tier,snoozed_until;\n"
    "rep,assigned,"
    "followed_up,in_sla,in_sla_pct,median_response,p90_response,breaches,\n"
    "open_overdue; metric,value.\n"
    "\n"
    "Exit status: 0 success; 1 a touch could not be counted (reported on\n"
    "stderr); 2 bad usage or bad input (FILE:LINE[:COLUMN]: message).\n";

static lg_time wall_clock_now(void) { return (lg_time)time(NULL); }

typedef struct options {
  const char *policy, *assignments, *reps, *snoozes;
  lg_time     now;
} options;

/* Everything the program owns, so that release() (registered with atexit)
 * frees it on every exit, error exits included. */
typedef struct state {
  cli_csv          csv; /* the CSV file being read */
  lg_policy       *policy;
  data_assignments as;
  data_reps        reps;
  data_snoozes     snoozes;
  lg_stats        *stats;
  const char     **names; /* reps given to lg_stats_correlation */
  double          *att;
  const char     **skipped; /* reps with an attainment but no assignments */
} state;

static state the_state;

static void release(void) {
  state *g = &the_state;
  cli_csv_close(&g->csv);
  data_assignments_free(&g->as);
  lg_stats_free(g->stats);
  data_reps_free(&g->reps);
  data_snoozes_free(&g->snoozes);
  free(g->names);
  free(g->att);
  free(g->skipped);
  lg_policy_free(g->policy);
  memset(g, 0, sizeof *g);
}

static void parse_args(int argc, char **argv, options *o) {
  const char      *now = NULL;
  size_t           n_files;
  char             why[160];
  const cli_option opts[] = { { "--policy", &o->policy, NULL },
                              { "--assignments", &o->assignments, NULL },
                              { "--reps", &o->reps, NULL },
                              { "--snoozes", &o->snoozes, NULL },
                              { "--now", &now, NULL } };
  memset(o, 0, sizeof *o);
  cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], help_text, NULL, 0, &n_files);
  if (!o->policy) cli_usage_error("--policy is required");
  if (!o->assignments) cli_usage_error("--assignments is required");
  if (now && !cli_parse_time(now, &o->now, why, sizeof why)) cli_usage_error("--now: %s", why);
  if (!now) o->now = wall_clock_now();
}

static void print_duration(lg_duration d) {
  printf("%lldh%02lldm", (long long)(d / 3600), (long long)(d % 3600 / 60));
}

static void report_lead(const lg_policy *policy, const lg_lead *lead, data_reps *reps,
                        const data_snoozes *snoozes, lg_time now) {
  lg_time       until;
  lg_sla_status s;
  char          buf[32];
  const char   *new_owner = "";
  lg_status     st = lg_sla_eval(policy, lead, now, &s);
  size_t        chosen;

  if (st != LG_OK) cli_die(cli_name(), "lg_sla_eval: %s", lg_status_message(st));
  if (s.action == LG_ACTION_REASSIGN && reps->n &&
      lg_route(policy, lead, reps->reps, reps->n, now, &chosen) == LG_OK) {
    lg_rep *r = &reps->reps[chosen];
    new_owner = r->id;
    if (r->open_leads < INT32_MAX) r->open_leads++;
    r->last_assigned_at = now;
  }
  csv_write_field(stdout, lg_lead_id(lead));
  putchar(',');
  csv_write_field(stdout, lg_lead_owner(lead) ? lg_lead_owner(lead) : "");
  printf(",%d,%s,%s,", (int)s.reassignments, lg_sla_state_name((lg_sla_state)s.state),
         lg_action_name((lg_action)s.action));
  csv_write_field(stdout, new_owner);
  putchar(',');
  if (s.state != LG_SLA_NONE) {
    cli_format_time(s.due_at, buf);
    fputs(buf, stdout);
  }
  cli_format_time(s.next_at, buf);
  printf(",%s,", buf);
  if (s.state != LG_SLA_NONE) printf("%d", (int)s.tier);
  putchar(',');
  if ((until = data_snoozed_until(snoozes, lead, now)) != 0) {
    cli_format_time(until, buf);
    fputs(buf, stdout);
  }
  putchar('\n');
}

static void report_reps(state *g, const options *o) {
  const lg_stats  *stats = g->stats;
  const data_reps *reps = &g->reps;
  size_t           i, n = lg_stats_rep_count(stats), k, skipped;
  const char     **names;
  double          *att, r;
  lg_status        st;

  printf("\nrep,assigned,followed_up,in_sla,in_sla_pct,median_response,p90_response,"
         "breaches,open_overdue\n");
  for (i = 0; i < n; i++) {
    lg_rep_stats s;
    if (lg_stats_rep(stats, i, &s) != LG_OK) cli_die(cli_name(), "cannot read a rep's statistics");
    csv_write_field(stdout, s.rep);
    printf(",%u,%u,%u,%.1f,", (unsigned)s.assigned, (unsigned)s.touched, (unsigned)s.touched_in_sla,
           s.assigned ? 100.0 * (double)s.touched_in_sla / (double)s.assigned : 0.0);
    if (s.touched) print_duration(s.median_response);
    putchar(',');
    if (s.touched) print_duration(s.p90_response);
    printf(",%u,%u\n", (unsigned)s.breached, (unsigned)s.open_overdue);
  }

  printf("\nmetric,value\n");
  names = g->names = malloc((reps->n ? reps->n : 1) * sizeof *names);
  att = g->att = malloc((reps->n ? reps->n : 1) * sizeof *att);
  g->skipped = malloc((reps->n ? reps->n : 1) * sizeof *g->skipped);
  if (!names || !att || !g->skipped) cli_die(cli_name(), "out of memory");
  k = data_correlation_set(reps, stats, names, att, g->skipped, &skipped);
  for (i = 0; i < skipped; i++)
    cli_note("note: %s has an attainment but no assignments; left out of the correlation",
             g->skipped[i]);
  if (!o->reps) {
    printf("in_sla_rate_vs_attainment_r,n/a (no --reps file given)\n");
  } else if (!reps->attainment_column) {
    printf("in_sla_rate_vs_attainment_r,n/a (%s has no attainment column)\n", o->reps);
  } else if (k == 0) {
    printf("in_sla_rate_vs_attainment_r,n/a (no rep in %s has both an attainment and "
           "assignments)\n",
           o->reps);
  } else if ((st = lg_stats_correlation(stats, names, att, k, &r)) == LG_OK) {
    printf("in_sla_rate_vs_attainment_r,%.3f\nreps_correlated,%lu\n", r, (unsigned long)k);
  } else {
    printf("in_sla_rate_vs_attainment_r,n/a (%s)\n",
           st == LG_ERR_RANGE ? "fewer than 2 reps or no variance" : lg_status_name(st));
  }
  for (i = 0; i < skipped; i++) {
    printf("reps_skipped_no_assignments,");
    csv_write_field(stdout, g->skipped[i]);
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  static char out_buffer[1 << 16];
  state      *g = &the_state;
  options     o;
  size_t      i;

  cli_init("leadgate-sla-watch", usage_line);
  atexit(release);
  setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  parse_args(argc, argv, &o);
  g->policy = cli_load_policy(o.policy);
  if (o.snoozes) data_load_snoozes(&g->snoozes, &g->csv, o.snoozes);
  data_load_assignments(&g->as, &g->csv, o.assignments, &g->snoozes);
  if (o.reps) data_load_reps(&g->reps, &g->csv, o.reps);
  if (lg_stats_create(g->policy, &g->stats) != LG_OK) cli_die(cli_name(), "out of memory");

  printf("lead_id,owner,reassignments,state,action,new_owner,due_at,next_at,tier,"
         "snoozed_until\n");
  for (i = 0; i < g->as.n_leads; i++) {
    report_lead(g->policy, g->as.leads[i], &g->reps, &g->snoozes, o.now);
    if (lg_stats_add(g->stats, g->as.leads[i], o.now) != LG_OK)
      cli_die(cli_name(), "lg_stats_add failed (out of memory)");
  }
  report_reps(g, &o);
  if (fflush(stdout) != 0 || ferror(stdout)) cli_die("stdout", "write error");
  if (g->as.dropped_touches)
    cli_note("%lu touch%s not counted (see above)", g->as.dropped_touches,
             g->as.dropped_touches == 1 ? "" : "es");
  return g->as.dropped_touches ? CLI_EXIT_FINDINGS : CLI_EXIT_OK; /* release() runs at exit */
}
