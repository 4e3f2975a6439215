/* Storage behind one interface: SQLite (embedded default) and PostgreSQL.
 *
 * SQL is written once, PostgreSQL style, with positional parameters $1..$n; the SQLite
 * driver rewrites them to ?1..?n when it prepares a statement. Keep to the common subset
 * (INTEGER/BIGINT, TEXT, DOUBLE PRECISION/REAL, RETURNING, ON CONFLICT); where the backends
 * differ, ask ps_db_backend() and keep both texts side by side in the module's _store.c.
 * Times are stored as BIGINT milliseconds since the epoch; booleans as INTEGER 0/1.
 *
 * Threads: struct ps_db is thread-safe. A struct ps_db_conn is used by one thread at a time.
 *
 * Reads borrow a pooled connection:      c = ps_db_reader(db); ...; ps_db_release(c);
 * Writes run a function in a transaction: rc = ps_db_write(db, fn, arg);
 *   SQLite: one writer connection on its own thread runs queued functions back to back inside
 *   one transaction, each in its own SAVEPOINT (a failing function rolls back only itself),
 *   then COMMITs once for the whole group (group commit: one fsync for many writes). The call
 *   returns after that COMMIT is durable.
 *   PostgreSQL: fn runs on a pooled connection between BEGIN and COMMIT; a serialization
 *   failure or deadlock is retried a few times.
 *   fn must only touch the database through the connection it is given, must not block on
 *   anything else, and returns 0 to commit or a negative PS_E_* code to roll back (that code is
 *   what ps_db_write returns).
 */
#ifndef PS_DB_H
#define PS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ps_db;
struct ps_db_conn;
struct ps_db_stmt;

enum ps_db_backend { PS_DB_SQLITE = 1, PS_DB_POSTGRES = 2 };

/* Results of ps_db_step(); errors are negative. */
enum {
    PS_DB_ROW  = 1,
    PS_DB_DONE = 0,
};

/* Driver error codes (negative, distinct from PS_E_*: map them with ps_db_err_to_ps()). */
enum {
    PS_DB_E_UNIQUE     = -1001,  /* unique / primary key violation */
    PS_DB_E_FOREIGN    = -1002,  /* foreign key violation */
    PS_DB_E_CHECK      = -1003,  /* CHECK or NOT NULL violation */
    PS_DB_E_BUSY       = -1004,  /* lock timeout, serialization failure, deadlock */
    PS_DB_E_CONN       = -1005,  /* connection lost / cannot connect */
    PS_DB_E_MISUSE     = -1006,  /* bad SQL, bad index, wrong type */
    PS_DB_E_OTHER      = -1007,
};

struct ps_db_options {
    int readers;          /* pooled read connections (SQLite) / pool size (PostgreSQL); 0 = default */
    int busy_timeout_ms;  /* 0 = default (5000) */
};

/* url: "sqlite:./data/pitstop.db", "sqlite::memory:" is not supported (use a temp file),
 *      "postgres://user:pass@host:port/db?..." or "postgresql://..." (passed to libpq).
 * SQLite files are opened with WAL, synchronous=FULL, foreign_keys=ON; the parent
 * directory is created if missing. On error returns a negative code and writes a message
 * into err. Caller frees with ps_db_close(). */
int ps_db_open(const char *url, const struct ps_db_options *opt, struct ps_db **out,
               char *err, size_t errlen);
/* Waits for queued writes, closes every connection, frees db. NULL is fine. */
void ps_db_close(struct ps_db *db);
enum ps_db_backend ps_db_backend(const struct ps_db *db);

/* Borrow a read connection (blocks until one is free). Release it with ps_db_release(). */
struct ps_db_conn *ps_db_reader(struct ps_db *db);
void ps_db_release(struct ps_db_conn *c);

typedef int (*ps_db_tx_fn)(struct ps_db_conn *c, void *arg);
/* Run fn in a write transaction (see above). Returns fn's result, or a PS_E_* code
 * (PS_E_DB, PS_E_UNAVAILABLE) if the transaction itself failed. */
int ps_db_write(struct ps_db *db, ps_db_tx_fn fn, void *arg);

/* Statements. sql must be a string that lives for the whole program (a literal): statements
 * are prepared once per connection and cached by that pointer. The statement is borrowed
 * from the connection's cache: finish with ps_db_reset() before preparing the same SQL again
 * and before the connection is released. Returns 0 or a PS_DB_E_* code. */
