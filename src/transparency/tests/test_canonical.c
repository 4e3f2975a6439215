/* Canonical JSON of log leaves, pinned byte for byte: sorted keys, no spaces, UTF-8 as is,
 * integers only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "transparency/canonical.h"

static void expect(const char *input, const char *want)
{
    json_error_t err;
    json_t *v = json_loads(input, JSON_DECODE_ANY, &err);
    assert_non_null(v);
    char *got = translog_canonical_json(v);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    json_decref(v);
}

static void test_shape(void **state)
{
    expect("{ \"b\" : 1, \"a\" : [ 3, 2, {\"z\": null, \"y\": true} ], \"c\": \"x\" }",
           "{\"a\":[3,2,{\"y\":true,\"z\":null}],\"b\":1,\"c\":\"x\"}");
    /* Keys sort by UTF-8 bytes: upper case before lower case, ASCII before Chinese. */
    expect("{\"车\":1,\"b\":2,\"B\":3,\"_\":4,\"ab\":5,\"a\":6}",
           "{\"B\":3,\"_\":4,\"a\":6,\"ab\":5,\"b\":2,\"车\":1}");
    expect("{}", "{}");
    expect("[]", "[]");
    expect("{\"n\":-9007199254740993}", "{\"n\":-9007199254740993}");
}

static void test_strings(void **state)
{
    /* Non-ASCII stays as UTF-8, '/' is not escaped, quotes, backslashes and control
     * characters are. */
    expect("{\"t\":\"王师傅 / 更换机油\"}", "{\"t\":\"王师傅 / 更换机油\"}");
    expect("{\"t\":\"a\\\"b\\\\c\\n\\t\\u0001\"}", "{\"t\":\"a\\\"b\\\\c\\n\\t\\u0001\"}");
    expect("{\"t\":\"\\u00e9\\ud83d\\ude97\"}", "{\"t\":\"é🚗\"}");
}

static void test_refused(void **state)
{
    json_t *v = json_pack("{s:f}", "x", 1.5);
    assert_null(translog_canonical_json(v));
    json_decref(v);
    v = json_pack("{s:[i,{s:f}]}", "x", 1, "y", 2.0);
    assert_null(translog_canonical_json(v));
    json_decref(v);
    /* Too deep. */
    json_t *deep = json_array();
    for (int i = 0; i < TRANSLOG_MAX_DEPTH + 2; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, deep);
        deep = outer;
    }
    assert_null(translog_canonical_json(deep));
    json_decref(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
