/* The JSON shape of orders and quotes, and their OpenAPI schemas. */
#include "orders/orders_view.h"

#include <stdio.h>

#include "core/log.h"

json_t *orders_view_time(int64_t ms)
{
    char buf[32];
    ps_format_time_ms(ms, buf);
    return json_string(buf);
}

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *orders_view_order(const struct order_row *o)
{
    int64_t outstanding = order_accepts_payment(o->status)
        ? order_outstanding_fen(o->total_fen, o->extras_fen, o->paid_fen) : 0;
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i,"
        " s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
        " s:o, s:o, s:o}",
        "id", o->id,
        "status", order_state_name(o->status),
        "owner_id", o->owner_id,
        "vehicle_id", o->vehicle_id,
        "provider_id", o->provider_id,
        "service_id", o->service_id,
        "service_type", o->service_type,
        "service_name", o->service_name,
        "slot_start", orders_view_time(o->slot_start),
        "duration_min", o->duration_min,
        "labor_fen", (json_int_t)o->labor_fen,
        "parts_fen", (json_int_t)o->parts_fen,
        "price_fen", (json_int_t)o->price_fen,
        "discount_fen", (json_int_t)o->discount_fen,
        "total_fen", (json_int_t)o->total_fen,
        "extras_fen", (json_int_t)o->extras_fen,
        "paid_fen", (json_int_t)o->paid_fen,
        "refunded_fen", (json_int_t)o->refunded_fen,
        "fee_fen", (json_int_t)o->fee_fen,
        "outstanding_fen", (json_int_t)outstanding,
        "note", text_or_null(o->note),
        "created_at", orders_view_time(o->created_at),
        "updated_at", orders_view_time(o->updated_at));
    if (!j)
        return json_object();
    json_object_set_new(j, "pay_before", o->pay_before > 0 && o->status == OS_PENDING_PAYMENT
                                         ? orders_view_time(o->pay_before) : json_null());
    if (o->cancelled_by[0]) {
        json_object_set_new(j, "cancelled_by", json_string(o->cancelled_by));
        json_object_set_new(j, "cancel_reason", text_or_null(o->cancel_reason));
    }
    if (o->odometer_km >= 0)
        json_object_set_new(j, "odometer_km", json_integer(o->odometer_km));
    if (o->technician[0])
        json_object_set_new(j, "technician", json_string(o->technician));
    if (o->leaf_index >= 0)
        json_object_set_new(j, "leaf_index", json_integer(o->leaf_index));
    return j;
}

static json_t *prop(const char *type, const char *description)
{
    json_t *p = json_pack("{s:s}", "type", type);
    if (description)
        json_object_set_new(p, "description", json_string(description));
    return p;
}

static json_t *time_prop(void)
{
    return json_pack("{s:s, s:s}", "type", "string", "format", "date-time");
}

static json_t *ref(const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", buf);
}

static json_t *list_of(const char *name)
{
    return json_pack("{s:s, s:[s,s], s:{s:{s:s, s:o}, s:{s:[s,s]}}}",
                     "type", "object", "required", "items", "next_cursor",
                     "properties", "items", "type", "array", "items", ref(name),
                     "next_cursor", "type", "string", "null");
}

