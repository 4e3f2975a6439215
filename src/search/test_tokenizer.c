/* Unit tests for the CJK bigram tokenizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "search/tokenizer.h"

struct collect { char out[1024]; int n; };

static int add(void *ctx, const char *tok, int len, int start, int end)
{
    struct collect *c = ctx;
    size_t used = strlen(c->out);
    snprintf(c->out + used, sizeof c->out - used, "%s%.*s", c->n ? "|" : "", len, tok);
    c->n++;
    return 0;
}

static const char *toks(const char *text, enum search_tok_mode mode)
{
    static struct collect c;
    memset(&c, 0, sizeof c);
    search_tokenize(text, (int)strlen(text), mode, add, &c);
    return c.out;
}

static void chinese_document(void **state)
{
    assert_string_equal(toks("保养", SEARCH_TOK_DOCUMENT), "保|保养|养");
    assert_string_equal(toks("机油保养", SEARCH_TOK_DOCUMENT), "机|机油|油|油保|保|保养|养");
    assert_string_equal(toks("刹车，片", SEARCH_TOK_DOCUMENT), "刹|刹车|车|片");
}

static void chinese_query(void **state)
{
    assert_string_equal(toks("保养", SEARCH_TOK_QUERY), "保养");
    assert_string_equal(toks("机油保养", SEARCH_TOK_QUERY), "机油|油保|保养");
    assert_string_equal(toks("油", SEARCH_TOK_QUERY), "油");
    assert_string_equal(toks("油 刹车", SEARCH_TOK_QUERY), "油|刹车");
}

static void latin_and_mixed(void **state)
{
    assert_string_equal(toks("BYD 保养", SEARCH_TOK_QUERY), "byd|保养");
    assert_string_equal(toks("BYD保养", SEARCH_TOK_QUERY), "byd|保养");
    assert_string_equal(toks("Oil-Change 5W30!", SEARCH_TOK_DOCUMENT), "oil|change|5w30");
    /* full-width letters fold to ASCII */
    assert_string_equal(toks("ＢＹＤ", SEARCH_TOK_DOCUMENT), "byd");
    /* other scripts stay words */
    assert_string_equal(toks("Škoda café", SEARCH_TOK_DOCUMENT), "Škoda|café");
    assert_string_equal(toks("  ,.;  ", SEARCH_TOK_DOCUMENT), "");
}

static void hostile_bytes(void **state)
{
    /* invalid UTF-8 and truncated sequences are separators, never read past the end */
    const char bad[] = { 'a', (char)0xE4, (char)0xBF, 'b', (char)0xFF, (char)0xE4 };
    struct collect c;
    memset(&c, 0, sizeof c);
    assert_int_equal(search_tokenize(bad, (int)sizeof bad, SEARCH_TOK_DOCUMENT, add, &c), 0);
    assert_string_equal(c.out, "a|b");
    /* very long words are cut at SEARCH_MAX_WORD_BYTES */
    char longw[300];
    memset(longw, 'x', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal((int)strlen(toks(longw, SEARCH_TOK_DOCUMENT)), SEARCH_MAX_WORD_BYTES);
}

static int offsets_cb(void *ctx, const char *tok, int len, int start, int end)
{
    int *o = ctx;
    o[o[0] * 2 + 1] = start;
    o[o[0] * 2 + 2] = end;
    o[0]++;
    return o[0] >= 3 ? 7 : 0;   /* stop after three */
}

static void offsets_and_stop(void **state)
{
    int o[16] = { 0 };
    /* "a保养": a [0,1), 保 [1,4), 保养 [1,7) then stop */
    assert_int_equal(search_tokenize("a保养", 7, SEARCH_TOK_DOCUMENT, offsets_cb, o), 7);
    assert_int_equal(o[0], 3);
    assert_true(o[1] == 0 && o[2] == 1 && o[3] == 1 && o[4] == 4 && o[5] == 1 && o[6] == 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chinese_document), cmocka_unit_test(chinese_query),
        cmocka_unit_test(latin_and_mixed),  cmocka_unit_test(hostile_bytes),
        cmocka_unit_test(offsets_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
