/* The provider staff's side of orders: the order board, accepting, checking the car in,
 * progress updates with photos and extra items for the owner to decide, and completion, which
 * appends the service record to the transparency log and settles the ledger. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/roles.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "ledger/ledger.h"
#include "orders/orders_internal.h"
#include "orders/orders_view.h"
#include "transparency/translog.h"
#include "uploads/uploads.h"
#include "vehicles/vehicles_api.h"
#include "vehicles/vehicles_records.h"

int orders_h_provider_list(struct ps_req *r)
{
    const char *provider_id = ps_req_param(r, "id");
    int limit = (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT);
    const char *cursor = ps_json_str(r->query, "cursor", NULL);
    const char *status = ps_json_str(r->query, "status", NULL);
    if (!ps_id_valid(provider_id))
        return PS_E_NOT_FOUND;
    if (cursor && !ps_id_valid(cursor))
        return ps_fail_field(r, "cursor", "not a cursor from a previous page");
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = PS_E_NOT_FOUND;
    if (accounts_has_provider_role(c, ps_req_user(r), provider_id, ORDERS_STAFF_READ))
        rc = orders_store_list_provider(c, provider_id, status, cursor, limit, items, &more);
    ps_db_release(c);
    if (rc) {
        json_decref(items);
        return rc;
    }
    size_t n = json_array_size(items);
    json_t *next = more && n ? json_string(ps_json_str(json_array_get(items, n - 1), "id", ""))
                             : json_null();
    return ps_reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* --- accept / start: plain moves of the state machine ------------------------------- */

struct move_args {
    const char *order_id, *user;
    enum order_state to;
    struct order_row o;
};

static int move_tx(struct ps_db_conn *c, void *arg)
{
    struct move_args *a = arg;
    enum order_actor as;
    int rc = orders_load_as(c, a->order_id, a->user, OA_PROVIDER, ORDERS_STAFF_WORK, true, &a->o, &as);
    if (rc)
        return rc;
    rc = order_transition_check(a->o.status, a->to, as);
    if (rc)
        return rc;
    enum order_state was = a->o.status;
    int64_t now = ps_now_ms();
    a->o.status = a->to;
    a->o.updated_at = now;
    rc = orders_store_update(c, &a->o, was, a->o.paid_fen);
    if (rc)
        return rc;
    const char *text = a->to == OS_ACCEPTED ? "The shop accepted the order"
                                            : "The car is checked in and work has started";
    rc = orders_store_event(c, a->o.id, "status", order_state_name(a->to), text, NULL, a->user,
                            "provider", now);
    if (rc == 0)
        rc = orders_notify_owner(c, &a->o, a->to == OS_ACCEPTED ? "order.accepted" : "order.started",
                                 text);
    return rc;
}

static int move(struct ps_req *r, enum order_state to)
{
    struct move_args a = { .order_id = ps_req_param(r, "id"), .user = ps_req_user(r), .to = to };
    int rc = ps_db_write(ps_app()->db, move_tx, &a);
    if (rc == PS_E_INVALID_STATE)
        return ps_reply_problem(r, rc, "%s needs an order that is %s", to == OS_ACCEPTED ? "accept" : "start",
                                to == OS_ACCEPTED ? "paid" : "accepted");
    if (rc)
        return rc;
    return ps_reply_json(r, 200, orders_view_order(&a.o));
}

int orders_h_accept(struct ps_req *r) { return move(r, OS_ACCEPTED); }
int orders_h_start(struct ps_req *r) { return move(r, OS_IN_SERVICE); }

/* --- progress updates ------------------------------------------------------------- */

struct update_args {
    const char *order_id, *user, *text;
    json_t *photo_ids;        /* borrowed from the request body */
    json_t *extra_items;      /* borrowed */
    json_t *created;          /* out: the items created */
    char event_photos[1024];
    struct order_row o;
};

