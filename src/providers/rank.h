/* Ranking for nearby search: the Bayesian-average rating and the `best` blend of price,
 * rating and distance (formula in docs/PROVIDERS.md). Pure, no I/O. */
#ifndef PS_PROVIDERS_RANK_H
#define PS_PROVIDERS_RANK_H

#include <stddef.h>
#include <stdint.h>

/* Prior of the Bayesian average: a shop starts as if it had PRIOR_COUNT reviews of
 * PRIOR_MEAN stars, so one 5-star review does not put it above a shop with 200 good ones. */
#define PROVIDERS_RATING_PRIOR_MEAN  4.0
#define PROVIDERS_RATING_PRIOR_COUNT 5.0

/* Weights of the `best` score (sum 1). */
#define PROVIDERS_W_PRICE    0.45
#define PROVIDERS_W_RATING   0.35
#define PROVIDERS_W_DISTANCE 0.20

/* (C*m + sum of stars) / (C + n), rounded to two decimals. */
double providers_bayes_rating(int64_t rating_sum, int64_t review_count);

enum providers_sort { PROVIDERS_SORT_BEST = 0, PROVIDERS_SORT_DISTANCE, PROVIDERS_SORT_PRICE };
/* "best" | "distance" | "price" -> sort; -1 for anything else. */
int providers_sort_parse(const char *s);

struct providers_candidate {
    const char *id;          /* tie-breaker: ids are unique */
    int64_t price_fen;
    double rating;           /* Bayesian average */
    double distance_km;
    double score;            /* filled by providers_rank() for PROVIDERS_SORT_BEST */
    size_t row;              /* caller's index, carried along */
};

/* Score every candidate (radius_km: the search radius, the distance that scores 0) and sort
 * them best first. Ties always end on id, so both databases give the same order. */
void providers_rank(struct providers_candidate *v, size_t n, enum providers_sort sort,
                    double radius_km);

#endif
