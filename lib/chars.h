/*
 * chars.h - ASCII character classes shared by the name checks and the
 * lexer.  Locale-free on purpose: <ctype.h> would read the locale.
 */
#ifndef LG_CHARS_H
#define LG_CHARS_H

static inline int lg__is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline int lg__is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline int lg__is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int lg__is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
static inline int lg__is_name_char(char c) {
  return lg__is_lower(c) || lg__is_digit(c) || c == '_';
}
/* Characters that may continue a keyword such as `half-life`. */
static inline int lg__is_word_char(char c) {
  return lg__is_name_char(c) || lg__is_upper(c) || c == '-';
}

#endif /* LG_CHARS_H */
