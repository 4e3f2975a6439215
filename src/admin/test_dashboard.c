#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admin/dashboard.h"

static void test_days_are_china_standard_time(void **state)
{
    char d[11];
    /* 2026-11-22T16:00:00Z is midnight of the 23rd in Shanghai. */
    int64_t midnight = 1795305600000LL + 16LL * 3600 * 1000;
    admin_day_format(admin_day_of(midnight), d);
    assert_string_equal(d, "2026-11-23");
    admin_day_format(admin_day_of(midnight - 1), d);
    assert_string_equal(d, "2026-11-22");
    admin_day_format(admin_day_of(0), d);
    assert_string_equal(d, "1970-01-01");
    admin_day_format(admin_day_of(951782400000LL), d);     /* 2000-02-29T00:00Z */
    assert_string_equal(d, "2000-02-29");
}

static void test_gmv_is_paid_minus_refunded(void **state)
{
    assert_int_equal(admin_order_gmv(10000, 0), 10000);
    assert_int_equal(admin_order_gmv(10000, 8000), 2000);
    assert_int_equal(admin_order_gmv(10000, 10000), 0);
    assert_int_equal(admin_order_gmv(0, 0), 0);
    assert_int_equal(admin_order_gmv(100, 200), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_are_china_standard_time),
        cmocka_unit_test(test_gmv_is_paid_minus_refunded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
