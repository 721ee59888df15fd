/*
 * leadgate.h - lead scoring, MQL qualification and follow-up SLAs.
 *
 * leadgate is a pure C99 library: it does no I/O, reads no clock, no
 * environment and no locale, starts no threads and keeps no hidden state
 * (the allocator setting is the one global).  The host passes text
 * definitions, lead data and the current time; the library answers.
 *
 * Conventions used throughout this header
 *
 *   - Every fallible function returns lg_status (LG_OK == 0) and writes its
 *     results through out-parameters, which come last.  On failure the
 *     out-parameters and the objects passed in are left exactly as they
 *     were, unless the function says otherwise.
 *   - Getters that cannot fail return their value directly.
 *   - Every create/parse has one free; lg_X_free(NULL) does nothing.
 *   - Strings passed in are copied.  Strings returned point into the object
 *     that returned them and live as long as it; for a lead, lg_lead_id's
 *     string does, and the others (text values, owners) live until the
 *     next call that changes the lead (its strings share one block that
 *     may move when it grows).
 *   - Times are lg_time, seconds since 1970-01-01T00:00:00Z.  Every time
 *     the library accepts must lie in [LG_TIME_MIN, LG_TIME_MAX] (years
 *     0001 to 9999); anything else is LG_ERR_RANGE.  LG_TIME_NEVER is a
 *     result only ("no such time").  Arithmetic never overflows.
 *   - Points are lg_points, milli-points: 1 point is 1000.
 *   - Thread safety: lg_rubric, lg_policy and lg_calendar are immutable once
 *     made and may be shared by any number of threads.  lg_lead and
 *     lg_stats are not thread-safe: one per thread, or lock.  Functions that
 *     only read a lead (or only read an lg_stats) may run concurrently with
 *     each other.  Functions without an object (lg_status_*, lg_version_*)
 *     are thread-safe and return static strings.  Objects made or freed on
 *     several threads need an allocator (lg_set_allocator) that is
 *     thread-safe; the default one (malloc) is.
 *   - Boundary types are fixed width; result structs have the documented
 *     layout, with no bit-fields, unions, long or bool.
 *
 * The rubric, policy and calendar text formats are summarised next to
 * their parsers below; the one full specification is README.md, section
 * "Formats".
 *
 * First calls (error checks left out):
 *
 *   lg_rubric *rubric;  lg_policy *policy;  lg_lead *lead;
 *   lg_decision d;      lg_sla_status sla;  lg_error err;
 *   lg_rubric_parse(rubric_text, strlen(rubric_text), &rubric, &err);
 *   lg_policy_parse(policy_text, strlen(policy_text), &policy, &err);
 *   lg_lead_create("L-1001", &lead);
 *   lg_lead_set_text(lead, "need", "high");
 *   lg_lead_set_int(lead, "employees", 250);
 *   lg_lead_add_event(lead, "demo_requested", now - 3600);
 *   lg_decide(rubric, policy, lead, now, &d);     d.verdict, d.grade, d.reason
 *   lg_lead_assign(lead, "ana", now);             starts the follow-up clock
 *   lg_sla_eval(policy, lead, now + 86400, &sla); sla.state, sla.action
 *   lg_lead_free(lead);
 *   lg_policy_free(policy);
 *   lg_rubric_free(rubric);
 *
 * Growing the boundary (ABI).  Result structs that may grow end in
 * reserved fields: later versions give them meaning in place, so sizes,
 * offsets and array strides stay as they are (the library writes 0 there
 * today).  In structs the host fills (lg_rep, lg_allocator) reserved
 * fields must be 0 / NULL; the library rejects anything else, so that a
 * later version can give a non-zero value meaning without surprising an
 * older host.  lg_score and lg_error are frozen.  lg_struct_size tells a
 * binding the size of each struct in the library it loaded, so it can
 * refuse a library built from another header.  Versions before 1.0: the
 * shared library's SONAME carries MAJOR.MINOR (libleadgate.so.0.2), and a
 * new MINOR may change the ABI; the CMake package accepts the same
 * MAJOR.MINOR only (SameMinorVersion).  From 1.0, the SONAME is MAJOR.
 */
#ifndef LEADGATE_H
#define LEADGATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(LEADGATE_SHARED_BUILD)
#  define LG_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define LG_API __attribute__((visibility("default")))
#else
#  define LG_API
#endif

/* ========================================================================
 * Version
 * ===================================================================== */

#define LG_VERSION_MAJOR  0
#define LG_VERSION_MINOR  2
#define LG_VERSION_PATCH  0
#define LG_VERSION_NUMBER (LG_VERSION_MAJOR * 10000 + LG_VERSION_MINOR * 100 + LG_VERSION_PATCH)
#define LG_VERSION_STRING "0.2.0"

/* The version of the library actually linked, as LG_VERSION_NUMBER and as
 * "MAJOR.MINOR.PATCH".  Compare with the macros to detect a header/library
 * mismatch.  (CMakeLists.txt reads the version from the three macros above:
 * they are its one source.) */
LG_API unsigned    lg_version_number(void);
LG_API const char *lg_version_string(void);

/* ========================================================================
 * Core types, status and errors
 * ===================================================================== */

typedef int64_t lg_time;     /* seconds since 1970-01-01T00:00:00Z */
typedef int64_t lg_duration; /* seconds */
typedef int64_t lg_points;   /* milli-points: 1 point == 1000 */

#define LG_TIME_NEVER INT64_MAX
#define LG_TIME_MIN   INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define LG_TIME_MAX   INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

typedef enum lg_status {
  LG_OK = 0,
  LG_ERR_NOMEM = 1,     /* an allocation failed; nothing was changed */
  LG_ERR_INVALID = 2,   /* a bad argument (NULL where not allowed, bad name,
                           ...); lg_name_check / lg_text_check say why */
  LG_ERR_SYNTAX = 3,    /* text definition does not parse; see lg_error */
  LG_ERR_NOT_FOUND = 4, /* no such attribute / rep / criterion */
  LG_ERR_RANGE = 5,     /* a number or time out of range, or would overflow */
  LG_ERR_LIMIT = 6,     /* a documented limit was exceeded */
  LG_ERR_TYPE = 7,      /* a value of the wrong type for the operation */
  LG_ERR_STATE = 8,     /* not allowed in the object's current state
                           (e.g. an illegal lifecycle transition) */
  LG_ERR_BUFFER = 9     /* caller's buffer too small; *needed says how big */
} lg_status;

/* The enumerator's name ("LG_ERR_SYNTAX") and one English sentence saying
 * what it means.  Unknown values give "LG_ERR_UNKNOWN" and a sentence saying
 * so; never NULL.  The strings are static. */
LG_API const char *lg_status_name(lg_status status);
LG_API const char *lg_status_message(lg_status status);

/* Filled by the parsers (lg_rubric_parse, lg_policy_parse,
 * lg_calendar_parse) on every call: status LG_OK, position 0 and an empty
 * message on success; on failure the status returned, the 1-based line and
 * column (counted in UTF-8 characters) of the offending text, or 0 when the
 * error is not about a position (e.g. LG_ERR_NOMEM), and what was expected,
 * e.g. "expected '->' after match list". */
typedef struct lg_error {
  int32_t  status;
  uint32_t line, column;
  char     message[160];
} lg_error;

/* Whether `name` is a valid attribute or event-type name,
 * [a-z][a-z0-9_]{0,63}, and whether text[0..len) is well-formed UTF-8 (no
 * overlong forms, no surrogates) of at most `limit` bytes (0: no limit).
 * The lead setters answer LG_ERR_INVALID for a NULL, a malformed name and
 * bad UTF-8 alike; these say which and where.  `err` may be NULL; when
 * given it is always filled: on failure, line 1 and the 1-based byte
 * column of the first offending byte (0 for NULL), and a message such as
 * "name must start with a lowercase letter a-z, got 'A'".
 * Returns: LG_ERR_INVALID (NULL, malformed, bad UTF-8), LG_ERR_LIMIT (too
 * long).  Thread-safe; no allocation. */
LG_API lg_status lg_name_check(const char *name, lg_error *err);
LG_API lg_status lg_text_check(const char *text, size_t len, size_t limit, lg_error *err);

/* ========================================================================
 * Times as text
 * ===================================================================== */

#define LG_TIME_TEXT_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/* Parses text[0..len) as a time.  Accepted, and nothing else:
 *   YYYY-MM-DDTHH:MM:SSZ                     UTC
 *   YYYY-MM-DDTHH:MM:SS+HH:MM (or -HH:MM)    local time at that offset
 *   either with a fraction after the seconds (.5, .000, up to 9 digits),
 *   which is dropped: times are whole seconds (truncated toward the past)
 *   [+-]DIGITS                               epoch seconds
 * A lowercase 't' or 'z', a space for 'T', missing seconds or offset,
 * leading or trailing spaces are LG_ERR_SYNTAX.  Seconds 60 (leap) are
 * LG_ERR_SYNTAX: lg_time has no leap seconds.  Offsets are at most
 * +-23:59.
 * Returns: LG_ERR_INVALID for NULL text/out, LG_ERR_SYNTAX, LG_ERR_RANGE
 * for a valid time outside [LG_TIME_MIN, LG_TIME_MAX] (years 0001..9999).
 * Thread-safe; no allocation. */
