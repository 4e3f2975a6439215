/* SQL of the outbox and the inbox. Delivery claims rows so that several nodes can run the
 * worker at once: PostgreSQL locks them with FOR UPDATE SKIP LOCKED, SQLite (one writer at a
 * time anyway) claims each row with a conditional UPDATE. The inbox insert is idempotent on
 * outbox_id, so a row delivered twice still gives one notification. */
#include "notifications/notifications_store.h"

#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/router.h"

int notifications_store_enqueue(struct ps_db_conn *c, const char *user_id, const char *kind,
                                const char *title, const char *payload_json)
{
    static const char sql[] =
        "INSERT INTO notify_outbox (id, user_id, kind, title, payload, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";
    struct ps_db_stmt *s;
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, user_id);
    ps_db_bind_text(s, 3, kind);
    ps_db_bind_text(s, 4, title);
    ps_db_bind_text(s, 5, payload_json);
    ps_db_bind_int64(s, 6, ps_now_ms());
    rc = ps_db_step(s);
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : ps_db_err_to_ps(rc);
}

struct pending { char id[PS_ID_LEN + 1]; };

int notifications_store_deliver(struct ps_db_conn *c, int64_t now, int *delivered)
{
    static const char pick_pg[] =
        "SELECT id FROM notify_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT 200 "
        "FOR UPDATE SKIP LOCKED";
    static const char pick_sqlite[] =
        "SELECT id FROM notify_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT 200";
    /* The claim: only the transaction that flips delivered_at delivers the row. */
    static const char claim[] =
        "UPDATE notify_outbox SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL";
    static const char copy[] =
        "INSERT INTO notifications (id, outbox_id, user_id, kind, title, payload, created_at) "
        "SELECT id, id, user_id, kind, title, payload, created_at FROM notify_outbox WHERE id = $1 "
        "ON CONFLICT (outbox_id) DO NOTHING";
    static struct pending rows[NOTIFY_BATCH];   /* only the job thread runs this */
    struct ps_db_stmt *s;
    int n = 0, rc;
    *delivered = 0;

    bool pg = false;
    {
        const struct ps_app *app = ps_app();
        pg = app && app->db && ps_db_backend(app->db) == PS_DB_POSTGRES;
    }
    rc = ps_db_prepare(c, pg ? pick_pg : pick_sqlite, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    while ((rc = ps_db_step(s)) == PS_DB_ROW && n < NOTIFY_BATCH) {
        const char *id = ps_db_col_text(s, 0);
        if (id && strlen(id) <= PS_ID_LEN) {
            memcpy(rows[n].id, id, strlen(id) + 1);
            n++;
        }
    }
    ps_db_reset(s);
    if (rc < 0)
        return ps_db_err_to_ps(rc);

    for (int i = 0; i < n; i++) {
        rc = ps_db_prepare(c, claim, &s);
        if (rc)
            return ps_db_err_to_ps(rc);
        ps_db_bind_text(s, 1, rows[i].id);
        ps_db_bind_int64(s, 2, now);
        rc = ps_db_step(s);
        int64_t changed = ps_db_changes(s);
        ps_db_reset(s);
        if (rc != PS_DB_DONE)
            return ps_db_err_to_ps(rc);
        if (changed != 1)
            continue;               /* another node got there first */
        rc = ps_db_prepare(c, copy, &s);
        if (rc)
            return ps_db_err_to_ps(rc);
        ps_db_bind_text(s, 1, rows[i].id);
        rc = ps_db_step(s);
        ps_db_reset(s);
        if (rc != PS_DB_DONE)
            return ps_db_err_to_ps(rc);
        (*delivered)++;
    }
    return 0;
}

int notifications_store_pending(struct ps_db_conn *c, bool *any)
{
    static const char sql[] = "SELECT id FROM notify_outbox WHERE delivered_at IS NULL LIMIT 1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    rc = ps_db_step(s);
    *any = rc == PS_DB_ROW;
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static json_t *row_to_json(struct ps_db_stmt *s)
{
    char when[32];
    ps_format_time_ms(ps_db_col_int64(s, 5), when);
    const char *payload_text = ps_db_col_text(s, 4);
    json_t *payload = payload_text ? json_loads(payload_text, 0, NULL) : NULL;
    if (!payload)
        payload = json_object();
    json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:b}",
                          "id", ps_db_col_text(s, 0),
                          "kind", ps_db_col_text(s, 2),
                          "title", ps_db_col_text(s, 3),
                          "payload", payload,
                          "created_at", when,
                          "read", !ps_db_col_is_null(s, 6));
    if (o && !ps_db_col_is_null(s, 6)) {
        ps_format_time_ms(ps_db_col_int64(s, 6), when);
        json_object_set_new(o, "read_at", json_string(when));
    }
    return o;
}

int notifications_store_list(struct ps_db_conn *c, const char *user_id, const char *cursor,
                             bool unread_only, int limit, json_t *items, bool *more)
{
    /* One text: NULL cursor means "from the newest"; $3 = 1 keeps unread ones only. */
    static const char sql[] =
        "SELECT id, user_id, kind, title, payload, created_at, read_at FROM notifications "
        "WHERE user_id = $1 AND ($2 IS NULL OR id < $2) AND ($3 = 0 OR read_at IS NULL) "
        "ORDER BY id DESC LIMIT $4";
    static const char sql_pg[] =
        "SELECT id, user_id, kind, title, payload, created_at, read_at FROM notifications "
        "WHERE user_id = $1 AND ($2::text IS NULL OR id < $2::text) "
        "AND ($3::int = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT $4";
    const struct ps_app *app = ps_app();
    bool pg = app && app->db && ps_db_backend(app->db) == PS_DB_POSTGRES;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, pg ? sql_pg : sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, user_id);
    ps_db_bind_text(s, 2, cursor);
    ps_db_bind_int64(s, 3, unread_only ? 1 : 0);
    ps_db_bind_int64(s, 4, limit + 1);
    int n = 0;
    *more = false;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        json_array_append_new(items, row_to_json(s));
        n++;
    }
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int notifications_store_mark_read(struct ps_db_conn *c, const char *user_id, const char *id,
                                  int64_t now, json_t **out)
{
    static const char upd[] =
        "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL";
    static const char get[] =
        "SELECT id, user_id, kind, title, payload, created_at, read_at FROM notifications "
        "WHERE id = $1 AND user_id = $2";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, upd, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, user_id);
    ps_db_bind_int64(s, 3, now);
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc != PS_DB_DONE)
        return ps_db_err_to_ps(rc);
    rc = ps_db_prepare(c, get, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, user_id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        *out = row_to_json(s);
    ps_db_reset(s);
    if (rc == PS_DB_DONE)
        return PS_E_NOT_FOUND;
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}
