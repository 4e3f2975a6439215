/* Schema migrations: the embedded, numbered, append-only lists of each backend (generated
 * by src/core/CMakeLists.txt) and the code that applies the missing ones, each in its own
 * write transaction and recorded in schema_migrations. On PostgreSQL every step holds a
 * transaction-scoped advisory lock, so several nodes starting at once apply each exactly once. */
#include "core/db_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/log.h"

extern const struct ps_migration ps_migrations_sqlite[];
extern const size_t ps_migrations_sqlite_n;
extern const struct ps_migration ps_migrations_postgres[];
extern const size_t ps_migrations_postgres_n;

static const char SQL_CREATE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
static const char SQL_PG_LOCK[] = "SELECT pg_advisory_xact_lock(7405843301)";
static const char SQL_SQ_EXISTS[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
static const char SQL_PG_EXISTS[] = "SELECT to_regclass('schema_migrations') IS NOT NULL";
static const char SQL_VERSIONS[] = "SELECT version FROM schema_migrations";
static const char SQL_IS_APPLIED[] = "SELECT 1 FROM schema_migrations WHERE version = $1";
static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

const struct ps_migration *ps_db_migrations(enum ps_db_backend b, size_t *n)
{
    if (b == PS_DB_POSTGRES) {
        *n = ps_migrations_postgres_n;
        return ps_migrations_postgres;
    }
    *n = ps_migrations_sqlite_n;
    return ps_migrations_sqlite;
}

struct mig_ctx {
    struct ps_db *db;
    const struct ps_migration *m;   /* NULL: only create schema_migrations */
    bool applied;
    char *err;
    size_t errlen;
};

/* Runs a one-row query; *val receives the first column (0 when there is no row). */
static int query_int(struct ps_db_conn *c, const char *sql, int64_t arg, bool has_arg,
                     int64_t *val)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);

    *val = 0;
    if (rc < 0)
        return rc;
    if (has_arg && (rc = ps_db_bind_int64(s, 1, arg)) < 0)
        goto out;
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        *val = ps_db_col_int64(s, 0);
    if (rc > 0)
        rc = 0;
out:
    ps_db_reset(s);
    return rc;
}

static int record(struct ps_db_conn *c, const struct ps_migration *m)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_RECORD, &s);

    if (rc < 0)
        return rc;
    if ((rc = ps_db_bind_int64(s, 1, m->version)) < 0 || (rc = ps_db_bind_text(s, 2, m->name)) < 0
        || (rc = ps_db_bind_int64(s, 3, ps_now_ms())) < 0)
        goto out;
    rc = ps_db_step(s);
    if (rc > 0)
        rc = 0;
out:
    ps_db_reset(s);
    return rc;
}

static int migrate_step(struct ps_db_conn *c, void *arg)
{
    struct mig_ctx *x = arg;
    int64_t done = 0, ignored;
    int rc = 0;

    if (ps_db_backend(x->db) == PS_DB_POSTGRES && (rc = query_int(c, SQL_PG_LOCK, 0, false, &ignored)) < 0)
        goto out;
    if ((rc = ps_db_exec(c, SQL_CREATE)) < 0 || !x->m)
        goto out;
    if ((rc = query_int(c, SQL_IS_APPLIED, x->m->version, true, &done)) < 0 || done)
        goto out;   /* another node got there first */
    if ((rc = ps_db_exec(c, x->m->sql)) < 0 || (rc = record(c, x->m)) < 0)
        goto out;
    x->applied = true;
out:
    if (rc < 0)
        ps_db_open_err(x->err, x->errlen, "migration %s: %s",
                       x->m ? x->m->name : "schema_migrations", ps_db_errmsg(c));
    return ps_db_err_to_ps(rc);
}

/* Marks in applied[] the embedded migrations recorded in the database; *table tells
 * whether schema_migrations exists at all. */
static int read_applied(struct ps_db *db, const struct ps_migration *list, size_t n,
                        bool *applied, bool *table)
{
    struct ps_db_conn *c = ps_db_reader(db);
    struct ps_db_stmt *s = NULL;
    int64_t exists = 0;
    int rc = query_int(c, ps_db_backend(db) == PS_DB_POSTGRES ? SQL_PG_EXISTS : SQL_SQ_EXISTS,
                       0, false, &exists);

    *table = exists != 0;
    if (rc < 0 || !exists)
        goto out;
    if ((rc = ps_db_prepare(c, SQL_VERSIONS, &s)) < 0)
        goto out;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        int64_t v = ps_db_col_int64(s, 0);
        for (size_t i = 0; i < n; i++) {
            if (list[i].version == v)
                applied[i] = true;
        }
    }
out:
    ps_db_reset(s);
    ps_db_release(c);
    return rc < 0 ? rc : 0;
}

int ps_db_pending_migrations(struct ps_db *db)
{
    size_t n;
    const struct ps_migration *list = ps_db_migrations(ps_db_backend(db), &n);

    return ps_db_pending_list(db, list, n);
}

int ps_db_migrate(struct ps_db *db, int *applied, char *err, size_t errlen)
{
    size_t n;
    const struct ps_migration *list = ps_db_migrations(ps_db_backend(db), &n);

    return ps_db_migrate_list(db, list, n, applied, err, errlen);
}

int ps_db_pending_list(struct ps_db *db, const struct ps_migration *list, size_t n)
{
    bool *applied = calloc(n + 1, sizeof *applied);
    bool table;

    if (!applied)
        return PS_E_NOMEM;
    int rc = read_applied(db, list, n, applied, &table);
    int pending = 0;
    for (size_t i = 0; i < n; i++)
        pending += !applied[i];
    free(applied);
    return rc < 0 ? ps_db_err_to_ps(rc) : pending;
}

int ps_db_migrate_list(struct ps_db *db, const struct ps_migration *list, size_t n,
                       int *applied_out, char *err, size_t errlen)
{
    bool *applied = calloc(n + 1, sizeof *applied);
    struct mig_ctx x = { .db = db, .err = err, .errlen = errlen };
    bool table;
    int count = 0;
    int rc;

    if (applied_out)
        *applied_out = 0;
    if (!applied)
        return PS_E_NOMEM;
    if ((rc = read_applied(db, list, n, applied, &table)) < 0) {
        ps_db_open_err(err, errlen, "migrations: cannot read schema_migrations");
        rc = ps_db_err_to_ps(rc);
        goto out;
    }
    if (!table && (rc = ps_db_write(db, migrate_step, &x)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (applied[i])
            continue;
        x.m = &list[i];
        x.applied = false;
        if ((rc = ps_db_write(db, migrate_step, &x)) < 0)
            goto out;
        count += x.applied;
    }
out:
    free(applied);
    if (applied_out)
        *applied_out = count;
    return rc < 0 ? rc : 0;
}