LG_API lg_status lg_time_parse(const char *text, size_t len, lg_time *out);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ", NUL-terminated, with the buffer
 * contract of lg_rubric_to_text (LG_TIME_TEXT_SIZE bytes always suffice).
 * Returns: LG_ERR_RANGE for t outside [LG_TIME_MIN, LG_TIME_MAX],
 * LG_ERR_BUFFER.  Thread-safe; no allocation. */
LG_API lg_status lg_time_format(lg_time t, char *buf, size_t cap, size_t *needed);

/* ========================================================================
 * Struct sizes, for bindings
 * ===================================================================== */

typedef enum lg_struct_id {
  LG_STRUCT_ERROR = 1,
  LG_STRUCT_ALLOCATOR = 2,
  LG_STRUCT_SCORE = 3,
  LG_STRUCT_CONTRIBUTION = 4,
  LG_STRUCT_DECISION = 5,
  LG_STRUCT_SLA_STATUS = 6,
  LG_STRUCT_REP = 7,
  LG_STRUCT_REP_STATS = 8,
  LG_STRUCT_FINDING = 9,
  LG_STRUCT_LEARN_OPTIONS = 10
} lg_struct_id;

/* sizeof the struct in the library actually loaded; 0 for an unknown id.
 * A binding that declares a struct itself compares this with its own
 * size at load and refuses a library that disagrees.  Thread-safe. */
LG_API size_t lg_struct_size(lg_struct_id id);

/* ========================================================================
 * Leads
 *
 * A lead holds what is known of a prospect: typed attributes, events (what
 * they did, and when), its lifecycle stage and its follow-up timeline
 * (assignments to owners, first touches, SLA actions carried out).
 *
 * Names (attributes, event types) match [a-z][a-z0-9_]{0,63}.  A lead id is
 * 1 to 256 bytes of UTF-8.  Text values are UTF-8, at most 1024 bytes.
 * An owner is 1 to 256 bytes of UTF-8.  A lead holds at most 256
 * attributes, 10,000 events and 1,000 assignments (LG_ERR_LIMIT beyond).
 *
 * Strings a lead returns point into the lead.  Its id lives until the lead
 * is reset (lg_lead_reset) or freed; the others (attribute names and text values, event types, owners)
 * stay valid until the next call that changes the lead (a set, unset,
 * add_event or assign may move them) or until it is freed.  They may be
 * passed straight back to the lead's own functions.
 * ===================================================================== */

typedef struct lg_lead lg_lead;

#define LG_MAX_ID_BYTES    256
#define LG_MAX_NAME_BYTES  64
#define LG_MAX_TEXT_BYTES  1024
#define LG_MAX_ATTRIBUTES  256
#define LG_MAX_EVENTS      10000
#define LG_MAX_ASSIGNMENTS 1000
#define LG_MAX_SNOOZES     1000 /* per assignment, after merging */

/* Makes an empty lead in stage LG_STAGE_NEW.
 * Returns: LG_ERR_INVALID for a NULL or malformed id, LG_ERR_NOMEM. */
LG_API lg_status lg_lead_create(const char *id, lg_lead **out);

/* Makes an independent deep copy of `lead`.
 * Returns: LG_ERR_INVALID, LG_ERR_NOMEM. */
LG_API lg_status lg_lead_clone(const lg_lead *lead, lg_lead **out);

/* Frees the lead and everything it owns; every string obtained from it
 * becomes invalid.  NULL does nothing. */
LG_API void lg_lead_free(lg_lead *lead);

/* The id given at creation or at the last lg_lead_reset; NULL for a NULL
 * lead.  The string stays where it is until the next lg_lead_reset or
 * lg_lead_free, whatever else changes. */
LG_API const char *lg_lead_id(const lg_lead *lead);

/* Empties `lead` for reuse as the lead `id`: no attributes, events, stage
 * change, assignments or snoozes (as lg_lead_create leaves it), keeping its
 * memory, so that building the next lead of similar size allocates
 * nothing.  A host that builds leads one after another (a CSV, a feed)
 * resets one lead instead of creating and freeing one per row; the memory
 * kept is that of the largest lead built so far, returned by lg_lead_free.
 * `id` may be lg_lead_id(lead) itself.  Every string handed out before
 * (lg_lead_id, lg_lead_get_text, lg_lead_owner, ...) becomes invalid.
 * Returns: LG_ERR_INVALID for a NULL lead or an id lg_lead_create refuses;
 * LG_ERR_NOMEM only when `id` is longer than every id the lead had and
 * needs a block of its own.  On failure the lead is unchanged.  Not
 * thread-safe (the lead is one thread's, see the conventions above). */
LG_API lg_status lg_lead_reset(lg_lead *lead, const char *id);

/* Makes room so that storing up to `attrs` more attributes, `events` more
 * events and `bytes` more bytes of attribute names, text values and event
 * type names (strlen of each, summed) allocates nothing.  Only capacity
 * changes: what the lead holds and the strings it handed out stay as they
 * are, unless room was made (then see "Strings a lead returns").  The
 * room stays until used, through lg_lead_reset too.
 * Returns: LG_ERR_INVALID for a NULL lead; LG_ERR_LIMIT when the lead
 * would then hold more than LG_MAX_ATTRIBUTES attributes or LG_MAX_EVENTS
 * events, or `bytes` is more than a lead can hold, LG_MAX_ATTRIBUTES *
 * (LG_MAX_NAME_BYTES + LG_MAX_TEXT_BYTES) + LG_MAX_EVENTS *
 * LG_MAX_NAME_BYTES + LG_MAX_ASSIGNMENTS * LG_MAX_ID_BYTES (1,174,528);
 * LG_ERR_NOMEM (the lead is then unchanged; part of the room may have
 * been made).  Not thread-safe, like every call that changes a lead. */
LG_API lg_status lg_lead_reserve(lg_lead *lead, size_t attrs, size_t events, size_t bytes);

/* Sets an attribute, replacing any old value and type.  Booleans are stored
 * as 0 or 1 (any non-zero `value` is 1).  Text may be empty.
 * Returns: LG_ERR_INVALID for NULL arguments or a malformed name or
 * non-UTF-8 text, LG_ERR_LIMIT for text over 1024 bytes or a 257th
 * attribute, LG_ERR_NOMEM. */
LG_API lg_status lg_lead_set_text(lg_lead *lead, const char *name, const char *value);
LG_API lg_status lg_lead_set_int(lg_lead *lead, const char *name, int64_t value);
LG_API lg_status lg_lead_set_bool(lg_lead *lead, const char *name, int value);

/* Removes an attribute.
 * Returns: LG_ERR_INVALID, LG_ERR_NOT_FOUND if absent. */
LG_API lg_status lg_lead_unset(lg_lead *lead, const char *name);

/* Attribute type codes returned by lg_lead_attr_type. */
typedef enum lg_value_type {
  LG_VALUE_NONE = 0,
  LG_VALUE_TEXT = 1,
  LG_VALUE_INT = 2,
  LG_VALUE_BOOL = 3
} lg_value_type;

/* The type of attribute `name` (lg_value_type); LG_VALUE_NONE when absent
 * or when an argument is NULL or malformed. */
LG_API int lg_lead_attr_type(const lg_lead *lead, const char *name);

/* Reads an attribute.  The text points into the lead and lives until the
 * next call that changes the lead, or until the lead is freed.
 * Returns: LG_ERR_INVALID, LG_ERR_NOT_FOUND if absent, LG_ERR_TYPE if the
 * attribute has another type. */
LG_API lg_status lg_lead_get_text(const lg_lead *lead, const char *name, const char **value);
LG_API lg_status lg_lead_get_int(const lg_lead *lead, const char *name, int64_t *value);
LG_API lg_status lg_lead_get_bool(const lg_lead *lead, const char *name, int *value);

/* Records that the prospect did `type` (a name, e.g. "demo_requested") at
 * `at`.  Events may be added in any order; the lead keeps them sorted by
 * time (equal times keep insertion order).
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a time outside
 * [LG_TIME_MIN, LG_TIME_MAX], LG_ERR_LIMIT past 10,000 events,
 * LG_ERR_NOMEM. */
LG_API lg_status lg_lead_add_event(lg_lead *lead, const char *type, lg_time at);

/* Adds n events, event i of type types[i] at at[i], exactly as n calls of
 * lg_lead_add_event in index order would (the same order of events, equal
 * times in insertion order), but all or nothing: on any error the lead is
 * unchanged.  n == 0 does nothing (types and at may then be NULL).  The
 * arrays are only read during the call.  Costs: a type pointer seen
 * before in the same call is neither checked nor looked up again (pass
 * the same pointer for the same type, e.g. from a table of the types
 * you know); events sorted by time and not earlier than the lead's last
 * event are appended without a search; an earlier one is inserted as
 * lg_lead_add_event inserts it.
 * Returns: the error the first failing one of those n calls would return,
 * for arguments: LG_ERR_INVALID for a NULL lead, NULL arrays (n > 0) or a
 * NULL or malformed type, LG_ERR_RANGE for a time outside [LG_TIME_MIN,
 * LG_TIME_MAX], LG_ERR_LIMIT past 10,000 events; then LG_ERR_NOMEM.  The
 * index of the event at fault is not reported: it is the first i for
 * which lg_name_check(types[i], NULL) fails or at[i] lies outside that
 * range (for LG_ERR_LIMIT, 10,000 minus lg_lead_event_count(lead)).
 * The copies of the type names are the lead's; not thread-safe. */
