/* The car owner's side of orders: quotes, booking (one write transaction that claims a bay),
 * reading orders, paying what is outstanding, cancelling, and deciding on extra items.
 * Cancellation is shared with provider staff (a provider's cancellation is a full refund). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/idempotency.h"
#include "core/id.h"
#include "core/log.h"
#include "ledger/ledger.h"
#include "notifications/notify.h"
#include "orders/orders_internal.h"
#include "orders/orders_view.h"
#include "payments/payments.h"
#include "providers/slots.h"
#include "vehicles/vehicles_api.h"

#define QUOTE_RADIUS_KM 30.0
#define QUOTE_CANDIDATES 200
#define QUOTES_SHOWN 3

/* --- quotes --------------------------------------------------------------------- */

int orders_h_quotes(struct ps_req *r)
{
    const char *vehicle_id = ps_json_str(r->json, "vehicle_id", "");
    const char *service_type = ps_json_str(r->json, "service_type", "");
    double lat = ps_json_num(r->json, "lat", 0), lng = ps_json_num(r->json, "lng", 0);
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    struct vehicle_brief vb;
    int rc = vehicles_load_owned(c, ps_req_user(r), vehicle_id, &vb);
    json_t *offers = json_array();
    if (rc == 0) {
        double dlat = QUOTE_RADIUS_KM / 111.2;
        double coslat = cos(lat * M_PI / 180.0);
        double dlng = QUOTE_RADIUS_KM / (111.2 * (coslat < 0.01 ? 0.01 : coslat));
        rc = orders_store_offers_near(c, service_type, lat - dlat, lat + dlat, lng - dlng,
                                      lng + dlng, QUOTE_CANDIDATES, offers);
    }
    struct quote_candidate cand[QUOTE_CANDIDATES];
    int n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(offers, i, o) {
        if (rc || n >= QUOTE_CANDIDATES)
            break;
        double d = order_distance_km(lat, lng, ps_json_num(o, "lat", 0), ps_json_num(o, "lng", 0));
        if (d > QUOTE_RADIUS_KM)
            continue;
        /* No coupons yet (SPEC §7): discount 0, total = price. */
        cand[n++] = (struct quote_candidate){ ps_json_int(o, "price_fen", 0), d, (int)i };
    }
    order_rank_quotes(cand, n, QUOTES_SHOWN);
    json_t *items = json_array();
    int64_t now = ps_now_ms();
    for (int k = 0; rc == 0 && k < n && k < QUOTES_SHOWN; k++) {
        json_t *off = json_array_get(offers, (size_t)cand[k].index);
        int64_t next = 0;
        const char *pid = ps_json_str(off, "provider_id", "");
        int duration = (int)ps_json_int(off, "duration_min", 30);
        if (providers_next_free_slot(c, pid, duration, now, &next) != 0)
            next = 0;
        json_array_append_new(items, json_pack(
            "{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:i, s:o}",
            "provider_id", pid,
            "provider_name", ps_json_str(off, "provider_name", ""),
            "service_id", ps_json_str(off, "service_id", ""),
            "service_type", service_type,
            "labor_fen", (json_int_t)ps_json_int(off, "labor_fen", 0),
            "parts_fen", (json_int_t)ps_json_int(off, "parts_fen", 0),
            "price_fen", (json_int_t)ps_json_int(off, "price_fen", 0),
            "discount_fen", (json_int_t)0,
            "total_fen", (json_int_t)cand[k].total_fen,
            "distance_km", round(cand[k].distance_km * 100) / 100,
            "duration_min", duration,
            "next_slot", next > 0 ? orders_view_time(next) : json_null()));
    }
    ps_db_release(c);
    json_decref(offers);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return ps_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* --- booking --------------------------------------------------------------------- */

struct create_args {
    struct order_row o;
    struct ps_req *req;              /* for its Idempotency-Key */
    const char *slot_field_error;    /* out: why the slot was refused */
    char *reply;                     /* out: the 201 body, recorded with the key */
};

static int create_tx(struct ps_db_conn *c, void *arg)
{
    struct create_args *a = arg;
    struct order_row *o = &a->o;
    struct vehicle_brief vb;
    int rc = vehicles_load_owned(c, o->owner_id, o->vehicle_id, &vb);
    if (rc)
        return rc;
    struct service_offer off;
    rc = orders_store_offer(c, o->provider_id, o->service_id, &off);
    if (rc)
        return rc;
    snprintf(o->service_type, sizeof o->service_type, "%s", off.service_type);
    snprintf(o->service_name, sizeof o->service_name, "%s", off.name);
    o->duration_min = off.duration_min;
    o->labor_fen = off.labor_fen;
    o->parts_fen = off.parts_fen;
    o->price_fen = off.price_fen;
    o->discount_fen = 0;
    o->total_fen = off.price_fen - o->discount_fen;
    rc = providers_reserve_slot(c, o->provider_id, o->id, o->slot_start, o->duration_min,
                                o->pay_before);
    if (rc == PS_E_VALIDATION)
        a->slot_field_error = "not a bookable start time (opening hours, closed date or the slot grid)";
    if (rc)
        return rc;
    /* The hot path of SPEC §9 (orders/s): one insert besides the bay. The timeline's first
     * entry is the order row itself (see orders_h_get), and the owner, who just placed it,
     * needs no notification of their own action. */
    rc = orders_store_insert(c, o);
    if (rc)
        return rc;
    /* The answer and the Idempotency-Key commit with the order: one durable write in all. */
    json_t *view = orders_view_order(o);
    free(a->reply);
    a->reply = json_dumps(view, JSON_COMPACT);
    json_decref(view);
    if (!a->reply)
        return PS_E_NOMEM;
    return ps_idem_record(c, a->req, 201, a->reply);
}

int orders_h_create(struct ps_req *r)
{
    struct create_args a = { .req = r };
    struct order_row *o = &a.o;
    long long slot_ms = 0;
    if (!ps_parse_time(ps_json_str(r->json, "slot_start", ""), &slot_ms))
        return ps_fail_field(r, "slot_start", "not an RFC 3339 time");
    int64_t now = ps_now_ms();
    if (slot_ms <= now)
        return ps_fail_field(r, "slot_start", "the slot has started already");
    ps_id_new(o->id);
    snprintf(o->owner_id, sizeof o->owner_id, "%s", ps_req_user(r));
    snprintf(o->vehicle_id, sizeof o->vehicle_id, "%s", ps_json_str(r->json, "vehicle_id", ""));
    snprintf(o->provider_id, sizeof o->provider_id, "%s", ps_json_str(r->json, "provider_id", ""));
    snprintf(o->service_id, sizeof o->service_id, "%s", ps_json_str(r->json, "service_id", ""));
    snprintf(o->note, sizeof o->note, "%s", ps_json_str(r->json, "note", ""));
    o->slot_start = slot_ms;
    o->status = OS_PENDING_PAYMENT;
    o->created_at = o->updated_at = now;
    o->pay_before = now + ORDER_HOLD_MS;
    o->odometer_km = o->leaf_index = -1;
    int rc = ps_db_write(ps_app()->db, create_tx, &a);
    if (rc) {
        free(a.reply);
        if (rc == PS_E_VALIDATION && a.slot_field_error)
            return ps_fail_field(r, "slot_start", a.slot_field_error);
        if (rc == PS_E_SLOT_FULL)
            return ps_reply_problem(r, rc, "every bay is taken at that time");
        return rc;
    }
    rc = ps_reply_raw(r, 201, "application/json", a.reply, strlen(a.reply));
    free(a.reply);
    return rc;
}

/* --- reading ---------------------------------------------------------------------- */

int orders_h_list(struct ps_req *r)
{
    int limit = (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT);
    const char *cursor = ps_json_str(r->query, "cursor", NULL);
    const char *status = ps_json_str(r->query, "status", NULL);
    if (cursor && !ps_id_valid(cursor))
        return ps_fail_field(r, "cursor", "not a cursor from a previous page");
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = orders_store_list_owner(c, ps_req_user(r), status, cursor, limit, items, &more);
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

/* Photos of the timeline, in order, each once, with the URL to fetch it. */
static json_t *photos_of(json_t *timeline)
{
    json_t *photos = json_array(), *seen = json_object();
    size_t i, j;
    json_t *e, *p;
    json_array_foreach(timeline, i, e) {
        json_array_foreach(json_object_get(e, "photo_ids"), j, p) {
            const char *id = json_string_value(p);
            if (!id || json_object_get(seen, id))
                continue;
            json_object_set_new(seen, id, json_true());
            char url[64];
            snprintf(url, sizeof url, "/api/v1/uploads/%s", id);
            json_array_append_new(photos, json_pack("{s:s, s:s, s:O}", "id", id, "url", url,
                                                    "event_id", json_object_get(e, "id")));
        }
    }
    json_decref(seen);
    return photos;
}

int orders_h_get(struct ps_req *r)
{
    struct order_row o;
    enum order_actor as;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = orders_load_as(c, ps_req_param(r, "id"), ps_req_user(r), OA_OWNER | OA_PROVIDER,
                            ORDERS_STAFF_READ, false, &o, &as);
    json_t *timeline = json_array(), *items = json_array();
    if (rc == 0)
        rc = orders_store_events(c, o.id, timeline);
    if (rc == 0)
        rc = orders_store_items(c, o.id, items);
    ps_db_release(c);
    if (rc) {
        json_decref(timeline);
        json_decref(items);
        return rc;
    }
    /* The booking itself opens the timeline (not stored as an event: see create_tx). */
    json_array_insert_new(timeline, 0, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:[]}",
                                                 "id", o.id, "kind", "status",
                                                 "status", "pending_payment", "text", "order placed",
                                                 "actor", "owner", "at", orders_view_time(o.created_at),
                                                 "photo_ids"));
    json_t *j = orders_view_order(&o);
    json_object_set_new(j, "photos", photos_of(timeline));
    json_object_set_new(j, "timeline", timeline);
    json_object_set_new(j, "items", items);
    return ps_reply_json(r, 200, j);
}

