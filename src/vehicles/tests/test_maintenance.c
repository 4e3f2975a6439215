/* The maintenance schedule: its service types exist in the platform catalog, the SPEC's
 * example intervals hold, and due/ due_soon / overdue follow km or months, whichever first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vehicles/catalog.h"
#include "vehicles/maintenance.h"

static struct vdate D(const char *s)
{
    struct vdate d;
    if (!vdate_parse(s, &d))
        fail_msg("bad date %s", s);
    return d;
}

static const struct maint_rule *find(const char *fuel, const char *type)
{
    const struct maint_rule *rules[MAINT_RULES_MAX];
    int n = maint_rules_for(fuel, rules, MAINT_RULES_MAX);
    for (int i = 0; i < n; i++)
        if (strcmp(rules[i]->service_type, type) == 0)
            return rules[i];
    return NULL;
}

/* Every code of data/maintenance.tsv must be a code of src/providers/service_types.tsv as it
 * is on disk now (not only the copy embedded at build time). */
static void codes_come_from_the_catalog(void **state)
{
    (void)state;
    const char *root = getenv("PS_SOURCE_DIR");
    assert_non_null(root);
    char path[1024];
    snprintf(path, sizeof path, "%s/src/providers/service_types.tsv", root);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char codes[8192];
    size_t used = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        used += (size_t)snprintf(codes + used, sizeof codes - used, "|%.*s|", (int)(tab - line), line);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/src/vehicles/data/maintenance.tsv", root);
    f = fopen(path, "r");
    assert_non_null(f);
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        char key[64];
        snprintf(key, sizeof key, "|%.*s|", (int)(tab - line), line);
        if (!strstr(codes, key))
            fail_msg("maintenance.tsv names %s, which service_types.tsv does not have", key);
        rows++;
    }
    fclose(f);
    assert_true(rows >= 10);
    assert_int_equal(maint_init(), 0);
}

static void spec_examples(void **state)
{
    (void)state;
    const struct maint_rule *oil = find("gasoline", "oil_change");
    assert_non_null(oil);
    assert_int_equal(oil->km, 10000);
    assert_int_equal(oil->months, 12);
    const struct maint_rule *fluid = find("diesel", "brake_fluid");
    assert_non_null(fluid);
    assert_int_equal(fluid->km, 40000);
    assert_int_equal(fluid->months, 24);
    const struct maint_rule *ev = find("bev", "ev_battery_check");
    assert_non_null(ev);
    assert_int_equal(ev->km, 20000);
    assert_int_equal(ev->months, 12);
    /* Per fuel type: no oil change for battery-electric cars, no battery check for petrol. */
    assert_null(find("bev", "oil_change"));
    assert_null(find("gasoline", "ev_battery_check"));
    assert_non_null(find("phev", "oil_change"));
    assert_non_null(find("phev", "ev_battery_check"));
    assert_null(find("steam", "oil_change"));
    assert_string_equal(catalog_name_en("oil_change"), "Oil and filter change");
}

static void whichever_comes_first(void **state)
{
    (void)state;
    const struct maint_rule *oil = find("gasoline", "oil_change");
    struct maint_base last = { true, D("2025-01-10"), true, 30000 };
    struct reminder r;
    maint_reminder(oil, &last, 32000, D("2025-06-01"), &r);
    assert_int_equal(r.status, REMINDER_OK);
    assert_true(r.has_due_km);
    assert_int_equal(r.due_km, 40000);
    assert_true(r.has_due_date);
    assert_int_equal(vdate_cmp(r.due_date, D("2026-01-10")), 0);
    assert_string_equal(r.service_type, "oil_change");
    /* Within 1,000 km: due soon; past it: overdue, whatever the date. */
    maint_reminder(oil, &last, 39000, D("2025-06-01"), &r);
    assert_int_equal(r.status, REMINDER_DUE_SOON);
    maint_reminder(oil, &last, 40001, D("2025-06-01"), &r);
    assert_int_equal(r.status, REMINDER_OVERDUE);
    /* Within 30 days: due soon; after the date: overdue, whatever the distance. */
    maint_reminder(oil, &last, 31000, D("2025-12-10"), &r);
    assert_int_equal(r.status, REMINDER_OK);
    maint_reminder(oil, &last, 31000, D("2025-12-11"), &r);
    assert_int_equal(r.status, REMINDER_DUE_SOON);
    maint_reminder(oil, &last, 31000, D("2026-01-11"), &r);
    assert_int_equal(r.status, REMINDER_OVERDUE);
}

static void from_registration_or_unknown(void **state)
{
    (void)state;
    const struct maint_rule *fluid = find("gasoline", "brake_fluid");
    struct maint_base reg = { true, D("2024-05-20"), true, 0 };
    struct reminder r;
    maint_reminder(fluid, &reg, 12000, D("2025-01-01"), &r);
    assert_int_equal(r.due_km, 40000);
    assert_int_equal(vdate_cmp(r.due_date, D("2026-05-20")), 0);
    assert_int_equal(r.status, REMINDER_OK);
    /* No registration date: the distance alone decides. */
    struct maint_base km_only = { false, { 0, 0, 0 }, true, 0 };
    maint_reminder(fluid, &km_only, 45000, D("2025-01-01"), &r);
    assert_false(r.has_due_date);
    assert_int_equal(r.status, REMINDER_OVERDUE);
    /* A time-only rule (wiper blades) never has a km. */
    const struct maint_rule *wipers = find("bev", "wiper_blades");
    assert_non_null(wipers);
    maint_reminder(wipers, &reg, 99999, D("2025-06-01"), &r);
    assert_false(r.has_due_km);
    assert_int_equal(r.status, REMINDER_OVERDUE);
}

static void services_that_include_others(void **state)
{
    (void)state;
    assert_true(maint_covers("oil_change", "oil_change"));
    assert_true(maint_covers("minor_service", "oil_change"));
    assert_true(maint_covers("major_service", "oil_change"));
    assert_true(maint_covers("major_service", "cabin_filter"));
    assert_false(maint_covers("minor_service", "cabin_filter"));
    assert_false(maint_covers("oil_change", "major_service"));
    assert_false(maint_covers("car_wash", "oil_change"));
}

static void insurance(void **state)
{
    (void)state;
    struct reminder r;
    reminder_insurance(D("2025-03-01"), D("2025-01-15"), &r);
    assert_int_equal(r.status, REMINDER_OK);
    reminder_insurance(D("2025-03-01"), D("2025-02-01"), &r);
    assert_int_equal(r.status, REMINDER_DUE_SOON);
    reminder_insurance(D("2025-03-01"), D("2025-03-01"), &r);
    assert_int_equal(r.status, REMINDER_DUE_SOON);
    reminder_insurance(D("2025-03-01"), D("2025-03-02"), &r);
    assert_int_equal(r.status, REMINDER_OVERDUE);
    assert_string_equal(reminder_kind_name(r.kind), "insurance");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_come_from_the_catalog), cmocka_unit_test(spec_examples),
        cmocka_unit_test(whichever_comes_first),       cmocka_unit_test(from_registration_or_unknown),
        cmocka_unit_test(services_that_include_others), cmocka_unit_test(insurance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