static int update_tx(struct ps_db_conn *c, void *arg)
{
    struct update_args *a = arg;
    enum order_actor as;
    struct order_row *o = &a->o;
    int rc = orders_load_as(c, a->order_id, a->user, OA_PROVIDER, ORDERS_STAFF_WORK, true, o, &as);
    if (rc)
        return rc;
    if (!order_accepts_updates(o->status))
        return PS_E_INVALID_STATE;
    int64_t now = ps_now_ms();
    size_t i;
    json_t *v;
    json_array_foreach(a->photo_ids, i, v) {
        rc = uploads_attach(c, json_string_value(v), a->user, o->id, o->owner_id, o->provider_id);
        if (rc == PS_E_NOT_FOUND)
            return PS_E_VALIDATION;        /* named in the handler: photo_ids */
        if (rc)
            return rc;
    }
    rc = orders_store_event(c, o->id, "update", NULL, a->text,
                            json_array_size(a->photo_ids) ? a->event_photos : NULL, a->user,
                            "provider", now);
    if (rc)
        return rc;
    json_array_foreach(a->extra_items, i, v) {
        struct extra_item it = { 0 };
        ps_id_new(it.id);
        snprintf(it.order_id, sizeof it.order_id, "%s", o->id);
        snprintf(it.name, sizeof it.name, "%s", ps_json_str(v, "name", ""));
        it.price_fen = ps_json_int(v, "price_fen", 0);
        rc = orders_store_item_insert(c, &it, now);
        if (rc)
            return rc;
        json_array_append_new(a->created, json_pack("{s:s, s:s, s:I, s:s}", "id", it.id,
                                                    "name", it.name, "price_fen",
                                                    (json_int_t)it.price_fen, "status", "pending"));
        char text[700];
        snprintf(text, sizeof text, "Extra item proposed: %s (%lld fen), waiting for your approval",
                 it.name, (long long)it.price_fen);
        rc = orders_store_event(c, o->id, "extra_item", NULL, text, NULL, a->user, "provider", now);
        if (rc)
            return rc;
    }
    return orders_notify_owner(c, o, json_array_size(a->extra_items) ? "order.extra_items" : "order.update",
                               json_array_size(a->extra_items)
                                   ? "The shop proposes extra work: approve or decline it"
                                   : "New progress on your order");
}

int orders_h_update(struct ps_req *r)
{
    struct update_args a = { .order_id = ps_req_param(r, "id"), .user = ps_req_user(r),
                             .text = ps_json_str(r->json, "text", ""),
                             .photo_ids = json_object_get(r->json, "photo_ids"),
                             .extra_items = json_object_get(r->json, "extra_items"),
                             .created = json_array() };
    if (a.photo_ids && !json_is_array(a.photo_ids))
        a.photo_ids = NULL;
    if (a.extra_items && !json_is_array(a.extra_items))
        a.extra_items = NULL;
    if (a.photo_ids) {
        char *dump = json_dumps(a.photo_ids, JSON_COMPACT);
        snprintf(a.event_photos, sizeof a.event_photos, "%s", dump ? dump : "[]");
        free(dump);
    }
    int rc = ps_db_write(ps_app()->db, update_tx, &a);
    if (rc) {
        json_decref(a.created);
        if (rc == PS_E_VALIDATION)
            return ps_fail_field(r, "photo_ids", "unknown upload, or not uploaded by you, or attached to another order");
        if (rc == PS_E_INVALID_STATE)
            return ps_reply_problem(r, rc, "updates are for accepted orders and orders in service");
        return rc;
    }
    json_t *photos = a.photo_ids ? json_incref(a.photo_ids) : json_array();
    return ps_reply_json(r, 201, json_pack("{s:s, s:s, s:o, s:o}", "order_id", a.o.id,
                                           "text", a.text, "photo_ids", photos,
                                           "extra_items", a.created));
}

/* --- completion ------------------------------------------------------------------- */

struct complete_args {
    const char *order_id, *user;
    int64_t odometer_km;
    json_t *parts;             /* borrowed */
    const char *technician;
    struct order_row o;
    const char *detail;
};

/* The service date in China Standard Time (UTC+8, no daylight saving). */
static void service_date(int64_t ms, char out[16])
{
    time_t t = (time_t)(ms / 1000 + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
}

static json_t *work_items(struct ps_db_conn *c, const struct order_row *o, int *rc)
{
    json_t *items = json_array(), *extras = json_array();
    json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "name", o->service_name,
                                           "service_type", o->service_type,
                                           "price_fen", (json_int_t)o->total_fen));
    *rc = orders_store_items(c, o->id, extras);
    size_t i;
    json_t *it;
    json_array_foreach(extras, i, it) {
        if (strcmp(ps_json_str(it, "status", ""), "approved") == 0)
            json_array_append_new(items, json_pack("{s:O, s:O}", "name", json_object_get(it, "name"),
                                                   "price_fen", json_object_get(it, "price_fen")));
    }
    json_decref(extras);
    return items;
}