LG_API lg_status lg_lead_add_events(lg_lead *lead, const char *const *types, const lg_time *at,
                                    size_t n);

/* Number of events held; 0 for NULL. */
LG_API size_t lg_lead_event_count(const lg_lead *lead);

/* Read-back, for bindings and tools.  Attributes are visited in the
 * lead's storage order (unspecified, stable until the lead changes; sort
 * by name if order matters), events in time order (equal times in
 * insertion order), assignments in timeline order (the last is
 * current); values are read with lg_lead_get_text/int/bool.  Strings
 * point into the lead (see "Strings a lead returns").  For an untouched
 * assignment *touched_at is LG_TIME_NEVER.  Out-parameters may be NULL
 * when not wanted.  Do not allocate; O(attributes) per attribute call.
 * Returns: LG_ERR_INVALID for a NULL lead, LG_ERR_NOT_FOUND for i past
 * the end. */
LG_API size_t    lg_lead_attr_count(const lg_lead *lead);
LG_API lg_status lg_lead_attr_at(const lg_lead *lead, size_t i, const char **name,
                                 lg_value_type *type);
LG_API lg_status lg_lead_event_at(const lg_lead *lead, size_t i, const char **type, lg_time *at);
LG_API lg_status lg_lead_assignment_at(const lg_lead *lead, size_t i, const char **owner,
                                       lg_time *assigned_at, lg_time *touched_at);

/* Lifecycle stages. */
typedef enum lg_stage {
  LG_STAGE_NEW = 0,
  LG_STAGE_NURTURE = 1,
  LG_STAGE_MQL = 2,
  LG_STAGE_SAL = 3,
  LG_STAGE_SQL = 4,
  LG_STAGE_OPPORTUNITY = 5,
  LG_STAGE_WON = 6,
  LG_STAGE_LOST = 7,
  LG_STAGE_DISQUALIFIED = 8
} lg_stage;

/* The stage's name as the policy language spells it ("new", "nurture",
 * "mql", "sal", "sql", "opportunity", "won", "lost", "disqualified");
 * NULL for a value outside lg_stage.  lg_stage_from_name is its inverse,
 * ASCII-case-insensitive ("MQL" is LG_STAGE_MQL).
 * Returns: LG_ERR_INVALID for NULL, LG_ERR_NOT_FOUND for another name.
 * Thread-safe; static strings. */
LG_API const char *lg_stage_name(lg_stage stage);
LG_API lg_status   lg_stage_from_name(const char *name, lg_stage *out);

/* Moves the lead to stage `to` at time `at`.  Allowed transitions:
 *   NEW -> NURTURE | MQL | DISQUALIFIED      NURTURE -> MQL | DISQUALIFIED
 *   MQL -> SAL | NURTURE | DISQUALIFIED      SAL -> SQL | NURTURE | DISQUALIFIED
 *   SQL -> OPPORTUNITY | NURTURE | DISQUALIFIED
 *   OPPORTUNITY -> WON | LOST    LOST -> NURTURE    DISQUALIFIED -> NURTURE
 * `at` is checked and kept with the stage (clones copy it); no function
 * reads it yet.  Setting the current stage again is a no-op (LG_OK, the
 * kept time unchanged).
 * Returns: LG_ERR_INVALID for NULL or a value outside lg_stage,
 * LG_ERR_RANGE for a bad time, LG_ERR_STATE for any other transition. */
LG_API lg_status lg_lead_set_stage(lg_lead *lead, lg_stage to, lg_time at);

/* The current stage; LG_STAGE_NEW for NULL. */
LG_API lg_stage lg_lead_stage(const lg_lead *lead);

/* Assigns the lead to `owner` at `at`, starting a new follow-up SLA clock.
 * The second and later assignments count as reassignments.  Assignments
 * form a timeline: `at` must not be earlier than the previous assignment.
 * Assigning the lead to its current owner at the very instant of the
 * current assignment is a no-op (LG_OK; a repeated feed row must not count
 * as a reassignment); to another owner at that instant it is a
 * reassignment.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad time, LG_ERR_STATE for an
 * assignment earlier than the previous one, LG_ERR_LIMIT, LG_ERR_NOMEM. */
LG_API lg_status lg_lead_assign(lg_lead *lead, const char *owner, lg_time at);

/* The current owner, or NULL when never assigned or for a NULL lead.  The
 * string points into the lead (see "Strings returned" at the top). */
LG_API const char *lg_lead_owner(const lg_lead *lead);

/* Number of assignments so far (reassignments are this minus one); 0 for a
 * NULL lead. */
LG_API size_t lg_lead_assignment_count(const lg_lead *lead);

/* Records a follow-up (call, e-mail, meeting) of the current assignment at
 * `at`.  Only the first follow-up counts for the SLA: an earlier touch
 * replaces a later one, a later one is ignored (LG_OK).  A touch counts
 * for the assignment whose clock ran at its instant: a touch at the very
 * instant of a reassignment belongs to the new owner, whether it was
 * recorded before or after lg_lead_assign; one recorded on an assignment
 * but dated after the next assignment began counts for nobody.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad time, LG_ERR_STATE when
 * the lead is not assigned or `at` is before the current assignment. */
LG_API lg_status lg_lead_touch(lg_lead *lead, lg_time at);

/* SLA actions, in increasing severity (the order is part of the
 * contract: a recorded action hides every less severe one). */
typedef enum lg_action {
  LG_ACTION_NONE = 0,
  LG_ACTION_WARN = 1,
  LG_ACTION_REMIND = 2,
  LG_ACTION_ESCALATE = 3,
  LG_ACTION_REASSIGN = 4,
  LG_ACTION_RECYCLE = 5
} lg_action;

/* "none", "warn", "remind", "escalate", "reassign", "recycle" (the policy
 * language's step words); NULL for a value outside lg_action.
 * lg_action_from_name is the inverse, ASCII-case-insensitive.
 * Returns: LG_ERR_INVALID for NULL, LG_ERR_NOT_FOUND for another name.
 * Thread-safe; static strings. */
LG_API const char *lg_action_name(lg_action action);
LG_API lg_status   lg_action_from_name(const char *name, lg_action *out);

/* Tells the lead that the host carried out SLA action `action` (an
 * lg_action other than LG_ACTION_NONE) for the current assignment, so that
 * lg_sla_eval no longer returns it nor any less severe step.  Recording the
 * same action again is a no-op.  `at` is checked against the timeline but
 * not stored.
 * Returns: LG_ERR_INVALID for a bad action, LG_ERR_RANGE for a bad time,
 * LG_ERR_STATE when the lead is not assigned or `at` is before the current
 * assignment. */
LG_API lg_status lg_lead_record_action(lg_lead *lead, lg_action action, lg_time at);

/* Pauses the current assignment's follow-up clock in [from, until), e.g.
 * for a prospect who asked to be called after the 15th: lg_sla_eval's
 * elapsed, remaining, due_at, step times and next_at, and lg_stats_add's
 * response times, leave that time out (business seconds in it for a
 * `business` rule, wall-clock seconds otherwise; a snooze in closed hours
 * moves nothing).  Snoozes that overlap or touch merge into one.  A
 * snooze may lie in the future, and, like recorded actions, carries no
 * time of its own: an evaluation as of any `now` counts every snooze of
 * the assignment (elapsed only up to `now`).  A new assignment starts
 * with no snooze; the earlier assignment keeps its own for lg_stats_add.
 * Clones copy snoozes.  There is no read-back; snoozes cannot be removed.
 * Returns: LG_ERR_INVALID for NULL; LG_ERR_RANGE for a bad time or from >=
 * until; LG_ERR_STATE when the lead is not assigned or `from` is before
 * the current assignment; LG_ERR_LIMIT when the assignment would hold more
 * than LG_MAX_SNOOZES separate snoozes; LG_ERR_NOMEM (the lead is then
 * unchanged). */
LG_API lg_status lg_lead_snooze(lg_lead *lead, lg_time from, lg_time until);

/* ========================================================================
 * Rubric: the scoring model
 *
 * Text, one statement per line, `#` comments, indentation free:
 *
 *   rubric "b2b-default"
 *   fit "need" from need                  # fit: who the lead is
 *     when "high" -> 3                    # first matching when wins
 *     when <= 3 -> 3                      # numeric comparisons
 *     when 4..6 -> 2                      # and inclusive ranges
 *     when true -> 1                      # booleans
 *     otherwise -> 1                      # present, unmatched (default 0)
 *     missing -> 0                        # absent (default 0)
 *   engagement "demo" on demo_requested -> 25 expire 30d
 *   engagement "content" on content_download -> 2 each max 10 half-life 14d
 *   engagement "webinar" on webinar_attended -> 5 each linear 60d
 *   knockout "too small" when employees is < 10
 *
 * Text matches are ASCII-case-insensitive; a match of one type never
 * matches an attribute of another.  `once` (default) counts the most recent
 * event, `each` every event; events after `now` are ignored.  Decay of an
 * event of age a: half-life H gives p*2^(-a/H); expire D gives p while
 * a < D; linear D gives p*(1-a/D) while a < D.  Decay is integer
 * fixed-point and identical on every platform: each criterion's decayed
 * sum (before its cap) is within 1 milli-point of the exact sum however
 * many events it counts (the events are summed at 2^-32 milli-points and
 * rounded once, per criterion).
 *
 * Limits: text <= 1 MiB, <= 1024 criteria, <= 256 `when` lines per
 * criterion, points within +-1,000,000 (LG_ERR_LIMIT, with position).
 *
 * Text people write (all three parsers): one leading UTF-8 byte order mark
 * is skipped (columns count from after it).  Numbers take no thousands
 * separators: `>= 1,000` would read as the list `>= 1` or `0`, so a
 * comparison followed by a bare whole number (`< 20, 83`; a range, a
 * fraction, text or another comparison may follow), a number followed by
 * `,` and digits with a leading zero, and a `,` plus three digits after
 * any rule that takes one number are LG_ERR_SYNTAX saying so (`1, 250`
 * stays a list of two).
 *
 * Rules: `rubric` at most once, as the first statement.  Criterion names
 * are non-empty and unique across fit, engagement and knockout criteria.
 * A fit's `when` lines come before its `otherwise` and `missing` lines
 * (each at most once).  Engagement modifiers come in any order, each at
 * most once; `max` is positive and decay spans are longer than 0s.
 * Canonical text: criteria in text order, one space between tokens, a
 * two-space indent under `fit`, no comments or blank lines, normalised
 * numbers (2.50 -> 2.5) and durations (14d -> 2w), defaults (`once`, a zero
 * `otherwise` or `missing`) left out, modifiers printed as `each`, `max`,
 * decay; every line ends with a newline.
 * ===================================================================== */

