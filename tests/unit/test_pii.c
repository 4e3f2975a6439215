/* Unit tests of core/pii.c: key parsing and derivation, sealing, blind indexes, masks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/errors.h"
#include "core/pii.h"

#define MASTER_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define OTHER_HEX  "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void keys(struct ps_pii_keys *k, const char *hex)
{
    unsigned char master[PS_PII_KEY_BYTES];
    assert_int_equal(ps_pii_parse_key(hex, master), 0);
    ps_pii_keys_init(k, master);
}

static void test_parse_key(void **state)
{
    unsigned char m[PS_PII_KEY_BYTES];
    assert_int_equal(ps_pii_parse_key(MASTER_HEX, m), 0);
    assert_int_equal(m[0], 0);
    assert_int_equal(m[31], 0x1f);
    assert_int_equal(ps_pii_parse_key("00", m), PS_E_BAD_REQUEST);
    assert_int_equal(ps_pii_parse_key(NULL, m), PS_E_BAD_REQUEST);
    assert_int_equal(ps_pii_parse_key(MASTER_HEX "00", m), PS_E_BAD_REQUEST);
    assert_int_equal(ps_pii_parse_key("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", m),
                     PS_E_BAD_REQUEST);
}

static void test_derived_keys_differ(void **state)
{
    struct ps_pii_keys k, o;
    keys(&k, MASTER_HEX);
    keys(&o, OTHER_HEX);
    assert_memory_not_equal(k.seal, k.index, PS_PII_KEY_BYTES);
    assert_memory_not_equal(k.seal, o.seal, PS_PII_KEY_BYTES);
}

static void test_seal_open_round_trip(void **state)
{
    struct ps_pii_keys k;
    char sealed[256], sealed2[256], plain[64];
    keys(&k, MASTER_HEX);
    assert_int_equal(ps_pii_seal(&k, "13812345678", sealed, sizeof sealed), 0);
    assert_int_equal(strlen(sealed) + 1, ps_pii_sealed_len(11));
    assert_null(strstr(sealed, "13812345678"));
    for (const char *p = sealed; *p; p++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    assert_int_equal(ps_pii_open(&k, sealed, plain, sizeof plain), 0);
    assert_string_equal(plain, "13812345678");
    /* a fresh nonce each time */
    assert_int_equal(ps_pii_seal(&k, "13812345678", sealed2, sizeof sealed2), 0);
    assert_string_not_equal(sealed, sealed2);
    /* empty values and UTF-8 survive too */
    assert_int_equal(ps_pii_seal(&k, "", sealed, sizeof sealed), 0);
    assert_int_equal(ps_pii_open(&k, sealed, plain, sizeof plain), 0);
    assert_string_equal(plain, "");
    assert_int_equal(ps_pii_seal(&k, "张伟 110101199003074514", sealed, sizeof sealed), 0);
    assert_int_equal(ps_pii_open(&k, sealed, plain, sizeof plain), 0);
    assert_string_equal(plain, "张伟 110101199003074514");
}

static void test_seal_sizes(void **state)
{
    struct ps_pii_keys k;
    char small[20], sealed[128], plain[8];
    keys(&k, MASTER_HEX);
    assert_int_equal(ps_pii_seal(&k, "13812345678", small, sizeof small), PS_E_TOO_LARGE);
    assert_int_equal(ps_pii_seal(&k, "13812345678", sealed, ps_pii_sealed_len(11)), 0);
    assert_int_equal(ps_pii_open(&k, sealed, plain, sizeof plain), PS_E_TOO_LARGE);
}

static void test_tamper_detected(void **state)
{
    struct ps_pii_keys k, o;
    char sealed[256], plain[64];
    keys(&k, MASTER_HEX);
    keys(&o, OTHER_HEX);
    assert_int_equal(ps_pii_seal(&k, "13812345678", sealed, sizeof sealed), 0);
    /* another key */
    assert_int_equal(ps_pii_open(&o, sealed, plain, sizeof plain), PS_E_BAD_REQUEST);
    assert_string_equal(plain, "");
    /* each character flipped in turn */
    size_t n = strlen(sealed);
    for (size_t i = 0; i < n; i++) {
        char copy[256];
        memcpy(copy, sealed, n + 1);
        copy[i] = copy[i] == 'A' ? 'B' : 'A';
        assert_int_not_equal(ps_pii_open(&k, copy, plain, sizeof plain), 0);
    }
    /* truncated, garbage, empty */
    sealed[n - 3] = '\0';
    assert_int_equal(ps_pii_open(&k, sealed, plain, sizeof plain), PS_E_BAD_REQUEST);
    assert_int_equal(ps_pii_open(&k, "not base64 !!", plain, sizeof plain), PS_E_BAD_REQUEST);
    assert_int_equal(ps_pii_open(&k, "", plain, sizeof plain), PS_E_BAD_REQUEST);
}

static void test_blind_index(void **state)
{
    struct ps_pii_keys k, o;
    char a[PS_PII_INDEX_LEN + 1], b[PS_PII_INDEX_LEN + 1], c[PS_PII_INDEX_LEN + 1];
    keys(&k, MASTER_HEX);
    keys(&o, OTHER_HEX);
    ps_pii_blind_index(&k, "13812345678", a);
    ps_pii_blind_index(&k, "13812345678", b);
    assert_int_equal(strlen(a), PS_PII_INDEX_LEN);
    assert_string_equal(a, b);
    ps_pii_blind_index(&k, "13812345679", c);
    assert_string_not_equal(a, c);
    ps_pii_blind_index(&o, "13812345678", c);
    assert_string_not_equal(a, c);
    /* keyed: not the plain unkeyed hash */
    unsigned char d[32];
    char hex[65];
    crypto_generichash(d, sizeof d, (const unsigned char *)"13812345678", 11, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    assert_string_not_equal(a, hex);
}

static void test_masks(void **state)
{
    char out[64];
    ps_mask_phone("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    ps_mask_phone("+8613812345678", out, sizeof out);
    assert_string_equal(out, "+86*******5678");
    ps_mask_phone("1234567", out, sizeof out);
    assert_string_equal(out, "*******");
    ps_mask_phone("", out, sizeof out);
    assert_string_equal(out, "");
    ps_mask_phone("13812345678", out, 5);        /* too small: empty, never a partial value */
    assert_string_equal(out, "");

    ps_mask_id_number("110101199003074514", out, sizeof out);
    assert_string_equal(out, "1101**********4514");
    ps_mask_id_number("12345678", out, sizeof out);
    assert_string_equal(out, "********");

    ps_mask_email("zhang.wei@example.com", out, sizeof out);
    assert_string_equal(out, "z***@example.com");
    ps_mask_email("a@b.cn", out, sizeof out);
    assert_string_equal(out, "a***@b.cn");
    ps_mask_email("@b.cn", out, sizeof out);
    assert_string_equal(out, "***@b.cn");
    ps_mask_email("no-at-sign", out, sizeof out);
    assert_string_equal(out, "***");
    ps_mask_email("张三@例子.中国", out, sizeof out);
    assert_string_equal(out, "张***@例子.中国");
    ps_mask_email("zhang.wei@example.com", out, 8);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_key),
        cmocka_unit_test(test_derived_keys_differ),
        cmocka_unit_test(test_seal_open_round_trip),
        cmocka_unit_test(test_seal_sizes),
        cmocka_unit_test(test_tamper_detected),
        cmocka_unit_test(test_blind_index),
        cmocka_unit_test(test_masks),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