/* --- paying ----------------------------------------------------------------------- */

struct pay_args {
    const char *order_id, *user, *method, *outcome;
    struct payment_brief pay;
    struct order_row o;
    const char *detail;
};

static int pay_tx(struct ps_db_conn *c, void *arg)
{
    struct pay_args *a = arg;
    enum order_actor as;
    int rc = orders_load_as(c, a->order_id, a->user, OA_OWNER, NULL, true, &a->o, &as);
    if (rc)
        return rc;
    if (!order_accepts_payment(a->o.status)) {
        a->detail = "the order does not take payments in its current state";
        return PS_E_INVALID_STATE;
    }
    if (a->o.status == OS_PENDING_PAYMENT && a->o.pay_before < ps_now_ms()) {
        a->detail = "the 15-minute hold has run out";
        return PS_E_INVALID_STATE;
    }
    int64_t due = order_outstanding_fen(a->o.total_fen, a->o.extras_fen, a->o.paid_fen);
    if (due <= 0) {
        a->detail = "nothing is outstanding";
        return PS_E_INVALID_STATE;
    }
    return payments_start(c, a->method, a->o.id, due, a->outcome, &a->pay);
}

int orders_h_pay(struct ps_req *r)
{
    struct pay_args a = {
        .order_id = ps_req_param(r, "id"), .user = ps_req_user(r),
        .method = ps_json_str(r->json, "method", "sandbox"),
        .outcome = ps_json_str(r->json, "sandbox_outcome", NULL),
    };
    if (!payments_gateway_for(a.method))
        return ps_fail_field(r, "method", "this payment method is not available");
    int rc = ps_db_write(ps_app()->db, pay_tx, &a);
    if (rc == PS_E_INVALID_STATE && a.detail)
        return ps_reply_problem(r, rc, "%s", a.detail);
    if (rc)
        return rc;
    return ps_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:I, s:s}", "payment_id", a.pay.id,
                                           "status", a.pay.status, "order_id", a.o.id,
                                           "amount_fen", (json_int_t)a.pay.amount_fen,
                                           "method", a.method));
}

