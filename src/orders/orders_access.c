/* Who may see or change an order, and the notifications that tell the other party. */
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "core/errors.h"
#include "core/id.h"
#include "notifications/notify.h"
#include "orders/orders_internal.h"

int orders_load_as(struct ps_db_conn *c, const char *order_id, const char *user, unsigned allow,
                   const char *staff_roles, bool for_update, struct order_row *o,
                   enum order_actor *as)
{
    if (!ps_id_valid(order_id))
        return PS_E_NOT_FOUND;
    int rc = for_update ? orders_store_get_for_update(c, order_id, o) : orders_store_get(c, order_id, o);
    if (rc)
        return rc;
    if ((allow & OA_OWNER) && strcmp(o->owner_id, user) == 0) {
        *as = OA_OWNER;
        return 0;
    }
    if ((allow & OA_PROVIDER) && accounts_has_provider_role(c, user, o->provider_id, staff_roles)) {
        *as = OA_PROVIDER;
        return 0;
    }
    /* Someone who may see the order but not do this (the owner on a staff route, finance
     * staff on a work route) is told so; everyone else learns nothing. */
    if (strcmp(o->owner_id, user) == 0 ||
        accounts_has_provider_role(c, user, o->provider_id, ORDERS_STAFF_READ))
        return PS_E_FORBIDDEN;
    return PS_E_NOT_FOUND;
}

static json_t *payload_of(const struct order_row *o)
{
    return json_pack("{s:s, s:s, s:s}", "order_id", o->id, "status", order_state_name(o->status),
                     "provider_id", o->provider_id);
}

int orders_notify_owner(struct ps_db_conn *c, const struct order_row *o, const char *kind,
                        const char *title)
{
    return notify_enqueue(c, o->owner_id, kind, title, payload_of(o));
}

int orders_notify_provider(struct ps_db_conn *c, const struct order_row *o, const char *kind,
                           const char *title)
{
    json_t *staff = json_array();
    int rc = orders_store_provider_staff(c, o->provider_id, staff);
    size_t i;
    json_t *v;
    json_array_foreach(staff, i, v) {
        if (rc)
            break;
        rc = notify_enqueue(c, json_string_value(v), kind, title, payload_of(o));
    }
    json_decref(staff);
    return rc;
}
