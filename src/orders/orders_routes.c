/* The orders module's route table: the owner's booking flow, the provider staff's work-order
 * flow, and the checks each route declares (body and query tables, idempotency). */
#include "core/module.h"
#include "core/router.h"
#include "orders/orders_internal.h"
#include "orders/orders_view.h"

static const char *const order_states[] = { "pending_payment", "paid", "accepted", "in_service",
                                            "completed", "cancelled", "expired", "refunded", NULL };
static const char *const pay_methods[] = { "sandbox", NULL };
static const char *const sandbox_outcomes[] = { "succeed", "fail", "manual", NULL };

static const struct ps_param quote_body[] = {
    { "vehicle_id", PS_ID, PS_REQUIRED, .description = "one of your vehicles" },
    { "service_type", PS_STRING, PS_REQUIRED, .min = 1, .max = 48,
      .description = "catalog code (GET /api/v1/service-types)" },
    { "lat", PS_NUMBER, PS_REQUIRED, .dmin = -90, .dmax = 90, .dbounds = true },
    { "lng", PS_NUMBER, PS_REQUIRED, .dmin = -180, .dmax = 180, .dbounds = true },
    PS_PARAM_END
};

static const struct ps_param order_body[] = {
    { "vehicle_id", PS_ID, PS_REQUIRED, .description = "one of your vehicles" },
    { "provider_id", PS_ID, PS_REQUIRED, .description = "an approved provider" },
    { "service_id", PS_ID, PS_REQUIRED, .description = "one of that provider's services" },
    { "slot_start", PS_TIME, PS_REQUIRED, .description = "a start time from GET /providers/{id}/slots" },
    { "note", PS_STRING, PS_NULLABLE, .max = 500 },
    PS_PARAM_END
};

static const struct ps_param list_query[] = {
    { "status", PS_ENUM, 0, .choices = order_states },
    { "limit", PS_INT, 0, .min = 1, .max = PS_LIST_MAX, .description = "page size (default 20)" },
    { "cursor", PS_STRING, 0, .max = 64, .description = "next_cursor of the previous page" },
    PS_PARAM_END
};

static const struct ps_param pay_body[] = {
    { "method", PS_ENUM, PS_REQUIRED, .choices = pay_methods },
    { "sandbox_outcome", PS_ENUM, 0, .choices = sandbox_outcomes,
      .description = "sandbox only: succeed (default), fail, or manual (you send the webhook)" },
    PS_PARAM_END
};

static const struct ps_param cancel_body[] = {
    { "reason", PS_STRING, PS_NULLABLE, .max = 500 },
    PS_PARAM_END
};

static const struct ps_param extra_item_fields[] = {
    { "name", PS_STRING, PS_REQUIRED, .min = 1, .max = 100 },
    { "price_fen", PS_INT, PS_REQUIRED, .min = 1, .max = 100000000 },
    PS_PARAM_END
};

static const struct ps_param update_body[] = {
    { "text", PS_STRING, PS_REQUIRED, .min = 1, .max = 2000 },
    { "photo_ids", PS_ARRAY, 0, .max = 10, .item = PS_ID, .description = "ids from POST /api/v1/uploads" },
    { "extra_items", PS_ARRAY, 0, .max = 10, .item = PS_OBJECT, .fields = extra_item_fields,
      .description = "extra work, each waiting for the owner's approval" },
    PS_PARAM_END
};

static const struct ps_param part_fields[] = {
    { "name", PS_STRING, PS_REQUIRED, .min = 1, .max = 100 },
    { "qty", PS_INT, PS_REQUIRED, .min = 1, .max = 1000 },
    { "price_fen", PS_INT, PS_REQUIRED, .min = 0, .max = 100000000 },
    PS_PARAM_END
};

static const struct ps_param complete_body[] = {
    { "odometer_km", PS_INT, PS_REQUIRED, .min = 0, .max = 5000000 },
    { "parts", PS_ARRAY, PS_REQUIRED, .max = 100, .item = PS_OBJECT, .fields = part_fields },
    { "technician", PS_STRING, 0, .max = 100 },
    PS_PARAM_END
};