/* --- cancelling -------------------------------------------------------------------- */

struct cancel_args {
    const char *order_id, *user, *reason;
    struct order_row o;
    struct payment_brief refund;
    bool refunding;
};

static int cancel_tx(struct ps_db_conn *c, void *arg)
{
    struct cancel_args *a = arg;
    enum order_actor as;
    struct order_row *o = &a->o;
    int rc = orders_load_as(c, a->order_id, a->user, OA_OWNER | OA_PROVIDER, ORDERS_STAFF_WORK,
                            true, o, &as);
    if (rc)
        return rc;
    rc = order_transition_check(o->status, OS_CANCELLED, as);
    if (rc)
        return rc;
    enum order_state was = o->status;
    int64_t was_paid = o->paid_fen;
    int64_t now = ps_now_ms();
    rc = providers_release_slot(c, o->id);
    if (rc)
        return rc;
    o->status = OS_CANCELLED;
    o->pay_before = 0;
    o->updated_at = now;
    snprintf(o->cancelled_by, sizeof o->cancelled_by, "%s", as == OA_OWNER ? "owner" : "provider");
    snprintf(o->cancel_reason, sizeof o->cancel_reason, "%s", a->reason ? a->reason : "");
    if (o->paid_fen > 0) {
        /* SPEC §6: full refund more than 2 h before the slot or by the provider; else a fee. */
        o->fee_fen = ledger_cancellation_fee(o->paid_fen, now, o->slot_start, as == OA_PROVIDER);
        rc = payments_start_refund(c, o->id, o->paid_fen - o->fee_fen, o->fee_fen, &a->refund);
        if (rc)
            return rc;
        a->refunding = true;
    }
    rc = orders_store_update(c, o, was, was_paid);
    if (rc == 0)
        rc = orders_store_event(c, o->id, "status", "cancelled", a->reason, NULL, a->user,
                                as == OA_OWNER ? "owner" : "provider", now);
    if (rc == 0)
        rc = as == OA_OWNER
            ? orders_notify_provider(c, o, "order.cancelled", "The owner cancelled an order")
            : orders_notify_owner(c, o, "order.cancelled", "The shop cancelled your order; a full refund is on its way");
    return rc;
}

