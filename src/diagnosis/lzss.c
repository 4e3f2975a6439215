/* Allegro 4 LZSS decoder, written from the format description in docs/DIAGNOSIS.md.
 * A flag byte announces the next eight items, least significant bit first: 1 = one literal
 * byte, 0 = a two-byte reference (12-bit ring position, 4-bit length - 3) into a ring of
 * the last 4096 bytes, which starts zero-filled with the write position at 4096 - 18. */
#include "diagnosis/lzss.h"

#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

struct out_buf {
    unsigned char *p;
    size_t len, cap, max;
};

static int put(struct out_buf *o, unsigned char c)
{
    if (o->len + 1 >= o->cap) {            /* keep room for the trailing NUL */
        if (o->len + 1 > o->max) return PS_E_TOO_LARGE;
        size_t cap = o->cap ? o->cap * 2 : 4096;
        if (cap > o->max + 1) cap = o->max + 1;
        unsigned char *np = realloc(o->p, cap);
        if (!np) return PS_E_NOMEM;
        o->p = np;
        o->cap = cap;
    }
    o->p[o->len++] = c;
    return 0;
}

int diag_lzss_unpack(const unsigned char *in, size_t n, size_t max_out,
                     unsigned char **out, size_t *out_len)
{
    unsigned char ring[DIAG_LZSS_RING];
    memset(ring, 0, sizeof ring);
    unsigned r = DIAG_LZSS_RING - DIAG_LZSS_MAX_MATCH;
    struct out_buf o = { NULL, 0, 0, max_out };
    size_t i = 0;
    unsigned flags = 0, nbits = 0;
    int rc = 0;

    while (i < n) {
        if (nbits == 0) {
            flags = in[i++];
            nbits = 8;
            continue;
        }
        int literal = flags & 1;
        flags >>= 1;
        nbits--;
        if (literal) {
            unsigned char c = in[i++];
            if ((rc = put(&o, c)) != 0) goto fail;
            ring[r] = c;
            r = (r + 1) & (DIAG_LZSS_RING - 1);
        } else {
            if (n - i < 2) { rc = PS_E_BAD_REQUEST; goto fail; }
            unsigned pos = in[i] | ((unsigned)(in[i + 1] & 0xF0) << 4);
            unsigned len = (in[i + 1] & 0x0F) + DIAG_LZSS_MIN_MATCH;
            i += 2;
            /* Byte by byte: a reference may overlap the bytes it is producing. */
            for (unsigned k = 0; k < len; k++) {
                unsigned char c = ring[(pos + k) & (DIAG_LZSS_RING - 1)];
                if ((rc = put(&o, c)) != 0) goto fail;
                ring[r] = c;
                r = (r + 1) & (DIAG_LZSS_RING - 1);
            }
        }
    }
    if (!o.p) {                            /* empty stream: still hand back a buffer */
        o.p = malloc(1);
        if (!o.p) return PS_E_NOMEM;
    }
    o.p[o.len] = '\0';
    *out = o.p;
    *out_len = o.len;
    return 0;
fail:
    free(o.p);
    return rc;
}
