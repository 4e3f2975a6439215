/* All SQL of reviews: one per completed order, by its owner; the provider's rating sum and
 * count move in the same transaction so the Bayesian average needs no aggregate query. */
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "providers/providers_internal.h"

#define DB_RC(rc) ((rc) < 0 ? ps_db_err_to_ps(rc) : 0)

static const char SQL_ORDER[] = "SELECT owner_id, provider_id, status FROM orders WHERE id = $1";
static const char SQL_REVIEW_INSERT[] =
    "INSERT INTO reviews (id, order_id, provider_id, author_id, rating, comment, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_RATING_ADD[] =
    "UPDATE providers SET rating_sum = rating_sum + $2, review_count = review_count + 1 "
    "WHERE id = $1";
#define REVIEW_COLS "id, order_id, provider_id, author_id, rating, comment, reply, replied_at, created_at"
static const char SQL_REVIEW_GET[] = "SELECT " REVIEW_COLS " FROM reviews WHERE id = $1";
static const char SQL_REVIEW_LIST[] =
    "SELECT " REVIEW_COLS " FROM reviews WHERE provider_id = $1 AND ($2 = '' OR id < $2) "
    "ORDER BY id DESC LIMIT $3";
static const char SQL_REVIEW_REPLY[] =
    "UPDATE reviews SET reply = $2, reply_by = $3, replied_at = $4 WHERE id = $1";

static const char *col_str(struct ps_db_stmt *s, int i)
{
    const char *v = ps_db_col_text(s, i);
    return v ? v : "";
}

/* Others see a reviewer's name as its first character and two stars ("张**"). */
static void mask_name(const char *name, char out[32])
{
    size_t n = 1;
    unsigned char c = (unsigned char)name[0];
    if (!c) {
        snprintf(out, 32, "***");
        return;
    }
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    if (strlen(name) < n)
        n = strlen(name);
    snprintf(out, 32, "%.*s**", (int)n, name);
}

static json_t *review_row(struct ps_db_stmt *s)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o}",
        "id", col_str(s, 0), "order_id", col_str(s, 1), "provider_id", col_str(s, 2),
        "author_id", col_str(s, 3), "rating", (int)ps_db_col_int64(s, 4),
        "comment", ps_db_col_is_null(s, 5) ? json_null() : json_string(col_str(s, 5)),
        "reply", ps_db_col_is_null(s, 6) ? json_null() : json_string(col_str(s, 6)),
        "replied_at", providers_json_time(ps_db_col_int64(s, 7)),
        "created_at", providers_json_time(ps_db_col_int64(s, 8)));
}

/* Replace author_id by a masked author_name (after the statement is done). */
static void add_names(struct ps_db_conn *c, json_t *review)
{
    char name[256], masked[32];
    accounts_user_name(c, json_string_value(json_object_get(review, "author_id")), name, sizeof name);
    mask_name(name, masked);
    json_object_set_new(review, "author_name", json_string(masked));
    json_object_del(review, "author_id");
}

static json_t *review_get(struct ps_db_conn *c, const char *id)
{
    struct ps_db_stmt *s;
    json_t *o = NULL;
    if (ps_db_prepare(c, SQL_REVIEW_GET, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, id);
    if (ps_db_step(s) == PS_DB_ROW)
        o = review_row(s);
    ps_db_reset(s);
    if (o)
        add_names(c, o);
    return o;
}

int providers_review_add(struct ps_db_conn *c, const char *order_id, const char *user_id,
                         int rating, const char *comment, json_t **out)
{
    struct ps_db_stmt *s;
    char provider_id[64], status[32];
    *out = NULL;
    int rc = ps_db_prepare(c, SQL_ORDER, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, order_id);
    rc = ps_db_step(s);
    bool mine = rc == PS_DB_ROW && !strcmp(col_str(s, 0), user_id);
    if (mine) {
        snprintf(provider_id, sizeof provider_id, "%s", col_str(s, 1));
        snprintf(status, sizeof status, "%s", col_str(s, 2));
    }
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);
    if (!mine)
        return PS_E_NOT_FOUND;                      /* someone else's order looks absent */
    if (strcmp(status, "completed"))
        return PS_E_INVALID_STATE;
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    if ((rc = ps_db_prepare(c, SQL_REVIEW_INSERT, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, order_id);
    ps_db_bind_text(s, 3, provider_id);
    ps_db_bind_text(s, 4, user_id);
    ps_db_bind_int64(s, 5, rating);
    ps_db_bind_text(s, 6, comment);
    ps_db_bind_int64(s, 7, ps_now_ms());
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);                           /* UNIQUE(order_id) -> PS_E_DUPLICATE */
    if ((rc = ps_db_prepare(c, SQL_RATING_ADD, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_int64(s, 2, rating);
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);
    *out = review_get(c, id);
    return *out ? 0 : PS_E_DB;
}

json_t *providers_reviews_list(struct ps_db_conn *c, const char *provider_id,
                               const char *cursor, int limit, char next[PS_ID_LEN + 1])
{
    struct ps_db_stmt *s;
    next[0] = '\0';
    if (ps_db_prepare(c, SQL_REVIEW_LIST, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, cursor ? cursor : "");
    ps_db_bind_int64(s, 3, limit + 1);
    json_t *items = json_array();
    int n = 0, rc;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        if (n++ == limit) {
            json_t *last = json_array_get(items, json_array_size(items) - 1);
            snprintf(next, PS_ID_LEN + 1, "%s", json_string_value(json_object_get(last, "id")));
            break;
        }
        json_array_append_new(items, review_row(s));
    }
    ps_db_reset(s);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
        add_names(c, it);
    return items;
}

int providers_review_reply(struct ps_db_conn *c, const char *provider_id, const char *review_id,
                           const char *user_id, const char *text, json_t **out)
{
    *out = NULL;
    int rc = providers_check_staff(c, provider_id, user_id, "provider_admin,advisor");
    if (rc)
        return rc;
    json_t *cur = review_get(c, review_id);
    bool ours = cur && !strcmp(json_string_value(json_object_get(cur, "provider_id")), provider_id);
    json_decref(cur);
    if (!ours)
        return PS_E_NOT_FOUND;
    struct ps_db_stmt *s;
    if ((rc = ps_db_prepare(c, SQL_REVIEW_REPLY, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, review_id);
    ps_db_bind_text(s, 2, text);
    ps_db_bind_text(s, 3, user_id);
    ps_db_bind_int64(s, 4, ps_now_ms());
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);
    *out = review_get(c, review_id);
    return *out ? 0 : PS_E_DB;
}
