/* Annual inspection rules of SPEC §4, one test per age bracket, plus the 3-month window and
 * the inspection reminder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "vehicles/caldate.h"
#include "vehicles/catalog.h"
#include "vehicles/inspection.h"
#include "vehicles/reminders.h"

static struct vdate D(const char *s)
{
    struct vdate d;
    if (!vdate_parse(s, &d))
        fail_msg("bad date %s", s);
    return d;
}

static void expect_next(const struct inspection_vehicle *v, const char *today, const char *due,
                        enum inspection_kind kind, const char *window)
{
    struct inspection_due d;
    inspection_next(v, D(today), &d);
    char got[11], got_w[11];
    vdate_format(d.due, got);
    vdate_format(d.window_start, got_w);
    if (strcmp(got, due) != 0 || d.kind != kind || (window && strcmp(got_w, window) != 0))
        fail_msg("today %s: got %s %s (window %s), want %s %s", today, got,
                 inspection_kind_name(d.kind), got_w, due, inspection_kind_name(kind));
}

static const struct inspection_vehicle private_car = { { 2016, 3, 15 }, false, 5 };

static void sticker_years_2_and_4(void **state)
{
    (void)state;
    expect_next(&private_car, "2016-03-15", "2018-03-31", INSPECTION_STICKER, "2017-12-31");
    expect_next(&private_car, "2018-03-31", "2018-03-31", INSPECTION_STICKER, NULL);
    expect_next(&private_car, "2018-04-01", "2020-03-31", INSPECTION_STICKER, "2019-12-31");
}

static void on_site_years_6_and_8(void **state)
{
    (void)state;
    expect_next(&private_car, "2020-04-01", "2022-03-31", INSPECTION_ON_SITE, "2021-12-31");
    expect_next(&private_car, "2022-04-01", "2024-03-31", INSPECTION_ON_SITE, NULL);
}

static void yearly_from_10_to_15(void **state)
{
    (void)state;
    expect_next(&private_car, "2024-04-01", "2026-03-31", INSPECTION_ON_SITE, NULL);  /* year 10 */
    expect_next(&private_car, "2026-04-01", "2027-03-31", INSPECTION_ON_SITE, NULL);  /* year 11 */
    expect_next(&private_car, "2029-06-01", "2030-03-31", INSPECTION_ON_SITE, NULL);  /* year 14 */
    expect_next(&private_car, "2030-04-01", "2031-03-31", INSPECTION_ON_SITE, NULL);  /* year 15 */
}

static void half_yearly_after_15(void **state)
{
    (void)state;
    expect_next(&private_car, "2031-04-01", "2031-09-30", INSPECTION_ON_SITE, "2031-06-30");
    expect_next(&private_car, "2031-10-01", "2032-03-31", INSPECTION_ON_SITE, NULL);
    expect_next(&private_car, "2032-04-01", "2032-09-30", INSPECTION_ON_SITE, NULL);
    expect_next(&private_car, "2040-12-01", "2041-03-31", INSPECTION_ON_SITE, NULL);
}

static void no_inspection_in_odd_early_years(void **state)
{
    (void)state;
    /* Years 1, 3, 5, 7 and 9 have no inspection for private small cars. */
    struct inspection_due d;
    for (int n = 0; n < 4; n++) {
        inspection_nth(&private_car, n, &d);
        assert_int_equal(d.months, 24 * (n + 1));
    }
    inspection_nth(&private_car, 4, &d);
    assert_int_equal(d.months, 120);
}

static void commercial_vehicles(void **state)
{
    (void)state;
    const struct inspection_vehicle taxi = { { 2020, 8, 10 }, true, 5 };
    expect_next(&taxi, "2020-08-10", "2021-08-31", INSPECTION_ON_SITE, "2021-05-31");
    expect_next(&taxi, "2021-09-01", "2022-08-31", INSPECTION_ON_SITE, NULL);
    expect_next(&taxi, "2024-09-01", "2025-08-31", INSPECTION_ON_SITE, NULL);   /* year 5 */
    expect_next(&taxi, "2025-09-01", "2026-02-28", INSPECTION_ON_SITE, "2025-11-28");
    expect_next(&taxi, "2026-03-01", "2026-08-31", INSPECTION_ON_SITE, NULL);
}

