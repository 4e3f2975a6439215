/* How orders look from outside: their JSON representation and the OpenAPI schemas. */
#ifndef ORDERS_VIEW_H
#define ORDERS_VIEW_H

#include <jansson.h>

#include "orders/orders_store.h"

/* The order object (new reference): every column a client needs plus outstanding_fen.
 * Timeline, items and photos are added by the GET route. */
json_t *orders_view_order(const struct order_row *o);
/* RFC 3339 string for a ms timestamp (new reference). */
json_t *orders_view_time(int64_t ms);
void orders_schemas(json_t *schemas);

#endif
