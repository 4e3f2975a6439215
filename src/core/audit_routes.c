/* GET /api/v1/admin/audit-log: the operators' view of the append-only audit log. */
#include "core/audit_routes.h"

#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"

static const struct ps_param audit_query[] = {
    PS_PARAM_LIMIT,
    PS_PARAM_CURSOR,
    { "object_type", PS_STRING, 0, .max = 64, .description = "only entries about this kind of object" },
    { "object_id", PS_STRING, 0, .max = 64, .description = "only entries about this object" },
    PS_PARAM_END
};

/* Newest first; ids sort by time, so the cursor is the last id seen. Empty filters match all. */
static const char SQL_PAGE[] =
    "SELECT id, at, actor_id, action, object_type, object_id, detail FROM audit_log "
    "WHERE ($1 = '' OR id < $1) AND ($2 = '' OR object_type = $2) AND ($3 = '' OR object_id = $3) "
    "ORDER BY id DESC LIMIT $4";

static json_t *entry_from_row(struct ps_db_stmt *s)
{
    char at[32];
    ps_format_time_ms(ps_db_col_int64(s, 1), at);
    json_t *detail = json_loads(ps_db_col_text(s, 6), 0, NULL);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "id", ps_db_col_text(s, 0), "at", at,
                     "actor_id", ps_db_col_text(s, 2), "action", ps_db_col_text(s, 3),
                     "object_type", ps_db_col_text(s, 4), "object_id", ps_db_col_text(s, 5),
                     "detail", detail ? detail : json_object());
}

static int audit_list(struct ps_req *r)
{
    int limit = ps_req_limit(r);
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_PAGE, &s);
    if (rc) {
        ps_db_release(c);
        return ps_db_err_to_ps(rc);
    }
    ps_db_bind_text(s, 1, ps_req_cursor(r));
    ps_db_bind_text(s, 2, ps_json_str(r->query, "object_type", ""));
    ps_db_bind_text(s, 3, ps_json_str(r->query, "object_id", ""));
    ps_db_bind_int64(s, 4, limit + 1);              /* one more tells whether a page follows */
    json_t *items = json_array();
    while ((rc = ps_db_step(s)) == PS_DB_ROW && (int)json_array_size(items) < limit)
        json_array_append_new(items, entry_from_row(s));
    bool more = rc == PS_DB_ROW;
    ps_db_reset(s);
    ps_db_release(c);
    if (rc < 0) {
        json_decref(items);
        return ps_db_err_to_ps(rc);
    }
    return ps_reply_page(r, items, more, "id");
}

static const struct ps_route audit_routes[] = {
    { PS_GET, "/api/v1/admin/audit-log", audit_list, PS_AUTH, .query = audit_query,
      .roles = "operator", .summary = "The audit log of operator actions, newest first",
      .tag = "admin", .response = "AuditLogPage" },
    PS_ROUTE_END
};

int ps_audit_routes_register(void)
{
    return ps_router_add(audit_routes);
}

void ps_audit_schemas(json_t *schemas)
{
    json_object_set_new(schemas, "AuditLogPage", json_pack(
        "{s:s,s:{s:{s:s,s:{s:s,s:{s:{s:s},s:{s:s,s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}}},"
        "s:{s:[s,s]}}}",
        "type", "object", "properties",
        "items", "type", "array", "items", "type", "object", "properties",
        "id", "type", "string", "at", "type", "string", "format", "date-time",
        "actor_id", "type", "string", "action", "type", "string", "object_type", "type", "string",
        "object_id", "type", "string", "detail", "type", "object",
        "next_cursor", "type", "string", "null"));
}
