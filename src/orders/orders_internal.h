/* Shared inside the orders module: who may act on an order, notifications to each party, and
 * the handlers the route table in orders_routes.c points at. */
#ifndef ORDERS_INTERNAL_H
#define ORDERS_INTERNAL_H

#include "core/router.h"
#include "orders/order_rules.h"
#include "orders/orders_store.h"

struct ps_db_conn;

/* Provider roles that may work on orders, and the wider set that may read them. */
#define ORDERS_STAFF_WORK "provider_admin,advisor,technician"
#define ORDERS_STAFF_READ "provider_admin,advisor,technician,finance"

/* Load order_id for user and decide in which capacity they act: the owner (when `allow` has
 * OA_OWNER) or the provider's staff holding one of staff_roles (when it has OA_PROVIDER).
 * Someone who may read the order but not act so gets PS_E_FORBIDDEN; anyone else
 * PS_E_NOT_FOUND, exactly as for an order that does not exist.
 * for_update: lock the row (inside a write transaction). */
int orders_load_as(struct ps_db_conn *c, const char *order_id, const char *user, unsigned allow,
                   const char *staff_roles, bool for_update, struct order_row *o,
                   enum order_actor *as);

/* Tell the other party: the owner, or the provider's admins and advisors. payload gets
 * order_id and status added. */
int orders_notify_owner(struct ps_db_conn *c, const struct order_row *o, const char *kind,
                        const char *title);
int orders_notify_provider(struct ps_db_conn *c, const struct order_row *o, const char *kind,
                           const char *title);

/* Handlers (orders_owner.c, orders_staff.c). */
int orders_h_quotes(struct ps_req *r);
int orders_h_create(struct ps_req *r);
int orders_h_list(struct ps_req *r);
int orders_h_get(struct ps_req *r);
int orders_h_pay(struct ps_req *r);
int orders_h_cancel(struct ps_req *r);
int orders_h_item_approve(struct ps_req *r);
int orders_h_item_decline(struct ps_req *r);
int orders_h_provider_list(struct ps_req *r);
int orders_h_accept(struct ps_req *r);
int orders_h_start(struct ps_req *r);
int orders_h_update(struct ps_req *r);
int orders_h_complete(struct ps_req *r);

/* Payment hooks and the expiry job (orders_money.c). */
void orders_install_payment_hooks(void);
int orders_expire_job(const struct ps_app *app);

#endif
