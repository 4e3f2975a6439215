/* Reader for Allegro 4 datafiles (the format of Debian scantool's codes.dat): a packfile
 * header ("slh." plain or "slh!" LZSS-packed), then "ALL.", an object count and typed
 * objects with properties. Walks every object, nested FILE objects included, and hands
 * each one to a callback. The layout is documented in docs/DIAGNOSIS.md. */
#ifndef DIAG_DATAFILE_H
#define DIAG_DATAFILE_H

#include <stddef.h>

#include "core/limits.h"
#include <stdint.h>

#define DIAG_DF_MAX_OBJECTS   100000              /* objects in one (nested) datafile */
#define DIAG_DF_MAX_DEPTH     8                   /* FILE objects inside FILE objects */
#define DIAG_DF_MAX_PROPS     16                  /* properties kept per object */
#define DIAG_DF_MAX_PROP_LEN  256                 /* property text kept (longer is cut) */

#define DIAG_DF_ID(a, b, c, d) \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

struct diag_df_prop {
    char id[5];                                   /* "NAME", "DATE", "ORIG" */
    char value[DIAG_DF_MAX_PROP_LEN];
};

struct diag_df_object {
    char type[5];                                 /* "DATA", "CDEF", "FILE", "info" */
    const char *name;                             /* the NAME property, "" when absent */
    int depth;                                    /* 0 at the top level */
    const unsigned char *data;                    /* the object's bytes (unpacked) */
    size_t size;
    int nprops;
    struct diag_df_prop props[DIAG_DF_MAX_PROPS];
};

/* Return 0 to go on, anything else to stop the walk (diag_datafile_walk returns it). */
typedef int (*diag_df_visit)(const struct diag_df_object *o, void *ctx);

/* Walk the datafile held in buf. Everything the callback sees is borrowed for the call.
 * Returns 0, the callback's non-zero value, PS_E_BAD_REQUEST when the bytes are not a
 * well-formed datafile (err says where), PS_E_TOO_LARGE or PS_E_NOMEM. */
int diag_datafile_walk(const unsigned char *buf, size_t len, diag_df_visit fn, void *ctx,
                       char *err, size_t errlen);

/* Look a property up by id ("NAME"); NULL when absent. */
const char *diag_df_prop(const struct diag_df_object *o, const char *id);

#endif
