/* Unit tests for the providers module's pure rules: USCC check characters, haversine and
 * bounding boxes, the Bayesian rating and ranking, time zones and the slot grid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "providers/geo.h"
#include "providers/rank.h"
#include "providers/slot_grid.h"
#include "providers/tz.h"
#include "providers/uscc.h"

/* Check characters computed by hand from the GB 32100 weights (3^i mod 31). */
static void uscc_known_good(void **state)
{
    static const char *good[] = {
        "91350100M000100Y43", "91110108551385082Q", "91310000MA1FL4XQ7N",
        "92440300MA5ETX0K13", "121000004000000010",
    };
    char out[PROVIDERS_USCC_LEN + 1];
    const char *why = NULL;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(providers_uscc_valid(good[i], out, &why));
        assert_null(why);
        assert_string_equal(out, good[i]);
    }
    assert_int_equal(providers_uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(providers_uscc_check_char("91110108551385082"), 'Q');
    /* lower case is normalised */
    assert_true(providers_uscc_valid("91110108551385082q", out, &why));
    assert_string_equal(out, "91110108551385082Q");
}

static void uscc_bad(void **state)
{
    char out[PROVIDERS_USCC_LEN + 1];
    const char *why = NULL;
    assert_false(providers_uscc_valid("91350100M000100Y44", out, &why));   /* wrong check */
    assert_non_null(why);
    assert_string_equal(out, "");
    assert_false(providers_uscc_valid("91350100M000100Y4", out, &why));    /* 17 chars */
    assert_false(providers_uscc_valid("91350100M000100Y433", out, &why));  /* 19 chars */
    assert_false(providers_uscc_valid("91350100I000100Y43", out, &why));   /* I not allowed */
    assert_false(providers_uscc_valid("91350100S000100Y43", out, &why));   /* S not allowed */
    assert_false(providers_uscc_valid("913501O0M000100Y43", out, &why));   /* O, and not digits */
    assert_false(providers_uscc_valid("91A50100M000100Y43", out, &why));   /* division code */
    assert_false(providers_uscc_valid("", out, &why));
    assert_false(providers_uscc_valid(NULL, out, &why));
    assert_int_equal(providers_uscc_check_char("9135010VM000100Y4"), 0);
}

static void geo_haversine(void **state)
{
    /* Shanghai People's Square -> Beijing Tiananmen: about 1067 km. */
    double d = providers_haversine_km(31.2304, 121.4737, 39.9042, 116.4074);
    assert_true(d > 1060 && d < 1075);
    assert_true(providers_haversine_km(31.0, 121.0, 31.0, 121.0) < 1e-9);
    /* one degree of latitude */
    d = providers_haversine_km(30.0, 120.0, 31.0, 120.0);
    assert_true(fabs(d - 111.195) < 0.01);
    /* antipodes do not produce NaN */
    d = providers_haversine_km(0, 0, 0, 180);
    assert_true(isfinite(d) && fabs(d - M_PI * PROVIDERS_EARTH_RADIUS_KM) < 0.01);
}

static void geo_bbox(void **state)
{
    struct providers_bbox b;
    providers_bbox_around(31.2304, 121.4737, 5.0, &b);
    /* every point at exactly 5 km in the four directions lies inside */
    assert_true(b.min_lat < 31.2304 - 0.0449 && b.max_lat > 31.2304 + 0.0449);
    assert_true(b.max_lng - 121.4737 > 0.052 && b.max_lng - 121.4737 < 0.054);
    /* a point just outside the box is farther than the radius */
    assert_true(providers_haversine_km(31.2304, 121.4737, b.max_lat + 0.001, 121.4737) > 5.0);
    providers_bbox_around(89.99, 0, 10, &b);
    assert_true(b.min_lng == -180 && b.max_lng == 180 && b.max_lat == 90);
    providers_bbox_around(0, 179.99, 10, &b);
    assert_true(b.min_lng == -180 && b.max_lng == 180);
    assert_true(providers_coords_in_china(31.2, 121.4));
    assert_false(providers_coords_in_china(0, 0));
    assert_false(providers_coords_valid(NAN, 1));
    assert_false(providers_coords_valid(91, 1));
}