typedef struct lg_rubric lg_rubric;

/* Parses `len` bytes of `text` (NUL not required) into a new rubric.
 * `err` may be NULL; when given it is always filled (see lg_error).
 * Returns: LG_ERR_INVALID for NULL text/out, LG_ERR_SYNTAX, LG_ERR_LIMIT
 * (text, criteria, when lines, points, a name over 64 bytes, a match
 * number beyond +-10^15), LG_ERR_RANGE (a decay span over 1000 years),
 * LG_ERR_NOMEM.  On failure *out is untouched and nothing is left
 * allocated. */
LG_API lg_status lg_rubric_parse(const char *text, size_t len, lg_rubric **out, lg_error *err);

/* Frees the rubric.  Strings obtained from it (lg_rubric_name,
 * lg_contribution fields, lg_next_question's attribute) become invalid.
 * NULL does nothing. */
LG_API void lg_rubric_free(lg_rubric *rubric);

/* Prints the rubric in canonical form (parse -> print -> parse gives the
 * same text) into buf, NUL-terminated.  `needed` may be NULL; when given,
 * it receives the size needed in bytes, NUL included, on LG_OK and on
 * LG_ERR_BUFFER.  buf may be NULL when cap is 0.
 * Returns: LG_ERR_INVALID, LG_ERR_BUFFER when cap < *needed (buf is then
 * not written). */
LG_API lg_status lg_rubric_to_text(const lg_rubric *rubric, char *buf, size_t cap, size_t *needed);

/* 64-bit FNV-1a of the canonical text (offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3): equal for texts that differ only in comments and
 * spacing, stable across runs, platforms and versions of the format.
 * 0 for NULL. */
LG_API uint64_t lg_rubric_fingerprint(const lg_rubric *rubric);

/* The name from the `rubric "..."` line ("" when absent); NULL for NULL. */
LG_API const char *lg_rubric_name(const lg_rubric *rubric);

/* The best possible fit score: the sum over fit criteria of their highest
 * outcome among the `when` lines, `otherwise` and `missing` (the last two
 * count as 0 when not written, so a criterion whose written outcomes are
 * all negative contributes 0).  0 for NULL. */
LG_API lg_points lg_rubric_max_fit(const lg_rubric *rubric);

/* What a definition reads, so that a host can check its data provides it
 * (a CSV column, an event feed) and type its columns. */
typedef enum lg_input_kind { LG_INPUT_ATTRIBUTE = 0, LG_INPUT_EVENT = 1 } lg_input_kind;

/* The attributes and event types the rubric reads, each name once per
 * kind: first the attributes, then the event types, each in order of
 * first use in the text.  *type is the value type the
 * rubric compares the attribute with (LG_VALUE_TEXT, LG_VALUE_INT or
 * LG_VALUE_BOOL), LG_VALUE_NONE when it compares it with more than one
 * type or only with `otherwise`/`missing`, and for events.  Out-parameters
 * may be NULL.  Strings point into the rubric.  No allocation.
 * Returns: LG_ERR_INVALID for a NULL rubric, LG_ERR_NOT_FOUND past the
 * end. */
LG_API size_t    lg_rubric_input_count(const lg_rubric *rubric);
LG_API lg_status lg_rubric_input_at(const lg_rubric *rubric, size_t i, const char **name,
                                    lg_input_kind *kind, lg_value_type *type);

/* ========================================================================
 * Scoring and explanations
 *
 * None of these functions allocates, and each needs less than 8 KiB of
 * stack.  Each reads the rubric and the lead only, so any number may run
 * concurrently on shared objects.
 * ===================================================================== */

typedef struct lg_score {
  lg_points fit, engagement, total;
  int32_t   knocked_out;    /* 1 if any knockout matched */
  int32_t   knockout_index; /* first matching knockout, -1 if none; counted
                               among knockouts only (0 = the first
                               `knockout` line of the rubric) */
  uint32_t  missing_count;  /* fit criteria whose attribute is absent */
  uint32_t  reserved;       /* 0 */
} lg_score;

/* Scores `lead` as of `now`: fit = sum of fit criteria, engagement = sum of
 * engagement criteria (each min(max, sum of decayed event points), the cap
 * applying to the absolute value), total = fit + engagement.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad `now`. */
LG_API lg_status lg_score_lead(const lg_rubric *rubric, const lg_lead *lead, lg_time now,
                               lg_score *out);

/* Scores n leads into out[0..n-1].  On failure (a NULL lead) out is
 * untouched.  Returns: as lg_score_lead. */
LG_API lg_status lg_score_many(const lg_rubric *rubric, const lg_lead *const *leads, size_t n,
                               lg_time now, lg_score *out);

typedef enum lg_kind { LG_KIND_FIT = 0, LG_KIND_ENGAGEMENT = 1, LG_KIND_KNOCKOUT = 2 } lg_kind;

/* "fit", "engagement", "knockout"; NULL for a value outside lg_kind.
 * Thread-safe; static strings. */
LG_API const char *lg_kind_name(lg_kind kind);

typedef struct lg_contribution {
  const char *criterion;   /* the criterion's name */
  const char *attribute;   /* attribute or event type */
  int32_t     kind;        /* lg_kind */
  int32_t     missing;     /* 1 if the attribute was absent (fit and
                             knockout criteria; always 0 for engagement) */
  lg_points   points;      /* after decay and caps; for a knockout 1000 if it
                             matched, else 0 */
  lg_points   max_points;  /* best this criterion can give: the highest
                             outcome for fit, |points| x events counted
                             (those at or before now; at most 1 for
                             `once`; 0 when there are none) capped by max
                             for engagement, 1000 for a knockout */
  int64_t     reserved[2]; /* 0 */
} lg_contribution;

/* One entry per criterion in rubric order (fit, engagement and knockout
 * criteria as they appear in the text).  *count receives the number of
 * entries on LG_OK and on LG_ERR_BUFFER; items is filled only when
 * cap >= *count.  The strings point into the rubric.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad `now`, LG_ERR_BUFFER
 * when cap is too small (items then not written). */
LG_API lg_status lg_explain(const lg_rubric *rubric, const lg_lead *lead, lg_time now,
                            lg_contribution *items, size_t cap, size_t *count);

/* Progressive profiling: the missing fit attribute whose criterion could
 * add the most points (best outcome minus the `missing` outcome; criteria
 * reading the same attribute add up; ties go to rubric order).  The gain
 * may be 0.  *attribute points into the rubric.  Reads attributes only.
 * Returns: LG_ERR_INVALID, LG_ERR_NOT_FOUND when nothing is missing. */
LG_API lg_status lg_next_question(const lg_rubric *rubric, const lg_lead *lead,
                                  const char **attribute, lg_points *gain);

