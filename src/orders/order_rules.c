/* The order state machine as a table: one row per allowed move and who may make it. Any pair
 * not listed is refused with PS_E_INVALID_STATE, so adding a state cannot silently open a
 * path. */
#include "orders/order_rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

static const char *const state_names[OS_COUNT] = {
    [OS_PENDING_PAYMENT] = "pending_payment",
    [OS_PAID]            = "paid",
    [OS_ACCEPTED]        = "accepted",
    [OS_IN_SERVICE]      = "in_service",
    [OS_COMPLETED]       = "completed",
    [OS_CANCELLED]       = "cancelled",
    [OS_EXPIRED]         = "expired",
    [OS_REFUNDED]        = "refunded",
};

struct order_move {
    enum order_state from, to;
    unsigned actors;   /* enum order_actor bits */
};

/* SPEC §6: pending_payment -> paid -> accepted -> in_service -> completed, plus cancelled
 * (owner or provider, until the car is checked in), expired (unpaid hold ran out) and
 * refunded (the gateway confirmed the refund of a cancelled, paid order). */
static const struct order_move moves[] = {
    { OS_PENDING_PAYMENT, OS_PAID,       OA_SYSTEM },
    { OS_PENDING_PAYMENT, OS_EXPIRED,    OA_SYSTEM },
    { OS_PENDING_PAYMENT, OS_CANCELLED,  OA_OWNER | OA_PROVIDER },
    { OS_PAID,            OS_ACCEPTED,   OA_PROVIDER },
    { OS_PAID,            OS_CANCELLED,  OA_OWNER | OA_PROVIDER },
    { OS_ACCEPTED,        OS_IN_SERVICE, OA_PROVIDER },
    { OS_ACCEPTED,        OS_CANCELLED,  OA_OWNER | OA_PROVIDER },
    { OS_IN_SERVICE,      OS_COMPLETED,  OA_PROVIDER },
    { OS_CANCELLED,       OS_REFUNDED,   OA_SYSTEM },
};

const char *order_state_name(enum order_state s)
{
    if ((int)s < 0 || s >= OS_COUNT)
        return NULL;
    return state_names[s];
}

bool order_state_parse(const char *name, enum order_state *out)
{
    if (!name)
        return false;
    for (int i = 0; i < OS_COUNT; i++) {
        if (strcmp(state_names[i], name) == 0) {
            *out = (enum order_state)i;
            return true;
        }
    }
    return false;
}

static const struct order_move *find_move(enum order_state from, enum order_state to)
{
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (moves[i].from == from && moves[i].to == to)
            return &moves[i];
    return NULL;
}

int order_transition_check(enum order_state from, enum order_state to, enum order_actor actor)
{
    const struct order_move *m = find_move(from, to);
    if (!m || !(m->actors & (unsigned)actor))
        return PS_E_INVALID_STATE;
    return 0;
}

bool order_transition_exists(enum order_state from, enum order_state to)
{
    return find_move(from, to) != NULL;
}

int64_t order_outstanding_fen(int64_t total_fen, int64_t extras_fen, int64_t paid_fen)
{
    int64_t due = total_fen + extras_fen - paid_fen;
    return due > 0 ? due : 0;
}

bool order_state_is_final(enum order_state s)
{
    return s == OS_COMPLETED || s == OS_EXPIRED || s == OS_REFUNDED;
}

bool order_accepts_updates(enum order_state s)
{
    return s == OS_ACCEPTED || s == OS_IN_SERVICE;
}

bool order_accepts_payment(enum order_state s)
{
    /* The first payment, then supplements for approved extra items while work goes on. */
    return s == OS_PENDING_PAYMENT || s == OS_PAID || s == OS_ACCEPTED || s == OS_IN_SERVICE;
}

double order_distance_km(double lat1, double lng1, double lat2, double lng2)
{
    const double rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlng = (lng2 - lng1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlng / 2) * sin(dlng / 2);
    if (a > 1)
        a = 1;
    return 2 * 6371.0088 * asin(sqrt(a));
}

static int by_distance(const void *a, const void *b)
{
    const struct quote_candidate *x = a, *y = b;
    if (x->distance_km != y->distance_km)
        return x->distance_km < y->distance_km ? -1 : 1;
    return x->index - y->index;
}

static int by_price(const void *a, const void *b)
{
    const struct quote_candidate *x = a, *y = b;
    if (x->total_fen != y->total_fen)
        return x->total_fen < y->total_fen ? -1 : 1;
    return by_distance(a, b);
}

void order_rank_quotes(struct quote_candidate *c, int n, int keep)
{
    if (n <= 0)
        return;
    qsort(c, (size_t)n, sizeof *c, by_distance);
    int k = n < keep ? n : keep;
    qsort(c, (size_t)k, sizeof *c, by_price);
}
