/* Allegro 4 datafile walker. Every length in the file is checked against the bytes that
 * are left before it is used, so a truncated or hostile file is refused, never overread. */
#include "diagnosis/datafile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "diagnosis/lzss.h"

#define ID_ALL  DIAG_DF_ID('A', 'L', 'L', '.')
#define ID_PROP DIAG_DF_ID('p', 'r', 'o', 'p')
#define ID_FILE DIAG_DF_ID('F', 'I', 'L', 'E')
#define PACK_MAGIC   DIAG_DF_ID('s', 'l', 'h', '!')   /* whole file LZSS-packed */
#define NOPACK_MAGIC DIAG_DF_ID('s', 'l', 'h', '.')   /* plain */

struct walker {
    diag_df_visit fn;
    void *ctx;
    char *err;
    size_t errlen;
};

struct cursor {
    const unsigned char *p;
    size_t left;
    size_t base;          /* offset of p in the (unpacked) stream, for messages */
};

static int fail(struct walker *w, const struct cursor *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct walker *w, const struct cursor *c, const char *fmt, ...)
{
    if (w->err && w->errlen) {
        char msg[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(w->err, w->errlen, "%s at offset %zu", msg, c ? c->base : 0);
    }
    return PS_E_BAD_REQUEST;
}

static int get32(struct cursor *c, uint32_t *v)
{
    if (c->left < 4) return -1;
    *v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) | ((uint32_t)c->p[2] << 8) | c->p[3];
    c->p += 4;
    c->left -= 4;
    c->base += 4;
    return 0;
}

static void skip(struct cursor *c, size_t n)
{
    c->p += n;
    c->left -= n;
    c->base += n;
}

static void id_text(uint32_t id, char out[5])
{
    for (int i = 0; i < 4; i++) {
        unsigned char ch = (unsigned char)(id >> (24 - 8 * i));
        out[i] = (ch >= 0x20 && ch < 0x7F) ? (char)ch : '?';
    }
    out[4] = '\0';
}

static int walk_objects(struct walker *w, struct cursor *c, int depth);

/* One object: properties, type, chunk header, data. */
static int walk_object(struct walker *w, struct cursor *c, int depth)
{
    struct diag_df_object o;
    memset(&o, 0, sizeof o);
    o.depth = depth;
    o.name = "";
    uint32_t type;
    for (;;) {
        if (get32(c, &type)) return fail(w, c, "truncated object header");
        if (type != ID_PROP) break;
        uint32_t pid, plen;
        if (get32(c, &pid) || get32(c, &plen)) return fail(w, c, "truncated property");
        if (plen > c->left) return fail(w, c, "property longer than the file");
        if (o.nprops < DIAG_DF_MAX_PROPS) {
            struct diag_df_prop *pr = &o.props[o.nprops++];
            id_text(pid, pr->id);
            size_t k = plen < sizeof pr->value - 1 ? plen : sizeof pr->value - 1;
            memcpy(pr->value, c->p, k);
            pr->value[k] = '\0';
        }
        skip(c, plen);
    }
    id_text(type, o.type);
    const char *name = diag_df_prop(&o, "NAME");
    if (name) o.name = name;

    /* Chunk header: stored size (negative = this chunk alone is LZSS-packed) and the
     * unpacked size. */
    uint32_t stored_u, size_u;
    if (get32(c, &stored_u) || get32(c, &size_u)) return fail(w, c, "truncated chunk header");
    int packed = (stored_u & 0x80000000u) != 0;
    size_t stored = packed ? (size_t)(0u - stored_u) : stored_u;
    if (stored > c->left) return fail(w, c, "object %s larger than the file", o.type);
    if (size_u > DIAG_DF_MAX_BYTES) return fail(w, c, "object %s too large", o.type);

    unsigned char *unpacked = NULL;
    struct cursor body = { c->p, stored, c->base };
    if (packed) {
        size_t got;
        int rc = diag_lzss_unpack(c->p, stored, DIAG_DF_MAX_BYTES, &unpacked, &got);
        if (rc == PS_E_BAD_REQUEST) return fail(w, c, "corrupt packed object %s", o.type);
        if (rc) return rc;
        if (got != size_u) {
            free(unpacked);
            return fail(w, c, "packed object %s unpacks to %zu bytes, header says %u",
                        o.type, got, (unsigned)size_u);
        }
        body.p = unpacked;
        body.left = got;
    } else if (size_u != stored) {
        return fail(w, c, "object %s: stored and unpacked sizes differ", o.type);
    }
    skip(c, stored);

    o.data = body.p;
    o.size = body.left;
    int rc = w->fn(&o, w->ctx);
    if (rc == 0 && type == ID_FILE) {
        if (depth + 1 >= DIAG_DF_MAX_DEPTH) rc = fail(w, &body, "FILE objects nested too deep");
        else rc = walk_objects(w, &body, depth + 1);
    }
    free(unpacked);
    return rc;
}

/* An object count and that many objects. Nested FILE objects start with the count; a
 * top-level datafile starts with "ALL." first (accepted in both places). */
static int walk_objects(struct walker *w, struct cursor *c, int depth)
{
    uint32_t count;
    if (get32(c, &count)) return fail(w, c, "missing object count");
    if (count == ID_ALL && get32(c, &count)) return fail(w, c, "missing object count");
    if (count > DIAG_DF_MAX_OBJECTS) return fail(w, c, "too many objects (%u)", (unsigned)count);
    for (uint32_t i = 0; i < count; i++) {
        int rc = walk_object(w, c, depth);
        if (rc) return rc;
    }
    return 0;
}

int diag_datafile_walk(const unsigned char *buf, size_t len, diag_df_visit fn, void *ctx,
                       char *err, size_t errlen)
{
    struct walker w = { fn, ctx, err, errlen };
    if (err && errlen) err[0] = '\0';
    if (len > DIAG_DF_MAX_BYTES) return PS_E_TOO_LARGE;
    struct cursor c = { buf, len, 0 };
    uint32_t magic;
    if (get32(&c, &magic)) return fail(&w, NULL, "not an Allegro packfile (too short)");

    unsigned char *unpacked = NULL;
    if (magic == PACK_MAGIC) {
        size_t got;
        int rc = diag_lzss_unpack(c.p, c.left, DIAG_DF_MAX_BYTES, &unpacked, &got);
        if (rc == PS_E_BAD_REQUEST) return fail(&w, NULL, "corrupt LZSS stream");
        if (rc) return rc;
        c.p = unpacked;
        c.left = got;
        c.base = 0;                        /* offsets now count unpacked bytes */
    } else if (magic != NOPACK_MAGIC) {
        return fail(&w, NULL, "not an Allegro packfile (magic is neither slh! nor slh.)");
    }

    int rc;
    uint32_t all;
    struct cursor peek = c;
    if (get32(&peek, &all) || all != ID_ALL)
        rc = fail(&w, &c, "not an Allegro datafile (no ALL. after the packfile magic)");
    else
        rc = walk_objects(&w, &c, 0);
    free(unpacked);
    return rc;
}

const char *diag_df_prop(const struct diag_df_object *o, const char *id)
{
    for (int i = 0; i < o->nprops; i++)
        if (strcmp(o->props[i].id, id) == 0) return o->props[i].value;
    return NULL;
}