static void rank_bayes(void **state)
{
    assert_true(providers_bayes_rating(0, 0) == 4.0);
    /* one 5-star review: (5*4 + 5) / 6 = 4.17 */
    assert_true(providers_bayes_rating(5, 1) == 4.17);
    /* 200 reviews averaging 4.8 beat one 5-star review */
    assert_true(providers_bayes_rating(960, 200) > providers_bayes_rating(5, 1));
}

static void rank_sorts(void **state)
{
    struct providers_candidate v[3] = {
        { .id = "a", .price_fen = 20000, .rating = 4.0, .distance_km = 1.0, .row = 0 },
        { .id = "b", .price_fen = 10000, .rating = 4.0, .distance_km = 3.0, .row = 1 },
        { .id = "c", .price_fen = 10000, .rating = 4.9, .distance_km = 4.0, .row = 2 },
    };
    providers_rank(v, 3, PROVIDERS_SORT_DISTANCE, 5);
    assert_string_equal(v[0].id, "a");
    assert_string_equal(v[2].id, "c");
    providers_rank(v, 3, PROVIDERS_SORT_PRICE, 5);
    assert_string_equal(v[0].id, "b");   /* same price as c, closer */
    assert_string_equal(v[1].id, "c");
    providers_rank(v, 3, PROVIDERS_SORT_BEST, 5);
    /* c: .45*1 + .35*.975 + .2*.2 = 0.83125; b: .45 + .35*.75 + .2*.4 = 0.7925;
     * a: .45*.5 + .2625 + .2*.8 = 0.6475 */
    assert_string_equal(v[0].id, "c");
    assert_string_equal(v[1].id, "b");
    assert_string_equal(v[2].id, "a");
    assert_true(fabs(v[0].score - 0.83125) < 1e-6);
    assert_int_equal(providers_sort_parse("price"), PROVIDERS_SORT_PRICE);
    assert_int_equal(providers_sort_parse(NULL), PROVIDERS_SORT_BEST);
    assert_int_equal(providers_sort_parse("cheapest"), -1);
    /* identical candidates end on id */
    struct providers_candidate w[2] = {
        { .id = "z", .price_fen = 100, .rating = 4, .distance_km = 1 },
        { .id = "y", .price_fen = 100, .rating = 4, .distance_km = 1 },
    };
    providers_rank(w, 2, PROVIDERS_SORT_BEST, 5);
    assert_string_equal(w[0].id, "y");
}

static void tz_rules(void **state)
{
    int off = 0;
    assert_true(providers_tz_offset("Asia/Shanghai", &off));
    assert_int_equal(off, 480);
    assert_true(providers_tz_offset("Asia/Urumqi", &off));
    assert_int_equal(off, 360);
    assert_false(providers_tz_offset("America/New_York", &off));
    assert_false(providers_tz_offset(NULL, &off));
    /* 2026-11-23 is a Monday */
    assert_int_equal(providers_weekday(2026, 11, 23), 1);
    assert_int_equal(providers_weekday(2026, 11, 29), 7);
    assert_int_equal(providers_weekday(1970, 1, 1), 4);
    int64_t mid = providers_local_midnight(2026, 11, 23, 480);
    /* 2026-11-23T00:00+08:00 = 2026-11-22T16:00Z */
    assert_true(mid == providers_days_from_civil(2026, 11, 22) * PROVIDERS_DAY_MS + 16 * 3600000LL);
    struct providers_local l;
    providers_local_parts(mid + 9 * 3600000LL + 30 * 60000LL, 480, &l);
    assert_int_equal(l.y, 2026);
    assert_int_equal(l.m, 11);
    assert_int_equal(l.d, 23);
    assert_int_equal(l.weekday, 1);
    assert_int_equal(l.minute, 570);
    assert_true(l.midnight_ms == mid);
    char buf[32];
    providers_format_local(mid + 570 * 60000LL, 480, buf);
    assert_string_equal(buf, "2026-11-23T09:30:00+08:00");
    int y, m, d;
    providers_civil_from_days(providers_days_from_civil(2024, 2, 29), &y, &m, &d);
    assert_true(y == 2024 && m == 2 && d == 29);
    assert_int_equal(providers_parse_hhmm("08:30"), 510);
    assert_int_equal(providers_parse_hhmm("24:00"), 1440);
    assert_int_equal(providers_parse_hhmm("24:30"), -1);
    assert_int_equal(providers_parse_hhmm("8:30"), -1);
    assert_int_equal(providers_parse_hhmm("08:60"), -1);
    providers_format_hhmm(1080, buf);
    assert_string_equal(buf, "18:00");
}

