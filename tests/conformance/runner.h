/*
 * runner.h - runs one case of the conformance data set against the
 * library and gives the result in the data set's `expect` form (see
 * README.md).  Shared by the generator and the C test, so that both read
 * the leads and write the results the same way.
 */
#ifndef LG_CONFORMANCE_RUNNER_H
#define LG_CONFORMANCE_RUNNER_H

#include <stdarg.h>
#include <stddef.h>

#include "json.h"

/* A growing text buffer; oom is set (and the text dropped) when an
 * allocation fails. */
typedef struct conf_buf {
  char  *p;
  size_t len, cap;
  int    oom;
} conf_buf;

void conf_printf(conf_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 2, 3)))
#endif
  ;
/* Appends s as a JSON string. */
void conf_string(conf_buf *b, const char *s);
void conf_buf_free(conf_buf *b);

/* Runs case `c` of data set `root` and returns the result as a JSON value
 * (the caller frees it), or NULL with a message in err when the case is
 * malformed (a missing input, an unknown name). */
json *conf_run(const json *root, const json *c, char *err, size_t cap);

#endif
