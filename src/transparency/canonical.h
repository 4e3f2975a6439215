/* Canonical JSON for log leaves: the exact bytes that are hashed, so anyone can rebuild them.
 * Rules (docs/TRANSPARENCY.md): object keys sorted by their UTF-8 bytes, no insignificant
 * white space, strings in UTF-8 as is (only '"', '\\' and control characters escaped, the
 * latter as \b \f \n \r \t or \u00XX), numbers only as integers, at most
 * TRANSLOG_MAX_DEPTH levels deep. */
#ifndef PS_TRANSPARENCY_CANONICAL_H
#define PS_TRANSPARENCY_CANONICAL_H

#include <jansson.h>

#include "core/limits.h"

#define TRANSLOG_MAX_DEPTH 16
/* A service record is a few hundred bytes; refuse anything near a page of text or more. */

/* Serialise v canonically. Returns a malloc'ed NUL-terminated string (caller frees with
 * free()), or NULL when v holds a real number, is too deep, or memory runs out. */
char *translog_canonical_json(const json_t *v);

#endif