static void grid_rules(void **state)
{
    assert_int_equal(providers_grid_cells(15), 1);
    assert_int_equal(providers_grid_cells(30), 1);
    assert_int_equal(providers_grid_cells(90), 3);
    assert_int_equal(providers_grid_cells(100), 4);
    struct providers_interval iv[2] = { { 510, 720 }, { 780, 1080 } };   /* 08:30-12:00, 13:00-18:00 */
    assert_true(providers_intervals_valid(iv, 2));
    struct providers_interval bad[2] = { { 510, 720 }, { 700, 1080 } };
    assert_false(providers_intervals_valid(bad, 2));
    struct providers_interval off_grid = { 515, 720 };
    assert_false(providers_intervals_valid(&off_grid, 1));
    int64_t mid = 1000 * PROVIDERS_DAY_MS;
    int64_t at0830 = mid + 510 * 60000LL;
    assert_true(providers_span_fits(mid, iv, 2, at0830, 90));
    assert_false(providers_span_fits(mid, iv, 2, at0830 + 60000, 90));       /* off grid */
    assert_false(providers_span_fits(mid, iv, 2, mid + 690 * 60000LL, 60));  /* crosses lunch */
    assert_true(providers_span_fits(mid, iv, 2, mid + 690 * 60000LL, 30));
    assert_false(providers_span_fits(mid, iv, 2, mid + 1050 * 60000LL, 60)); /* past closing */

    /* two bays; two 90-minute bookings from 08:30, one 30-minute one at 09:30 */
    struct providers_span busy[3] = {
        { at0830, providers_span_end(at0830, 90) },
        { at0830, providers_span_end(at0830, 90) },
        { at0830 + 60 * 60000LL, providers_span_end(at0830 + 60 * 60000LL, 30) },
    };
    assert_int_equal(providers_span_load(at0830, 30, busy, 3), 2);
    assert_int_equal(providers_span_load(at0830 + 60 * 60000LL, 30, busy, 3), 3);
    assert_int_equal(providers_span_load(at0830 + 90 * 60000LL, 60, busy, 3), 0);
    struct providers_slot out[64];
    int n = providers_day_slots(mid, iv, 2, 60, 2, busy, 2, 0, out, 64);
    /* morning: 08:30..11:00 starts for 60 min = 6 starts; 08:30, 09:00, 09:30 blocked (09:30's
     * first cell 09:30-10:00 is in both bookings); afternoon 13:00..17:00 = 9 starts */
    assert_int_equal(n, 3 + 9);
    assert_true(out[0].start_ms == at0830 + 90 * 60000LL);
    assert_int_equal(out[0].free, 2);
    /* with the 09:30 booking in a 3-bay shop the 09:00 start has 0 free cells left? no: 1 */
    n = providers_day_slots(mid, iv, 2, 60, 3, busy, 3, 0, out, 64);
    assert_true(out[0].start_ms == at0830 && out[0].free == 1);
    int found0930 = 0;
    for (int i = 0; i < n; i++)
        if (out[i].start_ms == at0830 + 60 * 60000LL)
            found0930 = 1;
    assert_false(found0930);   /* 09:30 cell holds 3 bookings */
    /* not_before skips the morning */
    n = providers_day_slots(mid, iv, 2, 60, 2, busy, 2, mid + 780 * 60000LL, out, 64);
    assert_int_equal(n, 9);
    /* 480-minute service fits nowhere in split hours */
    assert_int_equal(providers_day_slots(mid, iv, 2, 480, 2, NULL, 0, 0, out, 64), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uscc_known_good), cmocka_unit_test(uscc_bad),
        cmocka_unit_test(geo_haversine),   cmocka_unit_test(geo_bbox),
        cmocka_unit_test(rank_bayes),      cmocka_unit_test(rank_sorts),
        cmocka_unit_test(tz_rules),        cmocka_unit_test(grid_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
