/* Bayesian rating and the nearby ordering (see rank.h and docs/PROVIDERS.md). */
#include "providers/rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double providers_bayes_rating(int64_t rating_sum, int64_t review_count)
{
    if (review_count < 0)
        review_count = 0;
    double r = (PROVIDERS_RATING_PRIOR_COUNT * PROVIDERS_RATING_PRIOR_MEAN + (double)rating_sum) /
               (PROVIDERS_RATING_PRIOR_COUNT + (double)review_count);
    return round(r * 100.0) / 100.0;
}

int providers_sort_parse(const char *s)
{
    if (!s || !strcmp(s, "best"))
        return PROVIDERS_SORT_BEST;
    if (!strcmp(s, "distance"))
        return PROVIDERS_SORT_DISTANCE;
    if (!strcmp(s, "price"))
        return PROVIDERS_SORT_PRICE;
    return -1;
}

static int cmp_num(double a, double b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static int cmp_distance(const void *pa, const void *pb)
{
    const struct providers_candidate *a = pa, *b = pb;
    int c = cmp_num(a->distance_km, b->distance_km);
    if (!c)
        c = cmp_num((double)a->price_fen, (double)b->price_fen);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_price(const void *pa, const void *pb)
{
    const struct providers_candidate *a = pa, *b = pb;
    int c = cmp_num((double)a->price_fen, (double)b->price_fen);
    if (!c)
        c = cmp_num(a->distance_km, b->distance_km);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_best(const void *pa, const void *pb)
{
    const struct providers_candidate *a = pa, *b = pb;
    int c = cmp_num(b->score, a->score);           /* higher first */
    return c ? c : cmp_distance(pa, pb);
}

void providers_rank(struct providers_candidate *v, size_t n, enum providers_sort sort,
                    double radius_km)
{
    if (n == 0)
        return;
    int64_t min_price = v[0].price_fen;
    for (size_t i = 1; i < n; i++)
        if (v[i].price_fen < min_price)
            min_price = v[i].price_fen;
    for (size_t i = 0; i < n; i++) {
        /* Price: the cheapest candidate scores 1, one at twice its price 0.5. */
        double ps;
        if (v[i].price_fen <= 0)
            ps = 1.0;
        else if (min_price <= 0)
            ps = 0.0;
        else
            ps = (double)min_price / (double)v[i].price_fen;
        double rs = (v[i].rating - 1.0) / 4.0;
        double ds = radius_km > 0 ? 1.0 - v[i].distance_km / radius_km : 1.0;
        if (rs < 0) rs = 0;
        if (rs > 1) rs = 1;
        if (ds < 0) ds = 0;
        if (ds > 1) ds = 1;
        double s = PROVIDERS_W_PRICE * ps + PROVIDERS_W_RATING * rs + PROVIDERS_W_DISTANCE * ds;
        /* Round so that float noise cannot reorder equal scores differently on two machines. */
        v[i].score = round(s * 1e6) / 1e6;
    }
    int (*cmp)(const void *, const void *) = sort == PROVIDERS_SORT_DISTANCE ? cmp_distance
                                             : sort == PROVIDERS_SORT_PRICE  ? cmp_price
                                                                             : cmp_best;
    qsort(v, n, sizeof *v, cmp);
}