/* ========================================================================
 * Policy: qualification, grades, calendar, follow-up SLA, routing
 *
 *   policy "inbound-emea"
 *   disqualify when knockout            # the default when absent
 *   qualify when fit >= 8 and (event demo_requested within 30d or engagement >= 15)
 *   grade "A" when fit >= 10
 *   grade "D"                           # fallback; first match wins
 *   calendar                            # see lg_calendar_parse
 *     utc-offset +01:00
 *     hours mon-fri 09:00-17:30
 *   follow-up within 1h business when event demo_requested within 1d
 *     escalate at 2h                    # tiers: the first that holds applies
 *   follow-up within 48h business       # or: within 72h (wall clock)
 *     warn at 75%
 *     escalate at 36h
 *     reassign at 48h max 2
 *     recycle at 96h
 *   route least-loaded                  # or round-robin
 *
 * Statements may come in any order, except that `policy` (at most once)
 * must be first and no grade may follow the fallback grade; `disqualify`,
 * `qualify`, `calendar` and `route` appear at most once.
 * Grade names are 1 to 15 bytes, at most 256 grades.  Step lines (warn,
 * remind, escalate, reassign, recycle; each at most once per rule)
 * directly follow their `follow-up` line; `N%` is 0..1000% of that rule's
 * target, `warn` must come before the target, `max N` (0..1000, reassign
 * only) caps reassignments.
 * Follow-up tiers: up to 256 `follow-up` rules, each with its own target,
 * basis and steps, and optionally `when EXPR` after the basis.  The first
 * rule whose condition holds as of the start of the current assignment
 * applies to that whole assignment (see lg_sla_eval); a rule without
 * `when` always holds and must be the last.  In a follow-up `when` the
 * score atoms (fit, engagement, total, knockout) are a syntax error: the
 * SLA clock is evaluated without a rubric (store a grade as an attribute
 * to tier by grade: `when attr grade is "A"`).
 *
 * Expressions: or, and (binds tighter), not, parentheses;
 * fit|engagement|total CMP N (points, may be negative or fractional);
 * knockout (any knockout matched); knockout "name" (that knockout matched;
 * a name the rubric lacks is false); event TYPE within D (an event with
 * now-D <= at <= now); attr NAME CMP VALUE (a number against an integer
 * attribute, "text" (ASCII-case-insensitive) or true/false with = and !=
 * only); attr NAME is MATCH, ... (as in the rubric); missing NAME; stage
 * is NAME (new, nurture, mql, sal, sql, opportunity, won, lost,
 * disqualified).  An absent attribute or one of another type makes every
 * attr comparison false, != included.  Each '(' and each `not` nests one
 * level; at most 64 (LG_ERR_LIMIT).
 *
 * Canonical text: policy, disqualify, qualify, grades, calendar, follow-up
 * rules (in text order, each with its `when` and steps), route, in that
 * order; one space between tokens, two-space indent in
 * blocks; parentheses only where needed; defaults spelled out
 * (`disqualify when knockout`, `route least-loaded`), so leaving them out
 * does not change the fingerprint.  Follow-up times print in h, m or s
 * (48h, not 2d: a day of business time is not a business day); expression
 * windows in the largest whole unit (14d prints as 2w).
 * A policy without a qualify line never qualifies; an empty policy is
 * valid.
 * ===================================================================== */

typedef struct lg_policy   lg_policy;
typedef struct lg_calendar lg_calendar;

/* Parses a policy, as lg_rubric_parse parses a rubric (same `err`
 * behaviour, same lexical rules, text <= 1 MiB).
 * Returns: LG_ERR_INVALID for NULL text/out; LG_ERR_SYNTAX (also for
 * repeated or misplaced statements, unknown stages, a follow-up rule after
 * one without `when`, a score atom in a follow-up `when`); LG_ERR_LIMIT
 * (text, nesting, grade or follow-up rule count, grade name length, points
 * beyond +-1,000,000, a step
 * over 1000%, a reassign max over 1000, a match or comparison number
 * beyond +-10^15); LG_ERR_RANGE (a zero follow-up target, a warn step not
 * before the target, a duration over 1000 years); LG_ERR_NOMEM.  On
 * failure *out is untouched and nothing is left allocated. */
LG_API lg_status lg_policy_parse(const char *text, size_t len, lg_policy **out, lg_error *err);

/* Frees the policy and its calendar (so lg_policy_calendar's result dies
 * with it).  A policy must outlive every lg_stats made from it.  NULL does
 * nothing. */
LG_API void lg_policy_free(lg_policy *policy);

/* Canonical text, with the buffer contract of lg_rubric_to_text. */
LG_API lg_status lg_policy_to_text(const lg_policy *policy, char *buf, size_t cap, size_t *needed);

/* FNV-1a 64 of the canonical text, as lg_rubric_fingerprint. */
LG_API uint64_t lg_policy_fingerprint(const lg_policy *policy);

/* The policy's business calendar, owned by the policy; an always-open
 * calendar when the policy has no calendar block.  NULL for NULL. */
LG_API const lg_calendar *lg_policy_calendar(const lg_policy *policy);

/* The name from the `policy "..."` line ("" when absent); NULL for NULL. */
LG_API const char *lg_policy_name(const lg_policy *policy);

/* The attributes (`attr NAME ...`, `missing NAME`) and event types (`event
 * TYPE within D`) the policy's expressions read, as lg_rubric_input_at:
 * attributes first, then event types, each in order of first use in the
 * canonical text (disqualify, qualify, grades, follow-up conditions); an attribute only tested
 * with `missing` has type LG_VALUE_NONE.  The score atoms (fit,
 * engagement, total, knockout) read the rubric, not the lead, and are not
 * listed. */
LG_API size_t    lg_policy_input_count(const lg_policy *policy);
LG_API lg_status lg_policy_input_at(const lg_policy *policy, size_t i, const char **name,
                                    lg_input_kind *kind, lg_value_type *type);

/* ========================================================================
 * Decisions
 * ===================================================================== */

typedef enum lg_verdict {
  LG_VERDICT_NURTURE = 0,
  LG_VERDICT_MQL = 1,
  LG_VERDICT_DISQUALIFY = 2
} lg_verdict;

/* "nurture", "mql", "disqualify"; NULL for a value outside lg_verdict.
 * Thread-safe; static strings. */
LG_API const char *lg_verdict_name(lg_verdict verdict);

typedef struct lg_decision {
  lg_score score;
  int32_t  verdict;     /* lg_verdict */
  int32_t  stage;       /* recommended lg_stage: never moves a lead backwards */
  char     grade[16];   /* first matching grade; "" when none matches */
  char     reason[160]; /* canonical text of the deciding rule (see below) */
  uint64_t rubric_fingerprint, policy_fingerprint;
  lg_time  next_at;     /* earliest instant > now at which verdict, grade or
                           recommended stage changes if nothing is added to
                           the lead; LG_TIME_NEVER when none (see below) */
  int64_t  reserved[3]; /* 0 */
} lg_decision;

/* Scores the lead and applies the policy as of `now`: the disqualify rule
 * first (default `disqualify when knockout`), then the qualify rule, else
 * nurture.  `reason` holds the canonical text of the rule that decided; for
 * a knockout, the knockout that matched (`knockout "too small"`); for
 * nurture, the first failing part of the qualify rule (`fit >= 8`).  In
 * detail: a rule that held gives, for `or`, its first alternative that
 * held (recursively), else its own text; a rule that failed gives, for
 * `and`, its first failing operand (recursively), else its own text, so a
 * failing `or` (every alternative failed) is given whole, in parentheses
 * where the canonical text has them (as an operand of an `and`):
 * `(event demo_requested within 30d or engagement >= 15)`; a bare
 * `knockout` prints as the first knockout matched.  Without a qualify rule
 * the reason is "no qualify rule".  A reason longer than 159 bytes is cut
 * at a UTF-8 character boundary to at most 156 bytes and ends with "...".
 * The grade is the first grade line that holds, whatever the verdict.  The
 * recommended stage: MQL from NEW or NURTURE; DISQUALIFIED from NEW,
 * NURTURE or MQL; NURTURE from NEW; otherwise the lead's current stage.
 * Does not allocate; *out is written only on success.
 *
 * next_at: when the decision next changes if nothing is added to the lead,
 * so that a host keeps one wake-up per lead (a priority queue on next_at,
 * plus a new decision whenever it adds something) instead of rescoring
 * every lead on a schedule.  Exact by default: lg_decide at next_at - 1
 * gives the same verdict, grade and stage as at `now`, at next_at at least
 * one differs; LG_TIME_NEVER when none ever does (a change after
 * LG_TIME_MAX counts as none).  "Exact" is about the library's own
 * numbers: the crossings of engagement and total comparisons are found on
 * the fixed-point scores lg_score_lead computes, to the second.  Time
 * changes a decision through `event X within D` conditions (an event at
 * `at` is in the window from `at` to at + D and leaves it at at + D + 1;
 * events stored with a time after `now` count from their time), expire and
 * linear ends, and decay across the thresholds of `engagement` and `total`
 * comparisons (`not`, `and`, `or`, grades and the recommended stage
 * included).  Rules that read only fit, knockouts, attributes and the
 * stage never change: a knocked-out lead under `disqualify when knockout`
 * gets LG_TIME_NEVER unless its grade reads something that changes.
 * Early (never later than the change, so a host that re-decides at
 * next_at misses nothing, but the decision there may be the same) only:
 *   - when engagement criteria with positive and with negative points are
 *     both still decaying (their sum may rise and fall): the change is
 *     searched between bounds for up to 8 rounds, then the instant
 *     reached is returned;
 *   - after 64 change points (event times and window ends) with no change
 *     of the decision: the next change point is returned.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad `now`. */
LG_API lg_status lg_decide(const lg_rubric *rubric, const lg_policy *policy, const lg_lead *lead,
                           lg_time now, lg_decision *out);

