/* All of the orders module's SQL: orders, their timeline, extra items, service records, and
 * the provider tables it reads (services, providers, staff). Every function works on the
 * connection it is given and returns 0 or a PS_E_* code. */
#ifndef ORDERS_STORE_H
#define ORDERS_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/id.h"
#include "orders/order_rules.h"

struct ps_db_conn;


struct order_row {
    char id[PS_ID_LEN + 1];
    char owner_id[PS_ID_LEN + 1];
    char vehicle_id[PS_ID_LEN + 1];
    char provider_id[PS_ID_LEN + 1];
    char service_id[PS_ID_LEN + 1];
    char service_type[48];
    char service_name[256];
    int64_t slot_start;
    int duration_min;
    enum order_state status;
    char note[ORDER_TEXT_MAX];
    int64_t labor_fen, parts_fen, price_fen, discount_fen, total_fen;
    int64_t extras_fen, paid_fen, refunded_fen, fee_fen;
    int64_t pay_before;          /* 0 once paid */
    char cancelled_by[16];
    char cancel_reason[ORDER_TEXT_MAX];
    int64_t odometer_km;         /* -1 until completed */
    char technician[256];
    int64_t leaf_index;          /* -1 until completed */
    int64_t created_at, updated_at;
};

/* The provider's offer an order is priced from. */
struct service_offer {
    char id[PS_ID_LEN + 1];
    char provider_id[PS_ID_LEN + 1];
    char service_type[48];
    char name[256];
    int64_t labor_fen, parts_fen, price_fen;
    int duration_min;
};

/* --- provider tables (read) --------------------------------------------------------- */

/* An active service of an approved provider; PS_E_NOT_FOUND otherwise. */
int orders_store_offer(struct ps_db_conn *c, const char *provider_id, const char *service_id,
                       struct service_offer *out);
int orders_store_provider_name(struct ps_db_conn *c, const char *provider_id, char *out, size_t n);
/* Quotes: approved, open providers with an active service of service_type inside the box;
 * appends {provider_id, provider_name, service_id, labor_fen, parts_fen, price_fen,
 * duration_min, lat, lng} objects to out (at most max rows). */
int orders_store_offers_near(struct ps_db_conn *c, const char *service_type, double lat_min,
                             double lat_max, double lng_min, double lng_max, int max, json_t *out);
/* Users who should hear about a provider's orders (admins and advisors). Appends id strings. */
int orders_store_provider_staff(struct ps_db_conn *c, const char *provider_id, json_t *out);

/* --- orders ----------------------------------------------------------------------- */

int orders_store_insert(struct ps_db_conn *c, const struct order_row *o);
int orders_store_get(struct ps_db_conn *c, const char *id, struct order_row *out);
/* The same inside a write transaction: the row stays locked until commit (PostgreSQL). */
int orders_store_get_for_update(struct ps_db_conn *c, const char *id, struct order_row *out);
/* Write back the mutable columns of o, only if the row still has status `expected` and
 * paid_fen `expected_paid` (optimistic check: PS_E_CONFLICT when someone else changed it). */
int orders_store_update(struct ps_db_conn *c, const struct order_row *o,
                        enum order_state expected, int64_t expected_paid);
/* Lists, newest first: the owner's orders, or a provider's (status NULL = any). Appends
 * compact order objects (via orders_view) and sets *more when another page exists. */
int orders_store_list_owner(struct ps_db_conn *c, const char *owner_id, const char *status,
                            const char *cursor, int limit, json_t *items, bool *more);
int orders_store_list_provider(struct ps_db_conn *c, const char *provider_id, const char *status,
                               const char *cursor, int limit, json_t *items, bool *more);
/* Expiry: unpaid orders whose hold ran out (at most max ids into out, 27 bytes each). */
int orders_store_overdue(struct ps_db_conn *c, int64_t now, char (*out)[PS_ID_LEN + 1], int max,
                         int *n);
/* Conditional claim of an overdue order: *claimed true when this call expired it. */
int orders_store_expire(struct ps_db_conn *c, const char *id, int64_t now, bool *claimed);

/* --- timeline, extra items, records ---------------------------------------------- */

/* kind: status | update | extra_item | payment; status/text/photo_ids_json may be NULL. */
int orders_store_event(struct ps_db_conn *c, const char *order_id, const char *kind,
                       const char *status, const char *text, const char *photo_ids_json,
                       const char *actor_id, const char *actor, int64_t now);
int orders_store_events(struct ps_db_conn *c, const char *order_id, json_t *out);

struct extra_item {
    char id[PS_ID_LEN + 1];
    char order_id[PS_ID_LEN + 1];
    char name[512];
    int64_t price_fen;
    char status[16];
};
int orders_store_item_insert(struct ps_db_conn *c, const struct extra_item *it, int64_t now);
int orders_store_item_get(struct ps_db_conn *c, const char *order_id, const char *item_id,
                          struct extra_item *out);
/* Conditional decision: only a pending item changes; PS_E_INVALID_STATE otherwise. */
int orders_store_item_decide(struct ps_db_conn *c, const char *item_id, const char *status,
                             int64_t now);
int orders_store_items(struct ps_db_conn *c, const char *order_id, json_t *out);
int orders_store_pending_items(struct ps_db_conn *c, const char *order_id, int *n);

int orders_store_record_insert(struct ps_db_conn *c, const struct order_row *o,
                               const char *service_date, const char *record_json,
                               int64_t leaf_index, int64_t now);

#endif
