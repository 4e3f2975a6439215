/* All of the diagnosis module's SQL (see dtc_store.h). One text per statement serves both
 * backends: SQLite and PostgreSQL both take INSERT ... ON CONFLICT ... DO UPDATE ... WHERE,
 * and both count a conflicting row whose WHERE is false as unchanged. */
#include "diagnosis/dtc_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"

static const char SQL_UPSERT_GENERIC[] =
    "INSERT INTO dtc_codes (code, system, description) VALUES ($1, $2, $3) "
    "ON CONFLICT (code) DO UPDATE SET description = excluded.description, system = excluded.system "
    "WHERE dtc_codes.description IS NULL OR dtc_codes.description <> excluded.description "
    "OR dtc_codes.system <> excluded.system";
static const char SQL_ENSURE_CODE[] =
    "INSERT INTO dtc_codes (code, system, description) VALUES ($1, $2, NULL) "
    "ON CONFLICT (code) DO NOTHING";
static const char SQL_UPSERT_VARIANT[] =
    "INSERT INTO dtc_variants (code, manufacturer, seq, description) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (code, manufacturer, seq) DO UPDATE SET description = excluded.description "
    "WHERE dtc_variants.description <> excluded.description";
static const char SQL_CODE[] =
    "SELECT code, system, description FROM dtc_codes WHERE code = $1";
static const char SQL_VARIANTS[] =
    "SELECT manufacturer, description FROM dtc_variants WHERE code = $1 "
    "ORDER BY manufacturer, seq LIMIT 64";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM dtc_codes";

/* Run a prepared, bound statement that changes rows; adds what it changed to *changed. */
static int run(struct ps_db_conn *c, struct ps_db_stmt *s, int64_t *changed)
{
    int rc = ps_db_step(s);
    if (rc == PS_DB_DONE || rc == PS_DB_ROW) {
        *changed += ps_db_changes(s);
        rc = 0;
    } else {
        ps_log_error("diagnosis: import statement failed: %s", ps_db_errmsg(c));
    }
    ps_db_reset(s);
    return ps_db_err_to_ps(rc);
}

static int import_row(struct ps_db_conn *c, const struct dtc_import_row *row, int64_t *changed)
{
    const struct diag_dtc_entry *e = row->e;
    const char *system = diag_dtc_system(e->code);
    struct ps_db_stmt *s;
    int rc;
    if (e->generic && row->seq == 0) {
        if ((rc = ps_db_prepare(c, SQL_UPSERT_GENERIC, &s)) != 0) return ps_db_err_to_ps(rc);
        ps_db_bind_text(s, 1, e->code);
        ps_db_bind_text(s, 2, system);
        ps_db_bind_text(s, 3, e->description);
        return run(c, s, changed);
    }
    /* A variant needs its code row; "DO NOTHING" keeps a generic text that is already there. */
    if ((rc = ps_db_prepare(c, SQL_ENSURE_CODE, &s)) != 0) return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, e->code);
    ps_db_bind_text(s, 2, system);
    if ((rc = run(c, s, changed)) != 0) return rc;
    if ((rc = ps_db_prepare(c, SQL_UPSERT_VARIANT, &s)) != 0) return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, e->code);
    ps_db_bind_text(s, 2, e->manufacturer);
    /* the second generic text of a code is a "Generic" variant numbered from 0 */
    ps_db_bind_int64(s, 3, e->generic ? row->seq - 1 : row->seq);
    ps_db_bind_text(s, 4, e->description);
    return run(c, s, changed);
}

int dtc_store_import(struct ps_db_conn *c, const struct dtc_import_row *rows, int n, int64_t *changed)
{
    *changed = 0;
    for (int i = 0; i < n; i++) {
        int rc = import_row(c, &rows[i], changed);
        if (rc) return rc;
    }
    return 0;
}

int dtc_store_lookup(struct ps_db_conn *c, struct ps_arena *a, const char *code, struct dtc_record *out)
{
    struct ps_db_stmt *s;
    memset(out, 0, sizeof *out);
    int rc = ps_db_prepare(c, SQL_CODE, &s);
    if (rc) return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, code);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        const char *v = ps_db_col_text(s, 0);
        snprintf(out->code, sizeof out->code, "%s", v ? v : "");
        v = ps_db_col_text(s, 1);
        snprintf(out->system, sizeof out->system, "%s", v ? v : "");
        out->description = ps_arena_strdup(a, ps_db_col_text(s, 2));
        rc = 0;
    } else if (rc == PS_DB_DONE) {
        rc = PS_E_NOT_FOUND;
    }
    ps_db_reset(s);
    if (rc) return ps_db_err_to_ps(rc);

    if ((rc = ps_db_prepare(c, SQL_VARIANTS, &s)) != 0) return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, code);
    out->variants = ps_arena_alloc(a, sizeof *out->variants * DIAG_MAX_VARIANTS);
    if (!out->variants) { ps_db_reset(s); return PS_E_NOMEM; }
    while ((rc = ps_db_step(s)) == PS_DB_ROW && out->nvariants < DIAG_MAX_VARIANTS) {
        struct dtc_variant *v = &out->variants[out->nvariants++];
        v->manufacturer = ps_arena_strdup(a, ps_db_col_text(s, 0));
        v->description = ps_arena_strdup(a, ps_db_col_text(s, 1));
        if (!v->manufacturer || !v->description) { rc = PS_E_NOMEM; break; }
    }
    ps_db_reset(s);
    return rc == PS_DB_DONE || rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int dtc_store_count(struct ps_db_conn *c, int64_t *n)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_COUNT, &s);
    if (rc) return ps_db_err_to_ps(rc);
    rc = ps_db_step(s);
    *n = rc == PS_DB_ROW ? ps_db_col_int64(s, 0) : 0;
    ps_db_reset(s);
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}
