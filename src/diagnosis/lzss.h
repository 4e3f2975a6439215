/* Allegro 4's LZSS decompression (the "slh!" packfile format and individually packed
 * datafile chunks): a 4096-byte ring buffer, 18-byte maximum match, matches of 3+ bytes.
 * See docs/DIAGNOSIS.md for the bit layout. */
#ifndef DIAG_LZSS_H
#define DIAG_LZSS_H

#include <stddef.h>

#define DIAG_LZSS_RING      4096   /* ring buffer size (12-bit offsets) */
#define DIAG_LZSS_MAX_MATCH 18     /* 4-bit length + threshold + 1 */
#define DIAG_LZSS_MIN_MATCH 3

/* Decode n bytes at in. The output grows up to max_out bytes (more is PS_E_TOO_LARGE).
 * On success *out is a malloc'ed buffer of *out_len bytes plus a NUL byte that is not
 * counted; the caller frees it with free(). Returns 0, PS_E_BAD_REQUEST when the stream
 * is truncated inside a match reference, PS_E_TOO_LARGE, or PS_E_NOMEM. */
int diag_lzss_unpack(const unsigned char *in, size_t n, size_t max_out,
                     unsigned char **out, size_t *out_len);

#endif