/* ========================================================================
 * Business calendar
 *
 *   calendar                                      # optional first line
 *   utc-offset +01:00                             # -18:00 .. +18:00
 *   hours mon-fri 09:00-12:00, 13:00-17:30        # local, minute grain
 *   hours sat, sun 10:00-13:00                    # 24:00 allowed as end
 *   hours fri 22:00-06:00                         # overnight: to sat 06:00
 *   holiday 2026-12-25                            # whole local day
 *   hours 2026-12-24 09:00-13:00                  # a special day
 *   offset-change 2026-03-29T01:00:00Z +02:00     # DST, from the host
 *
 * Statements come in any order; utc-offset at most once (default +00:00).
 * Days: mon .. sun, ranges (a range may wrap: sat-mon is sat, sun, mon)
 * and comma lists (mon, wed-fri), each day once per line.  Times are HH:MM
 * (two digits), intervals START-END; START is 00:00 .. 23:59.  An END at
 * or before START (other than an empty START-START) is on the next day:
 * 22:00-06:00 opens at 22:00 and closes at 06:00 the day after (17:00-00:00
 * is 17:00-24:00).  An interval belongs to the day it starts on, so a
 * holiday (or special day) on that day removes all of it, the part after
 * midnight included, and a holiday on the next day leaves that part open.
 * A day may have several intervals, on one or more lines, that must not
 * overlap anywhere in the resulting week, overnight parts included
 * (touching ones of a day merge: 09:00-12:00, 12:00-17:00 is 09:00-17:00).
 * Holidays are YYYY-MM-DD (0001-9999); repeats merge.  A special day,
 * `hours YYYY-MM-DD INTERVALS` (one date, all its intervals on one line,
 * overnight allowed), replaces that local date's weekday hours, e.g. a
 * short day before a holiday or an open Saturday; its hours must not
 * overlap the previous day's overnight part, nor run past its midnight
 * into the next day's hours.  A date that is both a holiday and a special
 * day, or a special day on two lines, is an error.  An offset change is a
 * UTC instant and the offset from then on; two at one instant are an
 * error.
 *
 * Local time at UTC instant t is t plus the offset in force at t (the
 * utc-offset before the first change, then the latest change at or before
 * t).  The calendar is open at t iff that local time lies in an open
 * interval, half-open [start, end), owned by a day that is not a holiday
 * (a special day's own intervals, else its weekday's): an open local hour
 * that a change skips is not open, one it repeats is open twice.  A
 * calendar without `hours` lines is never open; one with special days
 * only is open on them alone.  Queries cost O(log n) per offset change
 * crossed and never grow with minutes or days (a year costs as little as
 * an hour); none allocates.
 *
 * Canonical text: `calendar`, then two-space indented utc-offset (always),
 * weekly hours (days with equal hours grouped, adjacent intervals merged,
 * overnight intervals as 22:00-06:00, and a merged stretch of 24 hours or
 * more that one day owns, such as 13:00-17:00 with 17:00-13:00, as two
 * pieces split at 23:59: 13:00-23:59, 23:59-13:00), holidays (sorted),
 * special days (sorted), offset changes (sorted).
 * Limits: the 1 MiB text limit holds at most 55,188 holiday lines
 * (`holiday YYYY-MM-DD` and a newline are 19 bytes), fewer special days;
 * 10,000 offset changes (LG_ERR_LIMIT).  Offsets beyond +-18:00 are
 * LG_ERR_RANGE; bad times and dates (25:00, 2026-02-30), empty intervals,
 * overlapping hours and a date given twice as above are LG_ERR_SYNTAX.
 * ===================================================================== */

/* Parses a calendar (the lines of a policy's calendar block); an empty
 * text is a calendar that is never open.
 * Returns: as lg_rubric_parse. */
LG_API lg_status lg_calendar_parse(const char *text, size_t len, lg_calendar **out, lg_error *err);

/* Frees a calendar made by lg_calendar_parse; never pass the result of
 * lg_policy_calendar (the policy owns it).  NULL does nothing. */
LG_API void lg_calendar_free(lg_calendar *calendar);

/* Canonical text of the calendar (starting with the `calendar` line), with
 * the buffer contract of lg_rubric_to_text; parsing it gives the same
 * calendar.  Works on lg_policy_calendar's result too (an always-open
 * calendar prints as `hours mon-sun 00:00-24:00`). */
LG_API lg_status lg_calendar_to_text(const lg_calendar *calendar, char *buf, size_t cap,
                                     size_t *needed);

/* The earliest t >= start such that the open time in [start, t) equals d
 * (d >= 0).  A deadline that lands exactly on closing time is that closing
 * time; d == 0 gives start.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad start, a negative d, a
 * calendar never open again (d > 0), or a result past LG_TIME_MAX. */
LG_API lg_status lg_calendar_add(const lg_calendar *calendar, lg_time start, lg_duration d,
                                 lg_time *out);

/* Open time in [a, b); 0 if b <= a.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad time. */
LG_API lg_status lg_calendar_between(const lg_calendar *calendar, lg_time a, lg_time b,
                                     lg_duration *out);

/* 1 if the calendar is open at t, else 0 (also for NULL or a bad t). */
LG_API int lg_calendar_is_open(const lg_calendar *calendar, lg_time t);

/* The earliest open instant >= t; LG_TIME_NEVER if never (or NULL, or a bad
 * t). */
LG_API lg_time lg_calendar_next_open(const lg_calendar *calendar, lg_time t);

/* ========================================================================
 * SLA clock and actions
 * ===================================================================== */

typedef enum lg_sla_state {
  LG_SLA_NONE = 0, /* not assigned, or no follow-up rule applies */
  LG_SLA_RUNNING = 1,
  LG_SLA_WARNING = 2,
  LG_SLA_BREACHED = 3,
  LG_SLA_MET = 4,
  LG_SLA_MET_LATE = 5
} lg_sla_state;

/* "none", "running", "warning", "breached", "met", "met_late"; NULL for a
 * value outside lg_sla_state.  Thread-safe; static strings. */
LG_API const char *lg_sla_state_name(lg_sla_state state);

typedef struct lg_sla_status {
  int32_t     state;      /* lg_sla_state */
  int32_t     action;     /* most severe step reached and not yet recorded */
  lg_time     started_at; /* current assignment */
  lg_time     due_at;     /* target deadline, in wall-clock time */
  lg_time     next_at;    /* when state or action next changes; LG_TIME_NEVER */
  lg_duration elapsed;    /* basis seconds since started_at (until touch),
                                net of snoozes */
  lg_duration remaining;  /* basis seconds to due_at; negative when late */
  int32_t     reassignments;
  int32_t     tier;         /* index of the follow-up rule in effect; -1
                                with LG_SLA_NONE */
  int64_t     reserved2[2]; /* 0 */
} lg_sla_status;

/* Evaluates the follow-up SLA of the lead's current assignment as of `now`.
 * Offsets count from the assignment in the SLA's basis (business seconds
 * on the policy calendar, or wall-clock seconds).  A step at offset X is
 * reached when elapsed >= X; `at N%` is N% of the target, rounded up to a
 * whole second.  State: BREACHED once elapsed >= target with no touch,
 * WARNING from the first warn step (only with a warn step), MET / MET_LATE
 * once touched before / at-or-after due_at.  Steps fire once per
 * assignment; when several are reached at once the most severe is
 * returned.  `reassign` becomes `recycle` once `max` reassignments are
 * used.  Does not allocate.
 *
 * Tiers: the rule in effect (`tier`, its 0-based index) is the first
 * follow-up rule whose `when` holds as of the assignment's start: `event
 * X within D` looks back from started_at (later events do not count),
 * while attributes and the stage are read as they are at the call (the
 * lead keeps no history of them).  The choice stands for the whole
 * assignment.  No rule holds (or there is none): LG_SLA_NONE, tier -1.
 * Snoozes (lg_lead_snooze): the clock does not run inside them, so
 * elapsed, remaining, due_at, the step times and next_at are all net of
 * them, in the rule's basis.
 *
 * In detail:
 *   - elapsed runs from started_at to `now`, or to the first touch that
 *     counts (see lg_lead_touch) if that is at or before `now`, minus the
 *     snoozed time; remaining = target - elapsed.  due_at is the
 *     first instant at which elapsed reaches the target; LG_TIME_NEVER
 *     when that never happens (a calendar never open again, or a deadline
 *     past LG_TIME_MAX).
 *   - Replay: the timeline is read as of `now`.  The latest assignment at
 *     or before `now` is evaluated (none: LG_SLA_NONE) and later touches
 *     and assignments are ignored, also by next_at.  Recorded actions
 *     carry no time: they count at every `now`.
 *   - action: the most severe step reached, if it is more severe than the
 *     most severe action recorded for this assignment (recording an action
 *     hides it and every less severe step), else LG_ACTION_NONE; always
 *     LG_ACTION_NONE once touched.
 *   - next_at: the exact instant at which state or action next change if
 *     nothing is added to the lead: evaluating at next_at - 1 gives the
 *     same pair, at next_at a different one.  LG_TIME_NEVER once touched,
 *     once nothing is left to change, or when the change would fall past
 *     LG_TIME_MAX (or the calendar never opens again).
 *   - reassignments: assignments at or before `now`, minus one (0 when
 *     none).  With LG_SLA_NONE every other field is 0, except next_at
 *     (LG_TIME_NEVER); a lead assigned under a policy without a follow-up
 *     rule still reports its reassignments.
 * Returns: LG_ERR_INVALID for a NULL argument, LG_ERR_RANGE for a `now`
 * outside [LG_TIME_MIN, LG_TIME_MAX]. */
LG_API lg_status lg_sla_eval(const lg_policy *policy, const lg_lead *lead, lg_time now,
                             lg_sla_status *out);

/* ========================================================================
 * Routing
 * ===================================================================== */

typedef struct lg_rep {
  const char *id;
  int32_t     available;            /* 0 = away */
  int32_t     open_leads, capacity; /* capacity 0 = unlimited */
  int32_t     weight;               /* round-robin weight, >= 1 */
  lg_time     last_assigned_at;
  int64_t     reserved[2]; /* 0 */
} lg_rep;

