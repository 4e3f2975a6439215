/* Unit tests of core/id.c: shape, alphabet, uniqueness and creation-time order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/id.h"
#include "core/log.h"

#define MANY 20000

static void test_shape(void **state)
{
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    assert_int_equal(strlen(id), PS_ID_LEN);
    for (const char *p = id; *p; p++)
        assert_non_null(strchr("0123456789abcdefghjkmnpqrstvwxyz", *p));
    assert_true(ps_id_valid(id));
}

static void test_time_prefix(void **state)
{
    /* The first 10 characters are the 48-bit millisecond time. */
    static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    char id[PS_ID_LEN + 1];
    long long before = ps_now_ms();
    ps_id_new(id);
    long long after = ps_now_ms();
    unsigned long long t = 0;
    for (int i = 0; i < 10; i++)
        t = t * 32 + (unsigned long long)(strchr(alphabet, id[i]) - alphabet);
    /* 50 bits of characters for 48 of time: the top two are always zero. */
    assert_true((long long)t >= before && (long long)t <= after);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_unique_and_ordered(void **state)
{
    char (*ids)[PS_ID_LEN + 1] = malloc(MANY * sizeof *ids);
    char **ptrs = malloc(MANY * sizeof *ptrs);
    assert_non_null(ids);
    for (int i = 0; i < MANY; i++) {
        ps_id_new(ids[i]);
        ptrs[i] = ids[i];
        if (i > 0)
            assert_true(strcmp(ids[i - 1], ids[i]) < 0);   /* made later sorts later */
    }
    qsort(ptrs, MANY, sizeof *ptrs, cmp_str);
    for (int i = 1; i < MANY; i++)
        assert_string_not_equal(ptrs[i - 1], ptrs[i]);
    free(ptrs);
    free(ids);
}

static void test_ordered_across_milliseconds(void **state)
{
    char a[PS_ID_LEN + 1], b[PS_ID_LEN + 1];
    ps_id_new(a);
    struct timespec ts = { 0, 3 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    ps_id_new(b);
    assert_true(strcmp(a, b) < 0);
    assert_memory_not_equal(a, b, 10);     /* the time part moved */
}

static void test_valid(void **state)
{
    assert_true(ps_id_valid("01arz3ndektsv4rrffq69g5fav"));
    assert_false(ps_id_valid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));   /* lower case only */
    assert_false(ps_id_valid("01arz3ndektsv4rrffq69g5fa"));    /* 25 */
    assert_false(ps_id_valid("01arz3ndektsv4rrffq69g5favx"));  /* 27 */
    assert_false(ps_id_valid("01arz3ndektsv4rrffq69g5fai"));   /* i is not in the alphabet */
    assert_false(ps_id_valid("01arz3ndektsv4rrffq69g5fau"));   /* nor u */
    assert_false(ps_id_valid("81arz3ndektsv4rrffq69g5fav"));   /* would overflow 128 bits */
    assert_false(ps_id_valid(""));
    assert_false(ps_id_valid(NULL));
    assert_false(ps_id_valid("../../etc/passwd"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_time_prefix),
        cmocka_unit_test(test_unique_and_ordered),
        cmocka_unit_test(test_ordered_across_milliseconds),
        cmocka_unit_test(test_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
