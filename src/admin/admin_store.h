#ifndef PS_ADMIN_STORE_H
#define PS_ADMIN_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct ps_db_conn;

struct admin_order_filter {
    const char *status;        /* "" = any */
    const char *provider_id;   /* "" = any */
    const char *cursor;        /* "" = from the newest */
    int limit;
};

/* A page of orders, newest first, appended to items; *more tells whether a page follows. */
int admin_orders_page(struct ps_db_conn *c, const struct admin_order_filter *f, json_t *items, bool *more);
/* Orders and GMV per day since since_ms (days in UTC+8), appended to days as
 * {date, orders, gmv_fen}; also fills totals. */
int admin_orders_per_day(struct ps_db_conn *c, int64_t since_ms, json_t *days, int64_t *orders,
                         int64_t *gmv_fen);
/* The most booked service types since since_ms: {service_type, orders, gmv_fen}. */
int admin_top_services(struct ps_db_conn *c, int64_t since_ms, int limit, json_t *out);
/* Providers by Bayesian-average rating (ties: more reviews first): {id, name, city, rating,
 * review_count}. */
int admin_top_providers(struct ps_db_conn *c, int limit, json_t *out);

#endif