/* Picks a rep for the lead under the policy's route rule (least-loaded when
 * the policy names none).  *chosen is an index into reps.  Deterministic:
 * a pure function of its arguments, exact integer arithmetic, no
 * allocation, no state kept between calls.
 *
 * Eligible: available != 0 and not full (capacity > 0 and open_leads >=
 * capacity is full) and not a previous holder (the id equals, byte for
 * byte, the owner of any of the lead's assignments made at or before
 * `now`, the current one included: the timeline is read as of `now`, as
 * lg_sla_eval reads it).  When no eligible rep is left, available and not-full previous
 * holders are chosen from under the same rule.
 *
 * least-loaded: the lowest load wins.  Load is open_leads / capacity for a
 * limited rep and open_leads / 1 for an unlimited one (capacity 0): an idle
 * rep has load 0 whatever its capacity, a busy unlimited rep (load >= 1)
 * ranks behind every limited rep with room (load < 1), and unlimited reps
 * balance by open leads.  Loads are compared exactly (cross-multiplied).
 *
 * round-robin (weighted): the highest weight x (now - last_assigned_at)
 * wins (a wait counts as 0 when last_assigned_at > now), so a rep waits in
 * inverse proportion to its weight; the host sets last_assigned_at = now
 * for the rep it assigns and keeps no other state.  A rep never assigned
 * should have last_assigned_at = LG_TIME_MIN: it then wins first.  Any
 * weight 1 .. INT32_MAX; compared exactly, no overflow.  Shares follow the
 * weights approximately, not exactly (one timestamp per rep cannot carry a
 * deficit forward).  At a steady pace weights 1/2/3 get exactly 1/6, 2/6,
 * 3/6; the tests also check, on random weights, that a heavier rep gets
 * at least as many leads as a lighter one and equal weights share within
 * one lead.  On a level priority the heavier weight wins, then the ties
 * below.
 *
 * Ties (both rules): the earliest last_assigned_at, then the lowest index.
 * Every entry of reps is checked, chosen or not.
 * Returns: LG_ERR_INVALID for a NULL policy/lead/chosen, reps NULL with
 * n > 0, or a rep with a NULL or empty id, weight < 1, or a negative
 * open_leads or capacity, or a non-zero reserved field; LG_ERR_RANGE for
 * `now` or a last_assigned_at
 * outside [LG_TIME_MIN, LG_TIME_MAX]; LG_ERR_NOT_FOUND when nobody can
 * take the lead (n == 0 included).  When the error is about one rep (a
 * bad field, a non-zero reserved field, a bad last_assigned_at), *chosen
 * receives that rep's index, so the host can name it; on any other
 * failure *chosen is untouched. */
LG_API lg_status lg_route(const lg_policy *policy, const lg_lead *lead, const lg_rep *reps,
                          size_t n, lg_time now, size_t *chosen);

/* ========================================================================
 * Stats: follow-up compliance per rep, and calibration
 * ===================================================================== */

typedef struct lg_stats lg_stats;

/* Makes an empty compliance book for `policy`, which must outlive it.
 * Returns: LG_ERR_INVALID, LG_ERR_NOMEM. */
LG_API lg_status lg_stats_create(const lg_policy *policy, lg_stats **out);

/* Frees the book; rep ids obtained from it become invalid.  NULL does
 * nothing. */
LG_API void lg_stats_free(lg_stats *stats);

/* Adds every assignment of `lead` made at or before `now`, each counted for
 * the rep who held it under that rep's own clock (lg_sla_eval's rules: the
 * tier chosen at its start, its own snoozes; a rep's clock stops at the
 * next assignment, and a touch at that instant belongs to the new
 * owner).  Rep ids are copied.  Adding the same lead
 * twice counts it twice: the book is a tally, not a set.  Failure-atomic.
 * Each touch costs O(that rep's responses so far) to keep them sorted.
 * Returns: LG_ERR_INVALID, LG_ERR_RANGE for a bad `now` or a counter that
 * would pass UINT32_MAX, LG_ERR_NOMEM (stats unchanged in every case). */
LG_API lg_status lg_stats_add(lg_stats *stats, const lg_lead *lead, lg_time now);

/* Number of reps seen; 0 for NULL. */
LG_API size_t lg_stats_rep_count(const lg_stats *stats);

/* One rep's row.  Per assignment the rep held, by SLA state as of `now`:
 *   assigned        every assignment (so always >= 1 for a listed rep)
 *   touched         MET or MET_LATE (followed up while the rep held it)
 *   touched_in_sla  MET
 *   breached        BREACHED or MET_LATE (the deadline passed untouched,
 *                   whether touched later or not); an assignment reassigned
 *                   untouched before its deadline is neither
 *   open_overdue    BREACHED and still the lead's current assignment (the
 *                   latest made by `now`); the lead's stage is not consulted
 * Response times run from assignment to first touch of touched
 * assignments, net of snoozes, in the basis of the follow-up rule that
 * applied (business seconds on the policy calendar for `business`, else
 * wall-clock seconds).  Percentiles
 * are exact nearest-rank: the ceil(p x N)-th smallest of the N response
 * times (the median is p = 0.5, so the lower middle for even N); 0 when
 * the rep has no touches.
 * Without a follow-up rule in the policy, and for an assignment none of
 * the tiers applies to: assigned, touched and response times (wall clock,
 * net of snoozes) are counted; touched_in_sla, breached and open_overdue
 * stay 0. */
typedef struct lg_rep_stats {
  const char *rep; /* owned by the stats */
  uint32_t    assigned, touched, touched_in_sla, breached, open_overdue, reserved;
  lg_duration median_response, p90_response; /* seconds in the rule's basis */
  int64_t     reserved2[2];                  /* 0 */
} lg_rep_stats;

/* Rep i in ascending byte order of rep id (strcmp order); indices shift
 * when lg_stats_add brings a new rep.  `out->rep` lives until
 * lg_stats_free.  Does not allocate.
 * Returns: LG_ERR_INVALID, LG_ERR_NOT_FOUND for i out of range. */
LG_API lg_status lg_stats_rep(const lg_stats *stats, size_t i, lg_rep_stats *out);

/* Pearson r between each named rep's in-SLA follow-up rate
 * (touched_in_sla / assigned) and the attainment the host gives (e.g.
 * quota attainment 0.0 - 2.0): reps[i] goes with attainment[i]; a name may
 * repeat.  Does not allocate, needs no libm.
 * Returns: LG_ERR_INVALID for NULL arguments or a NULL name,
 * LG_ERR_NOT_FOUND for a name the stats have never seen, LG_ERR_RANGE for
 * a non-finite attainment, fewer than 2 reps, or either series constant
 * (zero variance); *r untouched on failure. */
LG_API lg_status lg_stats_correlation(const lg_stats *stats, const char *const *reps,
                                      const double *attainment, size_t n, double *r);

typedef enum lg_dimension { LG_DIM_FIT = 0, LG_DIM_ENGAGEMENT = 1, LG_DIM_TOTAL = 2 } lg_dimension;

/* Capacity-aware threshold: the smallest threshold T (milli-points) such
 * that at most `capacity` leads that are not knocked out score >= T on
 * `dimension` (lg_dimension); *count receives how many do.  With the m
 * scores of leads not knocked out sorted descending as s[0..m):
 *   capacity >= m   T = s[m-1], the lowest score: everyone passes
 *   capacity <  m   T = s[capacity] + 1 (capacity 0: best score + 1);
 *                   leads tied at the cut all fall below it, so *count
 *                   may be less than capacity
 *   m == 0          T = 0 and *count = 0 (no leads, or all knocked out)
 * O(n log n); one temporary allocation of n scores.
 * Returns: LG_ERR_INVALID for NULL rubric/threshold/count, leads NULL with
 * n > 0, a NULL lead, or a bad dimension; LG_ERR_RANGE for a bad `now`;
 * LG_ERR_NOMEM.  Outputs untouched on failure. */
LG_API lg_status lg_calibrate(const lg_rubric *rubric, const lg_lead *const *leads, size_t n,
                              lg_time now, lg_dimension dimension, size_t capacity,
                              lg_points *threshold, size_t *count);

