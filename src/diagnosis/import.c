/* `pitstop import-dtc [FILE]`: reads Debian scantool's codes.dat (an Allegro 4 datafile,
 * docs/DIAGNOSIS.md), parses its code lists and upserts them in a few large write
 * transactions. Idempotent: a second run reports 0 rows changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/module.h"
#include "diagnosis/datafile.h"
#include "diagnosis/diagnosis_internal.h"
#include "diagnosis/dtc.h"
#include "diagnosis/dtc_store.h"

#define DEFAULT_CODES_FILE  "/usr/share/scantool/codes.dat"
#define IMPORT_MAX_ENTRIES  200000   /* entries kept from one file */
#define IMPORT_CHUNK        1000     /* rows per write transaction */

struct collected {
    struct diag_dtc_entry *v;
    int n, cap;
    int lists;                        /* objects that held a code list */
    struct diag_dtc_stats st;         /* summed over the lists */
    int err;
};

static int keep_entry(const struct diag_dtc_entry *e, void *ctx)
{
    struct collected *col = ctx;
    if (col->n == col->cap) {
        if (col->cap >= IMPORT_MAX_ENTRIES) return PS_E_TOO_LARGE;
        int cap = col->cap ? col->cap * 2 : 4096;
        struct diag_dtc_entry *nv = realloc(col->v, sizeof *nv * (size_t)cap);
        if (!nv) return PS_E_NOMEM;
        col->v = nv;
        col->cap = cap;
    }
    col->v[col->n++] = *e;
    return 0;
}

/* An object holds a code list when its text starts like one ("P0001<TAB>"). */
static bool looks_like_codes(const struct diag_df_object *o)
{
    char code[DIAG_DTC_LEN + 1], head[DIAG_DTC_LEN + 1];
    if (o->size < DIAG_DTC_LEN + 1 || o->data[DIAG_DTC_LEN] != '\t') return false;
    memcpy(head, o->data, DIAG_DTC_LEN);
    head[DIAG_DTC_LEN] = '\0';
    return diag_dtc_normalise(head, code);
}

static int visit(const struct diag_df_object *o, void *ctx)
{
    struct collected *col = ctx;
    if (strcmp(o->type, "FILE") == 0 || !looks_like_codes(o)) return 0;
    struct diag_dtc_stats st;
    int rc = diag_dtc_parse_text((const char *)o->data, o->size, keep_entry, col, &st);
    col->lists++;
    col->st.lines += st.lines;
    col->st.entries += st.entries;
    col->st.repaired += st.repaired;
    col->st.skipped += st.skipped;
    return rc;
}

/* Order: code, generic text first, manufacturer, then file order (stable via index). */
struct sort_item { const struct diag_dtc_entry *e; int idx; };

static int by_code(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = strcmp(x->e->code, y->e->code);
    if (c) return c;
    if (x->e->generic != y->e->generic) return x->e->generic ? -1 : 1;
    c = strcmp(x->e->manufacturer, y->e->manufacturer);
    if (c) return c;
    return x->idx - y->idx;
}

struct chunk { const struct dtc_import_row *rows; int n; int64_t changed; };

static int write_chunk(struct ps_db_conn *c, void *arg)
{
    struct chunk *ch = arg;
    return dtc_store_import(c, ch->rows, ch->n, &ch->changed);
}

/* Returns 0, PS_E_TOO_LARGE, PS_E_NOMEM, or PS_E_INTERNAL with the errno in *sys_err. */
static int read_file(const char *path, unsigned char **out, size_t *len, int *sys_err)
{
    *sys_err = 0;
    FILE *f = fopen(path, "rb");
    if (!f) { *sys_err = errno; return PS_E_INTERNAL; }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap >= DIAG_DF_MAX_BYTES) { rc = PS_E_TOO_LARGE; break; }
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (!buf) rc = PS_E_NOMEM;
    else if (!rc && ferror(f)) { *sys_err = EIO; rc = PS_E_INTERNAL; }
    fclose(f);
    if (rc) { free(buf); return rc; }
    *out = buf;
    *len = n;
    return 0;
}

