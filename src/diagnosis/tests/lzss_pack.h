/* Test helper: a small greedy LZSS packer producing Allegro's stream format, so the tests
 * can build packed fixtures and check that unpacking gives the input back. Slow (it tries
 * every ring position) but exact about overlapping references. */
#ifndef DIAG_TEST_LZSS_PACK_H
#define DIAG_TEST_LZSS_PACK_H

#include <stdlib.h>
#include <string.h>

#include "diagnosis/lzss.h"

/* Packs n bytes; returns a malloc'ed stream and its length in *out_len. */
static unsigned char *test_lzss_pack(const unsigned char *in, size_t n, size_t *out_len)
{
    enum { N = DIAG_LZSS_RING, F = DIAG_LZSS_MAX_MATCH };
    unsigned char ring[N];
    memset(ring, 0, sizeof ring);
    unsigned r = N - F;
    unsigned char *out = malloc(n * 2 + 16);
    size_t o = 0, flag_at = 0;
    int nitems = 8;
    size_t pos = 0;
    while (pos < n) {
        if (nitems == 8) { flag_at = o++; out[flag_at] = 0; nitems = 0; }
        unsigned best_len = 0, best_i = 0;
        for (unsigned i = 0; i < N; i++) {
            unsigned k = 0;
            while (k < F && pos + k < n) {
                unsigned src = (i + k) & (N - 1);
                unsigned ahead = (src - r) & (N - 1);
                /* bytes written earlier in this same copy come from the input itself */
                unsigned char c = ahead < k ? in[pos + ahead] : ring[src];
                if (c != in[pos + k]) break;
                k++;
            }
            if (k > best_len) { best_len = k; best_i = i; }
        }
        if (best_len >= DIAG_LZSS_MIN_MATCH) {
            out[o++] = (unsigned char)(best_i & 0xFF);
            out[o++] = (unsigned char)(((best_i >> 4) & 0xF0) | (best_len - DIAG_LZSS_MIN_MATCH));
        } else {
            best_len = 1;
            out[flag_at] |= (unsigned char)(1u << nitems);
            out[o++] = in[pos];
        }
        for (unsigned k = 0; k < best_len; k++) {
            ring[r] = in[pos + k];
            r = (r + 1) & (N - 1);
        }
        pos += best_len;
        nitems++;
    }
    *out_len = o;
    return out;
}

#endif