static const struct ps_route orders_routes[] = {
    { PS_POST, "/api/v1/quotes", orders_h_quotes, PS_AUTH, .body = quote_body,
      .summary = "Up to 3 priced quotes near a point for one of my vehicles", .tag = "orders",
      .response = "QuoteList", .errors = "404" },
    { PS_POST, "/api/v1/orders", orders_h_create, PS_AUTH | PS_IDEMPOTENT_TX, .body = order_body,
      .summary = "Book a slot (held 15 minutes until paid)", .tag = "orders", .response = "Order",
      .status = 201, .errors = "404,409" },
    { PS_GET, "/api/v1/orders", orders_h_list, PS_AUTH, .query = list_query,
      .summary = "My orders, newest first", .tag = "orders", .response = "OrderList" },
    { PS_GET, "/api/v1/orders/:id", orders_h_get, PS_AUTH,
      .summary = "An order with its timeline, extra items and photos (owner or provider staff)",
      .tag = "orders", .response = "Order", .errors = "404" },
    { PS_POST, "/api/v1/orders/:id/pay", orders_h_pay, PS_AUTH | PS_IDEMPOTENT, .body = pay_body,
      .summary = "Pay what is outstanding (first payment or approved extra items)", .tag = "orders",
      .response = "Payment", .errors = "403,404,409" },
    { PS_POST, "/api/v1/orders/:id/cancel", orders_h_cancel, PS_AUTH | PS_IDEMPOTENT,
      .body = cancel_body, .summary = "Cancel (owner until check-in; provider: full refund)",
      .tag = "orders", .response = "Order", .errors = "403,404,409" },
    { PS_POST, "/api/v1/orders/:id/extra-items/:item_id/approve", orders_h_item_approve, PS_AUTH,
      .summary = "Approve an extra item (raises outstanding_fen)", .tag = "orders",
      .response = "ExtraItem", .errors = "403,404,409" },
    { PS_POST, "/api/v1/orders/:id/extra-items/:item_id/decline", orders_h_item_decline, PS_AUTH,
      .summary = "Decline an extra item", .tag = "orders", .response = "ExtraItem",
      .errors = "403,404,409" },
    { PS_GET, "/api/v1/providers/:id/orders", orders_h_provider_list, PS_AUTH, .query = list_query,
      .summary = "A provider's orders (its staff only)", .tag = "orders", .response = "OrderList",
      .errors = "404" },
    { PS_POST, "/api/v1/orders/:id/accept", orders_h_accept, PS_AUTH,
      .summary = "Accept a paid order (provider staff)", .tag = "orders", .response = "Order",
      .errors = "403,404,409" },
    { PS_POST, "/api/v1/orders/:id/start", orders_h_start, PS_AUTH,
      .summary = "The car is checked in: work starts (provider staff)", .tag = "orders",
      .response = "Order", .errors = "403,404,409" },
    { PS_POST, "/api/v1/orders/:id/updates", orders_h_update, PS_AUTH, .body = update_body,
      .summary = "Progress note with photos and proposed extra items (provider staff)",
      .tag = "orders", .response = "OrderUpdate", .status = 201, .errors = "403,404,409" },
    { PS_POST, "/api/v1/orders/:id/complete", orders_h_complete, PS_AUTH, .body = complete_body,
      .summary = "Complete: the service record joins the verifiable history (provider staff)",
      .tag = "orders", .response = "Order", .errors = "403,404,409" },
    PS_ROUTE_END
};

static const struct ps_job orders_jobs[] = {
    { "orders-expire-holds", 2000, orders_expire_job },
    PS_JOB_END
};

static int orders_init(const struct ps_app *app)
{
    (void)app;
    orders_install_payment_hooks();
    return 0;
}

const struct ps_module ps_module_orders = {
    .name = "orders",
    .routes = orders_routes,
    .init = orders_init,
    .schemas = orders_schemas,
    .jobs = orders_jobs,
};