int orders_h_cancel(struct ps_req *r)
{
    struct cancel_args a = { .order_id = ps_req_param(r, "id"), .user = ps_req_user(r),
                             .reason = ps_json_str(r->json, "reason", NULL) };
    int rc = ps_db_write(ps_app()->db, cancel_tx, &a);
    if (rc == PS_E_INVALID_STATE)
        return ps_reply_problem(r, rc, "an order can be cancelled until the car is checked in");
    if (rc)
        return rc;
    json_t *j = orders_view_order(&a.o);
    if (a.refunding)
        json_object_set_new(j, "refund", json_pack("{s:s, s:s, s:I, s:I}", "id", a.refund.id,
                                                   "status", a.refund.status, "amount_fen",
                                                   (json_int_t)a.refund.amount_fen, "fee_fen",
                                                   (json_int_t)a.o.fee_fen));
    return ps_reply_json(r, 200, j);
}

/* --- extra items ------------------------------------------------------------------- */

struct decide_args {
    const char *order_id, *item_id, *user;
    bool approve;
    struct order_row o;
    struct extra_item item;
};

static int decide_tx(struct ps_db_conn *c, void *arg)
{
    struct decide_args *a = arg;
    enum order_actor as;
    struct order_row *o = &a->o;
    int rc = orders_load_as(c, a->order_id, a->user, OA_OWNER, NULL, true, o, &as);
    if (rc)
        return rc;
    if (!ps_id_valid(a->item_id))
        return PS_E_NOT_FOUND;
    rc = orders_store_item_get(c, o->id, a->item_id, &a->item);
    if (rc)
        return rc;
    if (!order_accepts_updates(o->status))
        return PS_E_INVALID_STATE;
    int64_t now = ps_now_ms();
    const char *status = a->approve ? "approved" : "declined";
    rc = orders_store_item_decide(c, a->item.id, status, now);
    if (rc)
        return rc;
    snprintf(a->item.status, sizeof a->item.status, "%s", status);
    if (a->approve) {
        /* Approved work raises what the owner owes; POST /pay settles it. */
        enum order_state st = o->status;
        o->extras_fen += a->item.price_fen;
        o->updated_at = now;
        rc = orders_store_update(c, o, st, o->paid_fen);
        if (rc)
            return rc;
    }
    char text[700];
    snprintf(text, sizeof text, "%s: %s (%lld fen)", a->approve ? "Approved" : "Declined",
             a->item.name, (long long)a->item.price_fen);
    rc = orders_store_event(c, o->id, "extra_item", NULL, text, NULL, a->user, "owner", now);
    if (rc == 0)
        rc = orders_notify_provider(c, o, a->approve ? "order.extra_approved" : "order.extra_declined",
                                    text);
    return rc;
}

static int decide(struct ps_req *r, bool approve)
{
    struct decide_args a = { .order_id = ps_req_param(r, "id"),
                             .item_id = ps_req_param(r, "item_id"), .user = ps_req_user(r),
                             .approve = approve };
    int rc = ps_db_write(ps_app()->db, decide_tx, &a);
    if (rc == PS_E_INVALID_STATE)
        return ps_reply_problem(r, rc, "the item was decided already, or the order is not in service");
    if (rc)
        return rc;
    int64_t due = order_outstanding_fen(a.o.total_fen, a.o.extras_fen, a.o.paid_fen);
    return ps_reply_json(r, 200, json_pack("{s:s, s:s, s:I, s:s, s:I}", "id", a.item.id,
                                           "name", a.item.name,
                                           "price_fen", (json_int_t)a.item.price_fen,
                                           "status", a.item.status,
                                           "outstanding_fen", (json_int_t)due));
}

int orders_h_item_approve(struct ps_req *r) { return decide(r, true); }
int orders_h_item_decline(struct ps_req *r) { return decide(r, false); }