/* ========================================================================
 * Lint: what a definition does, proved before anyone agrees to it
 *
 * lg_lint checks a rubric, a policy, or the two together, and reports
 * what can be proved from the text alone: a rule no lead can meet, a
 * grade or `when` line that can never apply, a step that never fires.
 * Findings are never guesses.  Score findings rest on interval arithmetic
 * over the scores the rubric can reach (fit between the sums of each fit
 * criterion's lowest and highest outcome; each engagement criterion
 * between 0 and its points times the events it can count, cut to its
 * `max`; total = fit + engagement) and over the policy's expressions;
 * atoms that read the lead (attr, missing, event, stage) count as
 * "could be either".  The ranges are supersets of what leads reach, so a
 * check may stay silent about a real problem but never reports one that
 * is not there.
 *
 * Codes (stable: tools may match on them), with severity and source:
 *
 *   unreachable-when     warning  rubric  a fit `when` line that never
 *                        applies: earlier lines of the criterion match every
 *                        value it matches (first match wins), or it matches
 *                        no value (`when = 2.5` against whole numbers)
 *   max-below-points     warning  rubric  an engagement `max` below the
 *                        points of a single event
 *   unknown-knockout     warning  policy  `knockout "name"` the rubric
 *                        lacks (always false); needs both
 *   unscored-event       info     policy  `event X within D` with no
 *                        engagement criterion on X; needs both
 *   unreachable-qualify  error    policy  the qualify rule holds for no
 *                        reachable score (`fit >= 13` when the best fit is
 *                        12), so no lead is ever an MQL
 *   always-qualify       warning  policy  the qualify rule holds for every
 *                        reachable score and every lead (`fit >= 0`)
 *   unreachable-grade    warning  policy  a grade never given: its
 *                        condition holds for no reachable score, or an
 *                        earlier grade holds whenever it would
 *   unreachable-step     warning  policy  a follow-up step (other than
 *                        warn) reached no earlier than a more severe step
 *                        of the same follow-up rule,
 *                        so lg_sla_eval never reports it (`remind at 48h`
 *                        with `reassign at 48h`; any step at or after
 *                        `recycle`)
 *   warn-at-zero         warning  policy  `warn at 0%` (or 0s): the
 *                        clock is WARNING from the moment of assignment
 *   shadowed-tier        warning  policy  a follow-up rule that never
 *                        applies: an earlier rule holds whenever it would
 *                        (`when event demo within 1h` after `when event
 *                        demo within 1d`), or holds for every lead (`x or
 *                        not x`); proved on the expressions' structure
 *
 * The score checks use the rubric's ranges when a rubric is given; with a
 * policy alone they still find rules that contradict themselves
 * (`fit >= 8 and fit < 5`).  The pairwise checks (a when line against the
 * earlier ones) stop after about 10^8 steps, so a pathological text (tens
 * of thousands of match items on one criterion) is linted in bounded time;
 * what was not checked is not reported.
 * ===================================================================== */

typedef enum lg_severity {
  LG_SEVERITY_INFO = 0,
  LG_SEVERITY_WARNING = 1,
  LG_SEVERITY_ERROR = 2
} lg_severity;

/* "info", "warning", "error"; NULL for a value outside lg_severity.
 * Thread-safe; static strings. */
LG_API const char *lg_severity_name(lg_severity severity);

typedef struct lg_finding {
  int32_t  severity;     /* lg_severity */
  int32_t  source;       /* 0 = rubric, 1 = policy */
  uint32_t line;         /* line in the text that was parsed; 0 if not about a line */
  uint32_t reserved;     /* 0 */
  char     code[32];     /* stable identifier, e.g. "unreachable-qualify" */
  char     message[160]; /* one sentence for the rubric's author, NUL-terminated,
                            cut at a UTF-8 boundary with "..." if longer */
} lg_finding;

/* Lints the rubric, the policy, or both (either may be NULL, not both).
 * Checks that need both (unknown-knockout, unscored-event, the score
 * ranges) run only when both are given.  Findings come in order: rubric
 * lines, then policy lines, each in line order.  *count receives the
 * number of findings on LG_OK and on LG_ERR_BUFFER; items is written only
 * when cap >= *count (items may be NULL when cap is 0).  Reads the
 * definitions only and does not allocate, so it may run on shared objects
 * from any number of threads.
 * Returns: LG_ERR_INVALID when both definitions are NULL, count is NULL,
 * or items is NULL with cap > 0; LG_ERR_BUFFER when cap is too small. */
LG_API lg_status lg_lint(const lg_rubric *rubric, const lg_policy *policy, lg_finding *items,
                         size_t cap, size_t *count);

/* ========================================================================
 * Advanced: the allocator
 * ===================================================================== */

typedef struct lg_allocator {
  void *(*malloc_fn)(void *ud, size_t size);
  void *(*realloc_fn)(void *ud, void *ptr, size_t size);
  void (*free_fn)(void *ud, void *ptr);
  void *ud;
  void *reserved[2]; /* NULL */
} lg_allocator;

/* Routes every allocation of the library through `a` (copied); NULL
 * restores malloc/realloc/free.  The library never asks for size 0 and
 * never passes NULL to free_fn.  Like sqlite3_config, it may be called
 * only before the library first allocates: afterwards it is LG_ERR_STATE
 * and the allocator in force stays (objects must be freed with the
 * allocator that made them).
 * Returns: LG_ERR_INVALID if one of the three functions is NULL or a
 * reserved field is not NULL, LG_ERR_STATE once the library has
 * allocated.
 * Thread safety: not thread-safe; call once at start-up, before any other
 * library call that may allocate. */
LG_API lg_status lg_set_allocator(const lg_allocator *a);

/* ========================================================================
 * Learning a rubric from outcomes
 *
 * Predictive scoring as a rubric: learned from leads whose outcome is
 * known, written as text that people can read, edit, diff and fingerprint,
 * scored by the same engine as a hand-written rubric.
 *
 * Method: naive Bayes weight of evidence with add-one smoothing.  For
 * bucket b of an attribute with k buckets, among `won` converted and
 * `lost` other leads:
 *   points_b = round(scale x log2( ((won_b + 1) / (won + k)) /
 *                                  ((lost_b + 1) / (lost + k)) ))
 * so a lead's fit is about scale x (log2 odds - prior log2 odds).
 * Buckets of an attribute, all written out (an empty one gets its
 * smoothed points):
 *   - Type: the value type most leads have (text, int or bool; a tie goes
 *     to text, then int).  Values of the other types count as `otherwise`.
 *   - Text: values compare ASCII-case-insensitively (as the scorer does)
 *     and are written lower-cased.  A value seen at least min_count times
 *     is kept, up to max_values of them, most frequent first, equal counts
 *     in byte order of the lower-cased value (a prefix first); values
 *     holding a byte below 0x20 or 0x7f (a rubric string cannot) and all
 *     other values count as `otherwise`.
 *   - Int: quantile bins written as ranges (`when <= 10`, `when 11..50`,
 *     `when 51`, `when > 200`), covering every integer.  With at most
 *     `bins` distinct values, each value gets its own bin; otherwise the
 *     j-th upper edge is the smallest value with at least ceil(j x N /
 *     bins) of the N values at or below it, equal edges merge (leads with
 *     one value are never split over two bins) and an edge at the largest
 *     value is dropped, so ties give fewer bins.  A single bin (one
 *     distinct value, or bins == 1) is written `when <= V, > V`.
 *   - Bool: `when true`, `when false`.
 *   - `otherwise` and `missing` (the attribute absent) always.
 *   k counts the when lines plus `otherwise` and `missing`.
 * Logarithms are integer fixed point (48 fraction bits, below the exact
 * value by less than 2^-48 each); a point value is within 1e-8
 * milli-points of the exact one before its one rounding, and the text is
 * byte-identical for the same inputs in every build on every platform.
 *
 * The text: the `rubric "NAME"` line; comments with the lead counts, the
 * scale and one line with the prior (share converted, log2 odds) and the
 * fit at which the modelled conversion probability reaches 10%, 25% and
 * 50%; then one `fit "ATTR" from ATTR` criterion per attribute, in the
 * order given, each line commented with its bucket's converted / not
 * counts.  lg_rubric_parse accepts it; criteria names are the attribute
 * names.
 * ===================================================================== */

typedef struct lg_learn_options {
  uint32_t  max_values; /* text values kept per attribute, most frequent first
                           (0 = 16; at most 256) */
  uint32_t  bins;       /* quantile bins for integer attributes (0 = 5; at
                           most 256) */
  uint32_t  min_count;  /* a text value seen fewer times folds into
                           `otherwise` (0 = 20) */
  uint32_t  reserved;   /* 0 */
  lg_points scale;      /* points per doubling of the odds (0 = 1000, one
                           point; at most 1,000,000) */
} lg_learn_options;

/* Writes a rubric text named `name` (NUL-terminated; lg_rubric_to_text's
 * buffer contract: *needed, when needed is not NULL, gets the size with
 * the NUL on LG_OK and LG_ERR_BUFFER) with one fit criterion per attribute
 * in attributes[0..n_attributes), learned from leads[i] whose outcome
 * converted[i] is 1 (won / became an opportunity) or 0.  `options` may be
 * NULL (all defaults).  The leads are only read, and the text does not
 * depend on their order.  Memory, all freed before returning: 8 bytes a
 * lead for each attribute that has integer values (up to 8 more while
 * one is sorted), 40 bytes and the bytes of each distinct text value, and
 * about 17 KiB an attribute.  Time: O(n x n_attributes) plus a radix sort
 * per integer attribute (a million leads of ten attributes: about 0.2 s).
 * Returns: LG_ERR_INVALID for NULL leads/converted with n > 0, a NULL
 * lead, a converted value other than 0 or 1, NULL attributes, none, a
 * malformed or repeated attribute name, a name that is not 1 to 64 bytes
 * of UTF-8 without control characters, buf NULL with cap > 0, or options
 * outside the ranges above (reserved not 0); LG_ERR_LIMIT for more than
 * 1024 attributes or a text over 1 MiB (what lg_rubric_parse accepts);
 * LG_ERR_RANGE for fewer than 10 converted or 10 other leads, or an
 * integer bin edge beyond +-10^15 (a rubric's match numbers);
 * LG_ERR_BUFFER when cap < *needed (buf not written); LG_ERR_NOMEM.
 * Nothing is written on failure other than *needed with LG_ERR_BUFFER.
 * Thread safety: reads its arguments only; may run concurrently with
 * anything that only reads the same leads. */
LG_API lg_status lg_learn_rubric(const lg_lead *const *leads, const int32_t *converted, size_t n,
                                 const char *const *attributes, size_t n_attributes,
                                 const char *name, const lg_learn_options *options, char *buf,
                                 size_t cap, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* LEADGATE_H */
