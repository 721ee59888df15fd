/*
 * status.c - status codes, their names and messages, and the version.
 */
#include "internal.h"

typedef struct status_text {
  const char *name;
  const char *message;
} status_text;

static const status_text status_texts[] = {
  {"LG_OK", "The call succeeded."},
  {"LG_ERR_NOMEM", "An allocation failed; nothing was changed."},
  {"LG_ERR_INVALID", "An argument was invalid (NULL where not allowed, a malformed name, ...)."},
  {"LG_ERR_SYNTAX", "The text definition does not parse; the error gives line and column."},
  {"LG_ERR_NOT_FOUND", "No such attribute, rep or criterion."},
  {"LG_ERR_RANGE", "A number or time is out of range, or the result would overflow."},
  {"LG_ERR_LIMIT", "A documented limit was exceeded."},
  {"LG_ERR_TYPE", "A value has the wrong type for the operation."},
  {"LG_ERR_STATE", "The operation is not allowed in the object's current state."},
  {"LG_ERR_BUFFER", "The caller's buffer is too small; the needed size was reported."},
};

static const status_text unknown_status = {
  "LG_ERR_UNKNOWN", "The status code is not one leadgate defines."};

static const status_text *status_lookup(lg_status status) {
  size_t i = (size_t)status;
  if ((int)status < 0 || i >= sizeof status_texts / sizeof status_texts[0])
    return &unknown_status;
  return &status_texts[i];
}

const char *lg_status_name(lg_status status) { return status_lookup(status)->name; }

const char *lg_status_message(lg_status status) { return status_lookup(status)->message; }

unsigned lg_version_number(void) { return (unsigned)LG_VERSION_NUMBER; }

const char *lg_version_string(void) { return LG_VERSION_STRING; }