int ps_db_prepare(struct ps_db_conn *c, const char *sql, struct ps_db_stmt **out);
/* Bind by 1-based index. Text is copied. ps_db_bind_text(s, i, NULL) binds NULL. */
int ps_db_bind_text(struct ps_db_stmt *s, int idx, const char *v);
int ps_db_bind_int64(struct ps_db_stmt *s, int idx, int64_t v);
int ps_db_bind_double(struct ps_db_stmt *s, int idx, double v);
int ps_db_bind_null(struct ps_db_stmt *s, int idx);
/* Execute / advance: PS_DB_ROW, PS_DB_DONE or a PS_DB_E_* code. */
int ps_db_step(struct ps_db_stmt *s);
int ps_db_col_count(struct ps_db_stmt *s);
bool ps_db_col_is_null(struct ps_db_stmt *s, int col);          /* 0-based column */
/* Text of a column; valid until the next step/reset. NULL for SQL NULL. */
const char *ps_db_col_text(struct ps_db_stmt *s, int col);
int64_t ps_db_col_int64(struct ps_db_stmt *s, int col);         /* 0 for NULL */
double ps_db_col_double(struct ps_db_stmt *s, int col);         /* 0 for NULL */
/* Rows changed by the last executed INSERT/UPDATE/DELETE of this statement. */
int64_t ps_db_changes(struct ps_db_stmt *s);
/* Done with the statement: clears bindings and results, returns it to the cache. */
void ps_db_reset(struct ps_db_stmt *s);

/* Run a statement that returns no rows (INSERT/UPDATE/DELETE), then reset it; *changes (may
 * be NULL) gets the rows it touched. Returns 0 or a PS_E_* code. */
int ps_db_run(struct ps_db_stmt *s, int64_t *changes);

/* The common "one row by one text key" query: binds key as $1, steps once and hands the row
 * to read(s, out). Returns 0, PS_E_NOT_FOUND when there is no row, or a PS_E_* code. */
int ps_db_get_by_key(struct ps_db_conn *c, const char *sql, const char *key,
                     void (*read)(struct ps_db_stmt *s, void *out), void *out);

/* Run SQL text that may hold several statements and no parameters (migrations, PRAGMAs). */
int ps_db_exec(struct ps_db_conn *c, const char *sql);
/* The last driver error message of this connection (for logs; never shown to clients). */
const char *ps_db_errmsg(struct ps_db_conn *c);

/* Map a PS_DB_E_* code to the PS_E_* code a handler should answer with
 * (UNIQUE -> PS_E_DUPLICATE, BUSY/CONN -> PS_E_UNAVAILABLE, others -> PS_E_DB);
 * codes that are already PS_E_* or 0 pass through unchanged. */
int ps_db_err_to_ps(int rc);

/* Migrations: each backend has its own numbered, append-only list (migrations/sqlite/,
 * migrations/postgres/) embedded in the binary. */
struct ps_migration { int version; const char *name; const char *sql; };
/* The embedded list for a backend, sorted by version; *n receives its length. */
const struct ps_migration *ps_db_migrations(enum ps_db_backend b, size_t *n);
/* Apply every migration not yet recorded in schema_migrations, each in its own transaction,
 * in version order. *applied receives how many ran (may be NULL). */
int ps_db_migrate(struct ps_db *db, int *applied, char *err, size_t errlen);
/* How many embedded migrations are not applied yet (0 = current), or a negative code. */
int ps_db_pending_migrations(struct ps_db *db);

/* SQLite only: fn(sqlite3 *handle) runs on every SQLite connection right after it opens
 * (custom FTS5 tokenizers, functions). Call before ps_db_open(); at most 8 hooks. fn returns
 * 0 or a negative code (the open then fails). */
typedef int (*ps_db_sqlite_init_fn)(void *sqlite3_handle);
void ps_db_sqlite_add_init(ps_db_sqlite_init_fn fn);

/* Pool figures for /metrics. */
struct ps_db_stats {
    int readers_total, readers_busy;
    uint64_t writes, write_groups;     /* write transactions and group commits so far */
    int write_queue;                   /* writes waiting now */
};
void ps_db_stats(struct ps_db *db, struct ps_db_stats *out);

#endif