static void private_over_nine_seats(void **state)
{
    (void)state;
    const struct inspection_vehicle bus = { { 2015, 1, 20 }, false, 12 };
    expect_next(&bus, "2015-02-01", "2016-01-31", INSPECTION_ON_SITE, NULL);
    expect_next(&bus, "2024-02-01", "2025-01-31", INSPECTION_ON_SITE, NULL);     /* year 10 */
    expect_next(&bus, "2025-02-01", "2025-07-31", INSPECTION_ON_SITE, NULL);
}

static void window_and_month_ends(void **state)
{
    (void)state;
    /* Registered on 29 February: due at the end of February. */
    const struct inspection_vehicle leap = { { 2020, 2, 29 }, false, 5 };
    expect_next(&leap, "2020-03-01", "2022-02-28", INSPECTION_STICKER, "2021-11-28");
    const struct inspection_vehicle may = { { 2019, 5, 31 }, false, 0 };
    expect_next(&may, "2019-06-01", "2021-05-31", INSPECTION_STICKER, "2021-02-28");
}

static void reminder_states(void **state)
{
    (void)state;
    struct reminder r;
    struct vdate none = { 0, 0, 0 };
    /* The year-4 sticker (2020-03-31) passed with nothing recorded: overdue. */
    reminder_inspection(&private_car, false, none, D("2022-01-15"), &r);
    assert_int_equal(r.status, REMINDER_OVERDUE);
    assert_int_equal(vdate_cmp(r.due_date, D("2020-03-31")), 0);
    assert_string_equal(r.service_type, SERVICE_INSPECTION);
    /* Done in time: the year-6 test is next and its window is open. */
    reminder_inspection(&private_car, true, D("2020-02-01"), D("2022-01-15"), &r);
    assert_int_equal(r.status, REMINDER_DUE_SOON);
    assert_int_equal(vdate_cmp(r.due_date, D("2022-03-31")), 0);
    /* Outside the window: ok. */
    reminder_inspection(&private_car, true, D("2020-02-01"), D("2021-12-30"), &r);
    assert_int_equal(r.status, REMINDER_OK);
    /* Already done inside the open window: the following one (year 8). */
    reminder_inspection(&private_car, true, D("2022-01-10"), D("2022-01-15"), &r);
    assert_int_equal(r.status, REMINDER_OK);
    assert_int_equal(vdate_cmp(r.due_date, D("2024-03-31")), 0);
    /* Brand new car: the first due date has not passed. */
    reminder_inspection(&private_car, false, none, D("2016-04-01"), &r);
    assert_int_equal(r.status, REMINDER_OK);
}

static void calendar(void **state)
{
    (void)state;
    assert_int_equal(vdate_to_days(D("1970-01-01")), 0);
    assert_int_equal(vdate_to_days(D("2000-03-01")), 11017);
    struct vdate d = vdate_from_days(vdate_to_days(D("2024-02-29")));
    assert_int_equal(vdate_cmp(d, D("2024-02-29")), 0);
    assert_int_equal(vdate_cmp(vdate_add_months(D("2024-01-31"), 1), D("2024-02-29")), 0);
    assert_int_equal(vdate_cmp(vdate_add_months(D("2024-03-31"), -13), D("2023-02-28")), 0);
    assert_int_equal(vdate_years_between(D("2016-03-15"), D("2026-03-14")), 9);
    assert_int_equal(vdate_years_between(D("2016-03-15"), D("2026-03-15")), 10);
    /* 2026-11-23T16:30:00Z is already 24 November in China. */
    assert_int_equal(vdate_cmp(vdate_china_from_ms(1795451400000LL), D("2026-11-24")), 0);
    struct vdate bad;
    assert_false(vdate_parse("2023-02-29", &bad));
    assert_false(vdate_parse("2023-1-01", &bad));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sticker_years_2_and_4),   cmocka_unit_test(on_site_years_6_and_8),
        cmocka_unit_test(yearly_from_10_to_15),    cmocka_unit_test(half_yearly_after_15),
        cmocka_unit_test(no_inspection_in_odd_early_years),
        cmocka_unit_test(commercial_vehicles),     cmocka_unit_test(private_over_nine_seats),
        cmocka_unit_test(window_and_month_ends),   cmocka_unit_test(reminder_states),
        cmocka_unit_test(calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
