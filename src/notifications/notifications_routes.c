/* The inbox routes and the outbox delivery job; the module descriptor of notifications. */
#include <stdbool.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/module.h"
#include "core/router.h"
#include "notifications/notifications_store.h"

static int list_notifications(struct ps_req *r)
{
    int limit = (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT);
    const char *cursor = ps_json_str(r->query, "cursor", NULL);
    bool unread = ps_json_bool(r->query, "unread", false);
    if (cursor && !ps_id_valid(cursor))
        return ps_fail_field(r, "cursor", "not a cursor from a previous page");
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = notifications_store_list(c, ps_req_user(r), cursor, unread, limit, items, &more);
    ps_db_release(c);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_t *next = json_null();
    size_t n = json_array_size(items);
    if (more && n > 0)
        next = json_string(json_string_value(json_object_get(json_array_get(items, n - 1), "id")));
    return ps_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

struct read_args { const char *user, *id; json_t *out; };

static int read_tx(struct ps_db_conn *c, void *arg)
{
    struct read_args *a = arg;
    return notifications_store_mark_read(c, a->user, a->id, ps_now_ms(), &a->out);
}

static int mark_read(struct ps_req *r)
{
    struct read_args a = { ps_req_user(r), ps_req_param(r, "id"), NULL };
    if (!ps_id_valid(a.id))
        return PS_E_NOT_FOUND;
    int rc = ps_db_write(ps_app()->db, read_tx, &a);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    return ps_reply_json(r, 200, a.out);
}

static int deliver_tx(struct ps_db_conn *c, void *arg)
{
    return notifications_store_deliver(c, ps_now_ms(), arg);
}

/* Moves outbox rows into inboxes, a batch per transaction, until the outbox is drained. */
static int deliver_job(const struct ps_app *app)
{
    bool any = false;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = notifications_store_pending(c, &any);
    ps_db_release(c);
    if (rc || !any)
        return rc;     /* nothing waiting: no write transaction, no place in the writer's queue */
    for (int round = 0; round < 50; round++) {
        int delivered = 0;
        rc = ps_db_write(app->db, deliver_tx, &delivered);
        if (rc)
            return rc;
        if (delivered < NOTIFY_BATCH)
            break;
    }
    return 0;
}

static const struct ps_param list_query[] = {
    { "limit", PS_INT, 0, .min = 1, .max = PS_LIST_MAX, .description = "page size (default 20)" },
    { "cursor", PS_STRING, 0, .max = 64, .description = "next_cursor of the previous page" },
    { "unread", PS_BOOL, 0, .description = "only notifications not read yet" },
    PS_PARAM_END
};

static const struct ps_route notifications_routes[] = {
    { PS_GET, "/api/v1/notifications", list_notifications, PS_AUTH, .query = list_query,
      .summary = "List my notifications, newest first", .tag = "notifications",
      .response = "NotificationList" },
    { PS_POST, "/api/v1/notifications/:id/read", mark_read, PS_AUTH,
      .summary = "Mark a notification read", .tag = "notifications",
      .response = "Notification", .errors = "404" },
    PS_ROUTE_END
};

static const struct ps_job notifications_jobs[] = {
    { "notifications-deliver", 200, deliver_job },
    PS_JOB_END
};

static void notifications_schemas(json_t *schemas)
{
    json_t *n = json_pack(
        "{s:s, s:[s,s,s,s,s,s], s:{s:{s:s}, s:{s:s, s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:s},"
        " s:{s:s}, s:{s:s, s:s}}}",
        "type", "object",
        "required", "id", "kind", "title", "payload", "created_at", "read",
        "properties",
        "id", "type", "string",
        "kind", "type", "string", "description", "dotted event name, e.g. order.paid",
        "title", "type", "string",
        "payload", "type", "object",
        "created_at", "type", "string", "format", "date-time",
        "read", "type", "boolean",
        "read_at", "type", "string", "format", "date-time");
    json_object_set_new(schemas, "Notification", n);
    json_object_set_new(schemas, "NotificationList", json_pack(
        "{s:s, s:[s,s], s:{s:{s:s, s:{s:s}}, s:{s:[s,s]}}}",
        "type", "object", "required", "items", "next_cursor",
        "properties",
        "items", "type", "array", "items", "$ref", "#/components/schemas/Notification",
        "next_cursor", "type", "string", "null"));
}

const struct ps_module ps_module_notifications = {
    .name = "notifications",
    .routes = notifications_routes,
    .schemas = notifications_schemas,
    .jobs = notifications_jobs,
};
