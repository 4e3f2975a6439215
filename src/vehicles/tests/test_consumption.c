/* Full-to-full fuel consumption and per-charge energy consumption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vehicles/consumption.h"

static void full_to_full(void **state)
{
    (void)state;
    double v = 0;
    const struct fuel_fill simple[] = { { 10000, 40, true }, { 10500, 35, true } };
    assert_true(fuel_l_per_100km(simple, 2, &v));
    assert_float_equal(v, 7.0, 1e-9);
    /* A partial fill in between counts towards the fuel burnt. */
    const struct fuel_fill partial[] = { { 20000, 50, true }, { 20300, 10, false }, { 20800, 42, true } };
    assert_true(fuel_l_per_100km(partial, 3, &v));
    assert_float_equal(v, 6.5, 1e-9);
    /* Rounded to 2 decimals. */
    const struct fuel_fill odd[] = { { 0, 30, true }, { 333, 21, true } };
    assert_true(fuel_l_per_100km(odd, 2, &v));
    assert_float_equal(v, 6.31, 1e-9);
}

static void not_computable(void **state)
{
    (void)state;
    double v = -1;
    const struct fuel_fill one[] = { { 10000, 40, true } };
    assert_false(fuel_l_per_100km(one, 1, &v));
    const struct fuel_fill open[] = { { 10000, 40, true }, { 10400, 20, false } };
    assert_false(fuel_l_per_100km(open, 2, &v));
    const struct fuel_fill no_start[] = { { 10000, 40, false }, { 10400, 20, true } };
    assert_false(fuel_l_per_100km(no_start, 2, &v));
    const struct fuel_fill same_km[] = { { 10000, 40, true }, { 10000, 2, true } };
    assert_false(fuel_l_per_100km(same_km, 2, &v));
    assert_float_equal(v, -1, 0);
}

static void charging(void **state)
{
    (void)state;
    double v = 0;
    assert_true(charge_kwh_per_100km(1000, 45.0, 1300, &v));
    assert_float_equal(v, 15.0, 1e-9);
    assert_true(charge_kwh_per_100km(1300, 20.5, 1420, &v));
    assert_float_equal(v, 17.08, 1e-9);
    assert_false(charge_kwh_per_100km(1420, 10, 1420, &v));
    assert_false(charge_kwh_per_100km(1420, 10, 1400, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_to_full), cmocka_unit_test(not_computable), cmocka_unit_test(charging),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
