/* Operators' views across domains: every order, and the dashboard (orders and GMV per day,
 * top services, providers by rating). Read-only; operators, support and analysts. */
#include <string.h>

#include "admin/admin_store.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"

static const char *const order_statuses[] = { "pending_payment", "paid", "accepted", "in_service",
                                              "completed", "cancelled", "expired", "refunded", NULL };

static const struct ps_param orders_query[] = {
    { "status", PS_ENUM, 0, .choices = order_statuses, .description = "only orders in this state" },
    { "provider_id", PS_STRING, 0, .max = 64, .description = "only this provider's orders" },
    PS_PARAM_LIMIT,
    PS_PARAM_CURSOR,
    PS_PARAM_END
};

static const struct ps_param dashboard_query[] = {
    { "days", PS_INT, 0, .min = 1, .max = 366, .description = "how many days back (default 30)" },
    PS_PARAM_END
};

static int orders_list(struct ps_req *r)
{
    struct admin_order_filter f = {
        .status = ps_json_str(r->query, "status", ""),
        .provider_id = ps_json_str(r->query, "provider_id", ""),
        .cursor = ps_req_cursor(r),
        .limit = ps_req_limit(r),
    };
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = admin_orders_page(c, &f, items, &more);
    ps_db_release(c);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return ps_reply_page(r, items, more, "id");
}

static int dashboard(struct ps_req *r)
{
    int days = (int)ps_json_int(r->query, "days", 30);
    /* From the start of the first day shown, in the dashboard's time zone (UTC+8). */
    long long now = ps_now_ms();
    long long since = ((now + 28800000LL) / 86400000LL - (days - 1)) * 86400000LL - 28800000LL;
    json_t *per_day = json_array(), *services = json_array(), *providers = json_array();
    int64_t orders = 0, gmv = 0;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = admin_orders_per_day(c, since, per_day, &orders, &gmv);
    if (!rc)
        rc = admin_top_services(c, since, 10, services);
    if (!rc)
        rc = admin_top_providers(c, 10, providers);
    ps_db_release(c);
    json_t *body = json_pack("{s:i,s:o,s:o,s:o,s:{s:I,s:I}}", "days", days, "per_day", per_day,
                             "top_services", services, "providers_by_rating", providers,
                             "totals", "orders", (json_int_t)orders, "gmv_fen", (json_int_t)gmv);
    if (rc) {
        json_decref(body);
        return rc;
    }
    return ps_reply_json(r, 200, body);
}

static const struct ps_route admin_routes[] = {
    { PS_GET, "/api/v1/admin/orders", orders_list, PS_AUTH, .query = orders_query,
      .roles = "operator,support,analyst", .summary = "Every order on the platform, newest first",
      .tag = "admin", .response = "AdminOrderPage" },
    { PS_GET, "/api/v1/admin/dashboard", dashboard, PS_AUTH, .query = dashboard_query,
      .roles = "operator,analyst", .summary = "Orders and GMV per day, top services, providers by rating",
      .tag = "admin", .response = "Dashboard" },
    PS_ROUTE_END
};

static void admin_schemas(json_t *schemas)
{
    json_object_set_new(schemas, "AdminOrder", json_pack(
        "{s:s,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:[s,s]},s:{s:s},s:{s:s},s:{s:s,s:s},"
        "s:{s:s},s:{s:s},s:{s:s},s:{s:s,s:s}}}",
        "type", "object", "properties", "id", "type", "string", "status", "type", "string",
        "owner_id", "type", "string", "provider_id", "type", "string",
        "provider_name", "type", "string", "null", "service_type", "type", "string",
        "service_name", "type", "string", "slot_start", "type", "string", "format", "date-time",
        "total_fen", "type", "integer", "paid_fen", "type", "integer", "refunded_fen", "type", "integer",
        "created_at", "type", "string", "format", "date-time"));
    json_object_set_new(schemas, "AdminOrderPage", json_pack(
        "{s:s,s:{s:{s:s,s:{s:s}},s:{s:[s,s]}}}", "type", "object", "properties",
        "items", "type", "array", "items", "$ref", "#/components/schemas/AdminOrder",
        "next_cursor", "type", "string", "null"));
    json_object_set_new(schemas, "Dashboard", json_pack(
        "{s:s,s:{s:{s:s},s:{s:s,s:{s:s}},s:{s:s,s:{s:s}},s:{s:s,s:{s:s}},s:{s:s}}}",
        "type", "object", "properties", "days", "type", "integer",
        "per_day", "type", "array", "items", "type", "object",
        "top_services", "type", "array", "items", "type", "object",
        "providers_by_rating", "type", "array", "items", "type", "object",
        "totals", "type", "object"));
}

const struct ps_module ps_module_admin = {
    .name = "admin",
    .routes = admin_routes,
    .schemas = admin_schemas,
};
