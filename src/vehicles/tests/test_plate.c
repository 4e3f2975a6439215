/* Mainland plate formats (GA 36-2018), regular and new-energy, and their canonical form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/errors.h"
#include "vehicles/plate.h"

static void accept(const char *in, const char *want, enum plate_kind want_kind)
{
    char out[PLATE_MAX];
    enum plate_kind k = 0;
    const char *why = NULL;
    int rc = plate_normalize(in, out, &k, &why);
    if (rc)
        fail_msg("%s refused: %s", in, why);
    assert_string_equal(out, want);
    assert_int_equal(k, want_kind);
}

static void refuse(const char *in)
{
    char out[PLATE_MAX];
    enum plate_kind k;
    const char *why = NULL;
    if (plate_normalize(in, out, &k, &why) != PS_E_VALIDATION)
        fail_msg("%s accepted", in);
    assert_non_null(why);
}

static void regular(void **state)
{
    (void)state;
    accept("京A12345", "京A12345", PLATE_REGULAR);
    accept("沪b·8c88z", "沪B8C88Z", PLATE_REGULAR);
    accept(" 粤 B-12A45 ", "粤B12A45", PLATE_REGULAR);
    accept("川A1234学", "川A1234学", PLATE_REGULAR);
    accept("苏E0123挂", "苏E0123挂", PLATE_REGULAR);
    refuse("京A1234");          /* too short */
    refuse("京I12345");         /* I is never an authority letter */
    refuse("京A12O45");         /* O is not used in the serial */
    refuse("A12345");           /* no province */
    refuse("港A12345");         /* not a mainland province */
    refuse("京112345");         /* digit where the authority letter goes */
    refuse("京A123学4");        /* suffix only at the end */
    refuse("京A12345678");
    refuse("");
}

static void new_energy(void **state)
{
    (void)state;
    accept("京AD12345", "京AD12345", PLATE_NEW_ENERGY);       /* small, battery electric */
    accept("沪AF12345", "沪AF12345", PLATE_NEW_ENERGY);       /* small, other new energy */
    accept("粤BDA1234", "粤BDA1234", PLATE_NEW_ENERGY);       /* letter in the 2nd place */
    accept("浙a12345d", "浙A12345D", PLATE_NEW_ENERGY);       /* large: D/F at the end */
    accept("浙A12345F", "浙A12345F", PLATE_NEW_ENERGY);
    refuse("京AA12345");        /* 6 characters without D/F */
    refuse("京AD1234A");        /* small: the last 4 are digits */
    refuse("京A1234AD");        /* large: the first 5 are digits */
    refuse("京AE12345");
}

/* Arbitrary bytes (cut UTF-8, separators only, overlong input) are refused, never a crash. */
static void garbage(void **state)
{
    (void)state;
    unsigned seed = 12345;
    char in[64], out[PLATE_MAX];
    enum plate_kind k;
    const char *why;
    for (int round = 0; round < 20000; round++) {
        size_t n = (seed = seed * 1103515245u + 12345u) % sizeof in;
        for (size_t i = 0; i < n; i++)
            in[i] = (char)((seed = seed * 1103515245u + 12345u) >> 16);
        in[n] = '\0';
        if (round % 3 == 0 && n > 3)
            memcpy(in, "京", 3);
        int rc = plate_normalize(in, out, &k, &why);
        assert_true(rc == 0 || rc == PS_E_VALIDATION);
        if (rc == 0)
            assert_true(strlen(out) < PLATE_MAX);
    }
    refuse("---   ···");
    refuse("\xe4\xba");
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(regular), cmocka_unit_test(new_energy),
                                        cmocka_unit_test(garbage) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