static int complete_tx(struct ps_db_conn *c, void *arg)
{
    struct complete_args *a = arg;
    enum order_actor as;
    struct order_row *o = &a->o;
    int rc = orders_load_as(c, a->order_id, a->user, OA_PROVIDER, ORDERS_STAFF_WORK, true, o, &as);
    if (rc)
        return rc;
    rc = order_transition_check(o->status, OS_COMPLETED, as);
    if (rc)
        return rc;
    int pending = 0;
    rc = orders_store_pending_items(c, o->id, &pending);
    if (rc)
        return rc;
    if (pending > 0) {
        a->detail = "extra items still wait for the owner's decision";
        return PS_E_INVALID_STATE;
    }
    if (order_outstanding_fen(o->total_fen, o->extras_fen, o->paid_fen) > 0) {
        a->detail = "the owner has not paid the approved extra items yet";
        return PS_E_INVALID_STATE;
    }
    /* The owner may have removed the car from their list while it was in the shop: the work
     * is still completed (and paid out), the record simply cannot name the VIN. */
    struct vehicle_brief vb = { 0 };
    rc = vehicles_load(c, o->vehicle_id, &vb);
    bool have_vehicle = rc == 0;
    if (rc && rc != PS_E_NOT_FOUND)
        return rc;
    char provider_name[256] = "";
    rc = orders_store_provider_name(c, o->provider_id, provider_name, sizeof provider_name);
    if (rc)
        return rc;
    int64_t now = ps_now_ms();
    char date[16];
    service_date(now, date);
    json_t *items = work_items(c, o, &rc);
    json_t *record = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:O, s:s, s:s}",
                               "vin", vb.vin, "provider_id", o->provider_id,
                               "provider_name", provider_name, "date", date,
                               "odometer_km", (json_int_t)a->odometer_km, "items", items,
                               "parts", a->parts, "technician", a->technician ? a->technician : "",
                               "order_id", o->id);
    if (!record)
        return PS_E_NOMEM;
    int64_t leaf = -1;
    if (rc == 0)
        rc = translog_append(c, record, &leaf);
    char *record_text = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(record);
    if (!record_text)
        return rc ? rc : PS_E_NOMEM;
    enum order_state was = o->status;
    o->status = OS_COMPLETED;
    o->odometer_km = a->odometer_km;
    snprintf(o->technician, sizeof o->technician, "%s", a->technician ? a->technician : "");
    o->leaf_index = leaf;
    o->updated_at = now;
    if (rc == 0)
        rc = orders_store_record_insert(c, o, date, record_text, leaf, now);
    free(record_text);
    if (rc == 0)
        rc = orders_store_update(c, o, was, o->paid_fen);
    if (rc == 0)
        rc = ledger_post_completion(c, o->id, o->provider_id, o->service_type);
    if (rc == 0 && have_vehicle) {
        /* A reading below the car's last one is refused by vehicles and kept as a rollback
         * alert; the completion still stands (the record shows what the shop reported). */
        int orc = vehicles_record_odometer(c, o->vehicle_id, a->odometer_km, "service");
        if (orc && orc != PS_E_VALIDATION)
            rc = orc;
    }
    if (rc == 0 && have_vehicle)   /* the car's service history and its maintenance reminders */
        rc = vehicles_add_order_record(c, o->vehicle_id, o->id, o->service_type, o->service_name,
                                       date, a->odometer_km, o->total_fen + o->extras_fen,
                                       o->provider_id, provider_name, leaf);
    if (rc == 0)
        rc = orders_store_event(c, o->id, "status", "completed", "Work completed", NULL, a->user,
                                "provider", now);
    if (rc == 0)
        rc = orders_notify_owner(c, o, "order.completed", "Your car is ready: the service record is in its verified history");
    return rc;
}

int orders_h_complete(struct ps_req *r)
{
    struct complete_args a = { .order_id = ps_req_param(r, "id"), .user = ps_req_user(r),
                               .odometer_km = ps_json_int(r->json, "odometer_km", 0),
                               .parts = json_object_get(r->json, "parts"),
                               .technician = ps_json_str(r->json, "technician", NULL) };
    if (!json_is_array(a.parts))
        return ps_fail_field(r, "parts", "a list of parts (may be empty)");
    int rc = ps_db_write(ps_app()->db, complete_tx, &a);
    if (rc == PS_E_INVALID_STATE)
        return ps_reply_problem(r, rc, "%s", a.detail ? a.detail : "complete needs an order in service");
    if (rc)
        return rc;
    return ps_reply_json(r, 200, orders_view_order(&a.o));
}
