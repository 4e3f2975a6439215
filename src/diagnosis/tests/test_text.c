/* Unit tests of symptom text normalisation, stemming and tokenising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "diagnosis/text.h"

static void normalises(void **state)
{
    (void)state;
    char out[256];
    diag_text_normalise("  Car PULLS   to the\tLEFT ", out, sizeof out);
    assert_string_equal(out, "car pulls to the left");
    /* Full-width letters, digits and punctuation; ideographic space; 。and 、 */
    diag_text_normalise("ＡＢＳ灯亮，Ｐ０３０１\xe3\x80\x80刹车、异响。", out, sizeof out);
    assert_string_equal(out, "abs灯亮,p0301 刹车,异响.");
    /* Invalid bytes become spaces; output never splits a character. */
    diag_text_normalise("a\xff" "b", out, sizeof out);
    assert_string_equal(out, "a b");
    char small[5];
    diag_text_normalise("刹车异响", small, sizeof small);
    assert_string_equal(small, "刹");
}

static void stem(const char *in, const char *want)
{
    char w[32];
    snprintf(w, sizeof w, "%s", in);
    diag_stem(w);
    assert_string_equal(w, want);
}

static void stems(void **state)
{
    (void)state;
    stem("pulls", "pull");
    stem("pulling", "pull");
    stem("pulled", "pull");
    stem("vibration", "vibrat");
    stem("vibrates", "vibrat");
    stem("vibrating", "vibrat");
    stem("brakes", "brak");
    stem("braking", "brak");
    stem("stopping", "stop");
    stem("batteries", "battery");
    stem("knocking", "knock");
    stem("overheating", "overheat");
    stem("misfires", "misfir");
    stem("roughly", "rough");
    stem("car", "car");
    stem("abs", "abs");
    stem("speed", "speed");
    stem("glass", "glass");
}

static void tokenises(void **state)
{
    (void)state;
    struct diag_tokens t;
    diag_tokenise("the car pulls to the left, 刹车 abs-light", &t);
    assert_int_equal(t.n, 8);
    assert_string_equal(t.t[2], "pull");
    assert_string_equal(t.t[5], "left");
    assert_string_equal(t.t[6], "abs");
    assert_string_equal(t.t[7], "light");
    assert_true(diag_has_cjk("刹车"));
    assert_false(diag_has_cjk("brake ＡＢＳ"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalises),
        cmocka_unit_test(stems),
        cmocka_unit_test(tokenises),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