static int import_run(const struct ps_app *app, int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : DEFAULT_CODES_FILE;
    if (argc > 2 || (argc > 1 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: pitstop import-dtc [FILE]   (default %s)\n", DEFAULT_CODES_FILE);
        return 2;
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    int sys_err;
    int rc = read_file(path, &buf, &len, &sys_err);
    if (sys_err == ENOENT && argc <= 1) {
        /* Machines without Debian's scantool still start: the look-up answers 404. */
        printf("import-dtc: %s not found; skipping (install Debian's scantool package to get "
               "trouble-code descriptions)\n", path);
        return 0;
    }
    if (rc) {
        fprintf(stderr, "import-dtc: cannot read %s: %s\n", path,
                sys_err ? strerror(sys_err) : ps_err_title(rc));
        return 1;
    }

    struct collected col = { 0 };
    char err[256];
    rc = diag_datafile_walk(buf, len, visit, &col, err, sizeof err);
    struct sort_item *items = NULL;
    struct dtc_import_row *rows = NULL;
    int status = 1;
    if (rc) {
        fprintf(stderr, "import-dtc: %s: %s\n", path, err[0] ? err : ps_err_title(rc));
        goto out;
    }
    if (col.n == 0) {
        fprintf(stderr, "import-dtc: %s holds no trouble-code lists\n", path);
        goto out;
    }

    items = malloc(sizeof *items * (size_t)col.n);
    rows = malloc(sizeof *rows * (size_t)col.n);
    if (!items || !rows) { fprintf(stderr, "import-dtc: out of memory\n"); goto out; }
    for (int i = 0; i < col.n; i++) { items[i].e = &col.v[i]; items[i].idx = i; }
    qsort(items, (size_t)col.n, sizeof *items, by_code);
    int codes = 0, generic = 0, variants = 0;
    for (int i = 0; i < col.n; i++) {
        const struct diag_dtc_entry *e = items[i].e;
        bool same_code = i > 0 && strcmp(items[i - 1].e->code, e->code) == 0;
        bool same_make = same_code && items[i - 1].e->generic == e->generic &&
                         strcmp(items[i - 1].e->manufacturer, e->manufacturer) == 0;
        rows[i].e = e;
        rows[i].seq = same_make ? rows[i - 1].seq + 1 : 0;
        codes += !same_code;
        if (e->generic && rows[i].seq == 0) generic++;
        else variants++;
    }

    int64_t changed = 0;
    for (int at = 0; at < col.n; at += IMPORT_CHUNK) {
        struct chunk ch = { rows + at, col.n - at < IMPORT_CHUNK ? col.n - at : IMPORT_CHUNK, 0 };
        rc = ps_db_write(app->db, write_chunk, &ch);
        if (rc) {
            fprintf(stderr, "import-dtc: writing to the database failed: %s\n", ps_err_title(rc));
            goto out;
        }
        changed += ch.changed;
    }
    printf("import-dtc: %s: %d trouble codes imported (%d distinct codes: %d generic descriptions, "
           "%d manufacturer variants) from %d code lists; %d lines repaired, %d skipped; "
           "%lld rows changed%s\n",
           path, col.n, codes, generic, variants, col.lists, col.st.repaired, col.st.skipped,
           (long long)changed, changed ? "" : " (already up to date)");
    status = 0;
out:
    free(items);
    free(rows);
    free(col.v);
    free(buf);
    return status;
}

const struct ps_command diagnosis_commands[] = {
    { "import-dtc", "import-dtc [FILE]",
      "import OBD-II trouble codes from scantool's codes.dat (default " DEFAULT_CODES_FILE ")",
      import_run, 1 },
    PS_COMMAND_END
};
