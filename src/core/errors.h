/* Error codes of the whole server, generated from errors.def.
 * Functions return 0 on success or one of these (negative) codes. */
#ifndef PS_ERRORS_H
#define PS_ERRORS_H

enum ps_err {
    PS_OK = 0,
#define PS_ERR(num, name, status, slug, title, hint) PS_E_##name = -(num),
#include "core/errors.def"
#undef PS_ERR
};

/* HTTP status for a code (500 for unknown codes). */
int ps_err_status(int code);
/* Stable slug, e.g. "validation-failed" ("internal" for unknown codes). */
const char *ps_err_slug(int code);
/* Short human title. */
const char *ps_err_title(int code);
/* What the client can do about it, or "" (the problem document's `hint`). */
const char *ps_err_hint(int code);
/* Iterate the table: returns 0 and fills the out-params for index i, -1 past the end. */
int ps_err_at(int i, int *code, int *status, const char **slug, const char **title);

#endif
