/* SQL of uploads: the metadata row of each stored file and its attachment to an order. */
#include "uploads/uploads_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "uploads/uploads.h"

static void copy_col(struct ps_db_stmt *s, int col, char *out, size_t outlen)
{
    const char *v = ps_db_col_text(s, col);
    snprintf(out, outlen, "%s", v ? v : "");
}

int uploads_store_insert(struct ps_db_conn *c, const struct upload_row *u)
{
    static const char sql[] =
        "INSERT INTO uploads (id, uploader_id, content_type, size_bytes, sha256, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, u->id);
    ps_db_bind_text(s, 2, u->uploader_id);
    ps_db_bind_text(s, 3, u->content_type);
    ps_db_bind_int64(s, 4, u->size_bytes);
    ps_db_bind_text(s, 5, u->sha256);
    ps_db_bind_int64(s, 6, u->created_at);
    rc = ps_db_step(s);
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : ps_db_err_to_ps(rc);
}

int uploads_store_get(struct ps_db_conn *c, const char *id, struct upload_row *out)
{
    static const char sql[] =
        "SELECT id, uploader_id, content_type, size_bytes, sha256, owner_id, provider_id, "
        "created_at FROM uploads WHERE id = $1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        copy_col(s, 0, out->id, sizeof out->id);
        copy_col(s, 1, out->uploader_id, sizeof out->uploader_id);
        copy_col(s, 2, out->content_type, sizeof out->content_type);
        out->size_bytes = ps_db_col_int64(s, 3);
        copy_col(s, 4, out->sha256, sizeof out->sha256);
        copy_col(s, 5, out->owner_id, sizeof out->owner_id);
        copy_col(s, 6, out->provider_id, sizeof out->provider_id);
        out->created_at = ps_db_col_int64(s, 7);
    }
    ps_db_reset(s);
    if (rc == PS_DB_DONE)
        return PS_E_NOT_FOUND;
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int uploads_attach(struct ps_db_conn *c, const char *upload_id, const char *uploader_id,
                   const char *order_id, const char *owner_id, const char *provider_id)
{
    /* Attaching the same photo to the same order twice is harmless; to another order, no. */
    static const char sql[] =
        "UPDATE uploads SET order_id = $3, owner_id = $4, provider_id = $5 "
        "WHERE id = $1 AND uploader_id = $2 AND (order_id IS NULL OR order_id = $3)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, upload_id);
    ps_db_bind_text(s, 2, uploader_id);
    ps_db_bind_text(s, 3, order_id);
    ps_db_bind_text(s, 4, owner_id);
    ps_db_bind_text(s, 5, provider_id);
    rc = ps_db_step(s);
    int64_t changed = ps_db_changes(s);
    ps_db_reset(s);
    if (rc != PS_DB_DONE)
        return ps_db_err_to_ps(rc);
    return changed == 1 ? 0 : PS_E_NOT_FOUND;
}