void orders_schemas(json_t *schemas)
{
    json_t *props = json_object();
    static const char *const strings[] = { "id", "owner_id", "vehicle_id", "provider_id",
                                           "service_id", "service_type", "service_name",
                                           "technician", "cancelled_by", NULL };
    for (int i = 0; strings[i]; i++)
        json_object_set_new(props, strings[i], prop("string", NULL));
    static const char *const money[] = { "labor_fen", "parts_fen", "price_fen", "discount_fen",
                                         "total_fen", "extras_fen", "paid_fen", "refunded_fen",
                                         "fee_fen", NULL };
    for (int i = 0; money[i]; i++)
        json_object_set_new(props, money[i], prop("integer", "fen"));
    json_object_set_new(props, "outstanding_fen",
                        prop("integer", "what the owner still has to pay (POST /orders/{id}/pay)"));
    json_object_set_new(props, "status", json_pack(
        "{s:s, s:[s,s,s,s,s,s,s,s]}", "type", "string", "enum", "pending_payment", "paid",
        "accepted", "in_service", "completed", "cancelled", "expired", "refunded"));
    json_object_set_new(props, "slot_start", time_prop());
    json_object_set_new(props, "pay_before", json_pack("{s:[s,s], s:s, s:s}", "type", "string",
                        "null", "format", "date-time", "description",
                        "end of the unpaid hold (15 minutes)"));
    json_object_set_new(props, "created_at", time_prop());
    json_object_set_new(props, "updated_at", time_prop());
    json_object_set_new(props, "duration_min", prop("integer", NULL));
    json_object_set_new(props, "odometer_km", prop("integer", NULL));
    json_object_set_new(props, "leaf_index", prop("integer", "transparency log leaf of the service record"));
    json_object_set_new(props, "note", json_pack("{s:[s,s]}", "type", "string", "null"));
    json_object_set_new(props, "cancel_reason", json_pack("{s:[s,s]}", "type", "string", "null"));
    json_object_set_new(props, "timeline", json_pack("{s:s, s:o}", "type", "array", "items",
                        ref("OrderEvent")));
    json_object_set_new(props, "items", json_pack("{s:s, s:o}", "type", "array", "items",
                        ref("ExtraItem")));
    json_object_set_new(props, "photos", json_pack("{s:s, s:{s:s, s:{s:{s:s}, s:{s:s}}}}",
                        "type", "array", "items", "type", "object", "properties",
                        "id", "type", "string", "url", "type", "string"));
    json_object_set_new(schemas, "Order", json_pack(
        "{s:s, s:[s,s,s,s,s,s], s:o}", "type", "object", "required", "id", "status",
        "total_fen", "outstanding_fen", "slot_start", "pay_before", "properties", props));
    json_object_set_new(schemas, "OrderList", list_of("Order"));

    json_object_set_new(schemas, "OrderEvent", json_pack(
        "{s:s, s:[s,s,s,s], s:{s:{s:s}, s:{s:s, s:[s,s,s,s]}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:{s:s}}, s:{s:s, s:s}}}",
        "type", "object", "required", "id", "kind", "actor", "at",
        "properties",
        "id", "type", "string",
        "kind", "type", "string", "enum", "status", "update", "extra_item", "payment",
        "actor", "type", "string",
        "status", "type", "string",
        "text", "type", "string",
        "photo_ids", "type", "array", "items", "type", "string",
        "at", "type", "string", "format", "date-time"));
    json_object_set_new(schemas, "ExtraItem", json_pack(
        "{s:s, s:[s,s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:[s,s,s]}, s:{s:s, s:s}, s:{s:s, s:s}}}",
        "type", "object", "required", "id", "name", "price_fen", "status",
        "properties",
        "id", "type", "string",
        "name", "type", "string",
        "price_fen", "type", "integer",
        "status", "type", "string", "enum", "pending", "approved", "declined",
        "created_at", "type", "string", "format", "date-time",
        "decided_at", "type", "string", "format", "date-time"));

    json_object_set_new(schemas, "OrderUpdate", json_pack(
        "{s:s, s:[s,s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s, s:{s:s}}, s:{s:s, s:o}}}",
        "type", "object", "required", "order_id", "text", "photo_ids", "extra_items",
        "properties",
        "order_id", "type", "string",
        "text", "type", "string",
        "photo_ids", "type", "array", "items", "type", "string",
        "extra_items", "type", "array", "items", ref("ExtraItem")));

    json_t *q = json_object();
    static const char *const qstrings[] = { "provider_id", "provider_name", "service_id",
                                            "service_type", NULL };
    for (int i = 0; qstrings[i]; i++)
        json_object_set_new(q, qstrings[i], prop("string", NULL));
    static const char *const qmoney[] = { "labor_fen", "parts_fen", "price_fen", "discount_fen",
                                          "total_fen", NULL };
    for (int i = 0; qmoney[i]; i++)
        json_object_set_new(q, qmoney[i], prop("integer", "fen"));
    json_object_set_new(q, "distance_km", prop("number", NULL));
    json_object_set_new(q, "duration_min", prop("integer", NULL));
    json_object_set_new(q, "next_slot", json_pack("{s:[s,s], s:s}", "type", "string", "null",
                                                  "format", "date-time"));
    json_object_set_new(schemas, "Quote", json_pack(
        "{s:s, s:[s,s,s,s,s,s,s], s:o}", "type", "object", "required", "provider_id",
        "service_id", "price_fen", "discount_fen", "total_fen", "distance_km", "next_slot",
        "properties", q));
    json_object_set_new(schemas, "QuoteList", json_pack(
        "{s:s, s:[s], s:{s:{s:s, s:o}}}", "type", "object", "required", "items",
        "properties", "items", "type", "array", "items", ref("Quote")));
}
