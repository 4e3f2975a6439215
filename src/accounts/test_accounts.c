/* Unit tests of the accounts rules (accounts.c): phones, emails, passwords, names, login
 * classification and the role catalogue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts.h"

static void test_phone(void **state)
{
    assert_true(accounts_valid_phone("13812345678"));
    assert_true(accounts_valid_phone("19912345678"));
    assert_false(accounts_valid_phone("12812345678"));    /* 12x is not a mobile prefix */
    assert_false(accounts_valid_phone("1381234567"));
    assert_false(accounts_valid_phone("138123456789"));
    assert_false(accounts_valid_phone("1381234567a"));
    assert_false(accounts_valid_phone("+8613812345678"));
    assert_false(accounts_valid_phone(""));
    assert_false(accounts_valid_phone(NULL));
}

static void test_email(void **state)
{
    char out[300];
    assert_null(accounts_normalize_email("Zhang.Wei@Example.COM", out, sizeof out));
    assert_string_equal(out, "zhang.wei@example.com");
    assert_null(accounts_normalize_email("a+tag@mail.example.cn", out, sizeof out));
    const char *bad[] = { "", "plain", "@example.com", "a@", "a@b", "a@@b.cn", "a b@c.cn",
                          "a@b c.cn", ".a@b.cn", "a.@b.cn", "a..b@c.cn", "a@.b.cn", "a@b.cn.",
                          "a@-b.cn", "a@b-.cn", "a@b..cn", "a\"b@c.cn", "a@b_c.cn", NULL };
    for (int i = 0; bad[i]; i++)
        assert_non_null(accounts_normalize_email(bad[i], out, sizeof out));
    char longone[300];
    memset(longone, 'a', 250);
    memcpy(longone + 250, "@b.cn", 6);
    assert_non_null(accounts_normalize_email(longone, out, sizeof out));
    assert_non_null(accounts_normalize_email("a@b.cn", out, 4));   /* out too small */
}

static void test_password(void **state)
{
    assert_null(accounts_password_problem("secret123"));
    assert_null(accounts_password_problem("密码密码密码12"));
    assert_non_null(accounts_password_problem("secr123"));      /* 7 */
    assert_non_null(accounts_password_problem("secretsecret"));  /* no digit */
    assert_non_null(accounts_password_problem("1234567890"));    /* no letter */
    assert_non_null(accounts_password_problem(""));
    assert_non_null(accounts_password_problem(NULL));
    assert_non_null(accounts_password_problem("abc\xff" "12345"));
}

static void test_name(void **state)
{
    char out[ACCOUNTS_NAME_BYTES];
    assert_null(accounts_clean_name("  张伟 ", out, sizeof out));
    assert_string_equal(out, "张伟");
    assert_non_null(accounts_clean_name("   ", out, sizeof out));
    assert_non_null(accounts_clean_name("", out, sizeof out));
    assert_non_null(accounts_clean_name("a\x01" "b", out, sizeof out));
    char longname[80];
    memset(longname, 'x', 65);
    longname[65] = '\0';
    assert_non_null(accounts_clean_name(longname, out, sizeof out));
    longname[64] = '\0';
    assert_null(accounts_clean_name(longname, out, sizeof out));
}

static void test_login(void **state)
{
    char norm[300];
    assert_int_equal(accounts_classify_login("13812345678", norm, sizeof norm), ACCOUNTS_LOGIN_PHONE);
    assert_string_equal(norm, "13812345678");
    assert_int_equal(accounts_classify_login(" +86 138-1234-5678 ", norm, sizeof norm), ACCOUNTS_LOGIN_PHONE);
    assert_string_equal(norm, "13812345678");
    assert_int_equal(accounts_classify_login("Ops@Example.com", norm, sizeof norm), ACCOUNTS_LOGIN_EMAIL);
    assert_string_equal(norm, "ops@example.com");
    assert_int_equal(accounts_classify_login("Somebody", norm, sizeof norm), ACCOUNTS_LOGIN_UNKNOWN);
    assert_string_equal(norm, "somebody");
    assert_int_equal(accounts_classify_login("+4413812345678", norm, sizeof norm), ACCOUNTS_LOGIN_UNKNOWN);
}

static void test_login_key(void **state)
{
    unsigned char master[PS_PII_KEY_BYTES] = { 1 };
    struct ps_pii_keys k;
    char a[PS_PII_INDEX_LEN + 1], b[PS_PII_INDEX_LEN + 1];
    ps_pii_keys_init(&k, master);
    accounts_login_key(&k, "13812345678", a);
    ps_pii_blind_index(&k, "13812345678", b);
    assert_string_not_equal(a, b);       /* kept apart from the users' phone index */
    accounts_login_key(&k, "13812345678", b);
    assert_string_equal(a, b);
}

static void test_roles(void **state)
{
    assert_true(accounts_is_platform_role("operator"));
    assert_true(accounts_is_platform_role("owner"));
    assert_false(accounts_is_platform_role("technician"));
    assert_true(accounts_is_provider_role("technician"));
    assert_true(accounts_is_provider_role("provider_admin"));
    assert_false(accounts_is_provider_role("operator"));
    assert_false(accounts_is_provider_role("root"));
    assert_false(accounts_is_platform_role(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_password),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_login),
        cmocka_unit_test(test_login_key),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
