/* What db.c shares with the two drivers (db_sqlite.c, db_pg.c): the driver vtable, the
 * common heads of the handle, connection and statement structs, and the per-connection
 * statement cache keyed by SQL pointer. Nothing outside src/core/db*.c includes this. */
#ifndef PS_DB_INTERNAL_H
#define PS_DB_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/db.h"
#include "core/limits.h"

#define PS_DB_ERRMSG_LEN 512

/* One driver, filled with designated initialisers in its own file. */
struct ps_db_driver {
    enum ps_db_backend backend;
    void (*close)(struct ps_db *db);
    struct ps_db_conn *(*reader)(struct ps_db *db);
    void (*release)(struct ps_db_conn *c);
    int (*write)(struct ps_db *db, ps_db_tx_fn fn, void *arg);
    void (*stats)(struct ps_db *db, struct ps_db_stats *out);

    int (*prepare)(struct ps_db_conn *c, const char *sql, struct ps_db_stmt **out);
    int (*exec)(struct ps_db_conn *c, const char *sql);

    int (*bind_text)(struct ps_db_stmt *s, int idx, const char *v);
    int (*bind_int64)(struct ps_db_stmt *s, int idx, int64_t v);
    int (*bind_double)(struct ps_db_stmt *s, int idx, double v);
    int (*bind_null)(struct ps_db_stmt *s, int idx);
    int (*step)(struct ps_db_stmt *s);
    int (*col_count)(struct ps_db_stmt *s);
    bool (*col_is_null)(struct ps_db_stmt *s, int col);
    const char *(*col_text)(struct ps_db_stmt *s, int col);
    int64_t (*col_int64)(struct ps_db_stmt *s, int col);
    double (*col_double)(struct ps_db_stmt *s, int col);
    int64_t (*changes)(struct ps_db_stmt *s);
    void (*reset)(struct ps_db_stmt *s);
};

/* Heads of the driver structs: each driver embeds these as its first member. */
struct ps_db {
    const struct ps_db_driver *drv;
};

struct ps_db_stmt {
    struct ps_db_conn *conn;
    const char *sql;      /* the cache key: the caller's literal */
    bool busy;            /* between ps_db_prepare() and ps_db_reset() */
};

/* Open addressing (linear probing) over twice as many slots as entries, so probes stay
 * short; when PS_DB_STMT_CACHE entries are live, one idle statement is evicted. */
#define PS_DB_CACHE_SLOTS (PS_DB_STMT_CACHE * 2)
struct ps_db_stmt_cache {
    struct ps_db_stmt *slot[PS_DB_CACHE_SLOTS];
    int count;
    int busy;             /* statements currently borrowed */
    unsigned hand;        /* where the next eviction search starts */
};

struct ps_db_conn {
    const struct ps_db_driver *drv;
    struct ps_db *db;
    struct ps_db_stmt_cache cache;
    char err[PS_DB_ERRMSG_LEN];
};

/* Statement cache (db.c). */
struct ps_db_stmt *ps_db_cache_find(struct ps_db_stmt_cache *c, const char *sql);
/* Adds s; if the cache is full, removes an idle statement and returns it through *evicted
 * for the driver to finalize (NULL when nothing was evicted). Returns 0, or
 * PS_DB_E_MISUSE when every cached statement is borrowed. */
int ps_db_cache_add(struct ps_db_stmt_cache *c, struct ps_db_stmt *s,
                    struct ps_db_stmt **evicted);
/* Calls fn on every cached statement and empties the cache. */
void ps_db_cache_clear(struct ps_db_stmt_cache *c, void (*fn)(struct ps_db_stmt *s));
/* Resets every statement a transaction function left borrowed. */
void ps_db_cache_reset_busy(struct ps_db_stmt_cache *c);
/* Marks a statement borrowed / returned, keeping the cache's busy count. */
void ps_db_stmt_take(struct ps_db_stmt *s);
void ps_db_stmt_give_back(struct ps_db_stmt *s);

/* Records a connection's last error message (printf style). */
void ps_db_set_err(struct ps_db_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Formats an open error into err (may be NULL / errlen 0). */
void ps_db_open_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ps_db_migrate() / ps_db_pending_migrations() over a given list (sorted by version);
 * the tests use them with lists of their own. */
int ps_db_migrate_list(struct ps_db *db, const struct ps_migration *list, size_t n,
                       int *applied, char *err, size_t errlen);
int ps_db_pending_list(struct ps_db *db, const struct ps_migration *list, size_t n);

/* Driver entry points (called by ps_db_open() after the URL is recognised). */
int ps_db_sqlite_open(const char *path, const struct ps_db_options *opt, struct ps_db **out,
                      char *err, size_t errlen);
int ps_db_pg_open(const char *url, const struct ps_db_options *opt, struct ps_db **out,
                  char *err, size_t errlen);

#endif
