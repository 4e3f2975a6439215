/* Opaque identifiers: 26 characters of Crockford base32 (lower case) over 48 bits of
 * millisecond time and 80 random bits, so they sort by creation time (good cursors). */
#ifndef PS_ID_H
#define PS_ID_H

#include <stdbool.h>

#define PS_ID_LEN 26

/* Writes a fresh id and its NUL into out. */
void ps_id_new(char out[PS_ID_LEN + 1]);
/* True for a string of exactly PS_ID_LEN characters of the id alphabet. */
bool ps_id_valid(const char *s);

#endif
