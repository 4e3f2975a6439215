/* The health score formula (docs/VEHICLES.md): deductions, caps, thresholds, ordering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "vehicles/catalog.h"
#include "vehicles/health.h"

static struct reminder maint(const char *type, enum reminder_status s)
{
    struct reminder r = { .kind = REMINDER_MAINTENANCE, .status = s, .title = type };
    snprintf(r.service_type, sizeof r.service_type, "%s", type);
    return r;
}

static void healthy_car(void **state)
{
    (void)state;
    struct reminder rs[] = { maint("oil_change", REMINDER_OK) };
    struct health_input in = { .reminders = rs, .nreminders = 1, .age_years = 3, .odometer_km = 40000 };
    struct health_report r;
    health_assess(&in, &r);
    assert_int_equal(r.score, 100);
    assert_int_equal(r.nfindings, 0);
}

static void deductions_add_up(void **state)
{
    (void)state;
    struct reminder rs[] = {
        maint("oil_change", REMINDER_OVERDUE),       /* -8 */
        maint("cabin_filter", REMINDER_DUE_SOON),    /* -2 */
        { .kind = REMINDER_INSPECTION, .status = REMINDER_OVERDUE, .service_type = SERVICE_INSPECTION }, /* -15 */
        { .kind = REMINDER_INSURANCE, .status = REMINDER_DUE_SOON },  /* -2 */
    };
    const char dtcs[][8] = { "P0301" };               /* -12 */
    struct health_input in = { .reminders = rs, .nreminders = 4, .dtcs = dtcs, .ndtcs = 1,
                               .has_soh = true, .soh_pct = 75,        /* -12 */
                               .age_years = 12,                       /* -5 */
                               .odometer_km = 210000 };               /* -6 */
    struct health_report r;
    health_assess(&in, &r);
    assert_int_equal(r.score, 100 - 8 - 2 - 15 - 2 - 12 - 12 - 5 - 6);
    assert_int_equal(r.nfindings, 8);
    /* Worst first: the lapsed inspection leads; low findings come last. */
    assert_string_equal(health_severity_name(r.findings[0].severity), "high");
    assert_string_equal(r.findings[0].service_type, SERVICE_INSPECTION);
    assert_int_equal(r.findings[1].severity, HEALTH_MEDIUM);
    assert_int_equal(r.findings[r.nfindings - 1].severity, HEALTH_LOW);
    bool saw_dtc = false, saw_soh = false;
    for (int i = 0; i < r.nfindings; i++) {
        if (strstr(r.findings[i].title, "P0301")) {
            saw_dtc = true;
            assert_string_equal(r.findings[i].service_type, SERVICE_DIAGNOSIS);
        }
        if (strstr(r.findings[i].title, "75%")) {
            saw_soh = true;
            assert_string_equal(r.findings[i].service_type, SERVICE_EV_BATTERY);
        }
    }
    assert_true(saw_dtc && saw_soh);
}

static void caps_and_clamp(void **state)
{
    (void)state;
    struct reminder rs[8];
    for (int i = 0; i < 8; i++)
        rs[i] = maint("oil_change", REMINDER_OVERDUE);   /* 8 x 8 = 64, capped at 40 */
    const char dtcs[][8] = { "P0300", "P0171", "P0420", "U0100", "B1234" };  /* 60, capped at 36 */
    struct health_input in = { .reminders = rs, .nreminders = 8, .dtcs = dtcs, .ndtcs = 5,
                               .age_years = -1, .odometer_km = 0 };
    struct health_report r;
    health_assess(&in, &r);
    assert_int_equal(r.score, 100 - 40 - 36);
    in.has_soh = true;
    in.soh_pct = 60;              /* -25 */
    in.age_years = 20;            /* -10 */
    in.odometer_km = 400000;      /* -10 */
    health_assess(&in, &r);
    assert_int_equal(r.score, 0);
}

static void thresholds(void **state)
{
    (void)state;
    struct health_input in = { .age_years = 10, .odometer_km = 100000, .has_soh = true, .soh_pct = 80 };
    struct health_report r;
    health_assess(&in, &r);
    assert_int_equal(r.score, 100);       /* exactly at every threshold: nothing taken off */
    in.soh_pct = 69.9;
    in.age_years = 16;
    in.odometer_km = 100001;
    health_assess(&in, &r);
    assert_int_equal(r.score, 100 - 25 - 10 - 3);
    assert_int_equal(r.findings[0].severity, HEALTH_HIGH);
}

/* Every service type the module names itself is a catalog code. */
static void named_codes_exist(void **state)
{
    (void)state;
    assert_true(catalog_known(SERVICE_INSPECTION));
    assert_true(catalog_known(SERVICE_DIAGNOSIS));
    assert_true(catalog_known(SERVICE_EV_BATTERY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthy_car), cmocka_unit_test(deductions_add_up),
        cmocka_unit_test(caps_and_clamp), cmocka_unit_test(thresholds),
        cmocka_unit_test(named_codes_exist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
