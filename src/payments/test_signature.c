/* Unit tests of webhook signatures: a known HMAC vector, round trips, tolerance, tampering
 * and malformed headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/errors.h"
#include "payments/signature.h"

static void test_known_vector(void **state)
{
    /* The streamed HMAC equals the one-shot HMAC over "<t>.<body>". */
    const char *secret = "whsec_test_secret_0123456789abcdef";
    const char *body = "{\"id\":\"evt_1\"}";
    char hex[65];
    signature_compute(secret, 1700000000, body, strlen(body), hex);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    const char *msg = "1700000000.{\"id\":\"evt_1\"}";
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
    crypto_auth_hmacsha256_final(&st, mac);
    char want[65];
    sodium_bin2hex(want, sizeof want, mac, sizeof mac);
    assert_string_equal(hex, want);
}

static void test_fixed_vector(void **state)
{
    /* Computed independently (Python's hmac module) for key "Jefe" and the message
     * "1700000000.what do ya want for nothing?". */
    char hex[65];
    const char *body = "what do ya want for nothing?";
    signature_compute("Jefe", 1700000000, body, strlen(body), hex);
    assert_string_equal(hex, "1cdd0650c8be1cb0974b1788d458b1e781206cfef59b85faafc582d2e182c57e");
}

static void test_round_trip(void **state)
{
    const char *secret = "s3cret";
    const char *body = "{\"a\":1}";
    char h[SIGNATURE_HEADER_MAX];
    assert_int_equal(signature_header(secret, 1000, body, strlen(body), h, sizeof h), 0);
    assert_int_equal(signature_verify(secret, h, body, strlen(body), 1000, NULL), 0);
    assert_int_equal(signature_verify(secret, h, body, strlen(body), 1300, NULL), 0);
    assert_int_equal(signature_verify(secret, h, body, strlen(body), 700, NULL), 0);
    const char *why = NULL;
    assert_int_equal(signature_verify(secret, h, body, strlen(body), 1301, &why), PS_E_BAD_REQUEST);
    assert_non_null(strstr(why, "tolerance"));
    assert_int_equal(signature_verify(secret, h, body, strlen(body), 699, NULL), PS_E_BAD_REQUEST);
    /* tampered body, wrong secret */
    assert_int_equal(signature_verify(secret, h, "{\"a\":2}", 7, 1000, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify("other", h, body, strlen(body), 1000, NULL), PS_E_BAD_REQUEST);
    /* empty body signs too */
    assert_int_equal(signature_header(secret, 5, "", 0, h, sizeof h), 0);
    assert_int_equal(signature_verify(secret, h, "", 0, 5, NULL), 0);
}

static void test_header_forms(void **state)
{
    const char *secret = "k";
    char hex[65];
    signature_compute(secret, 42, "b", 1, hex);
    char h[300];
    /* spaces, other schemes and several v1 values are accepted */
    snprintf(h, sizeof h, "t=42, v0=abc, v1=%064d, v1=%s", 0, hex);
    assert_int_equal(signature_verify(secret, h, "b", 1, 42, NULL), 0);
    snprintf(h, sizeof h, "v1=%s,t=42", hex);
    assert_int_equal(signature_verify(secret, h, "b", 1, 42, NULL), 0);
    /* upper-case hex decodes to the same bytes */
    for (char *p = hex; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    snprintf(h, sizeof h, "t=42,v1=%s", hex);
    assert_int_equal(signature_verify(secret, h, "b", 1, 42, NULL), 0);
}

static void test_malformed(void **state)
{
    const char *s = "k";
    assert_int_equal(signature_verify(s, NULL, "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "t=42", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "v1=00", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "t=4x2,v1=00", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "t=-42,v1=00", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "t=,v1=00", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "t=1,t=2,v1=00", "b", 1, 1, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "garbage", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(signature_verify(s, "t=9999999999999999999,v1=00", "b", 1, 42, NULL),
                     PS_E_BAD_REQUEST);
    char longh[400];
    memset(longh, 'a', sizeof longh - 1);
    longh[sizeof longh - 1] = '\0';
    assert_int_equal(signature_verify(s, longh, "b", 1, 42, NULL), PS_E_BAD_REQUEST);
    /* v1 of the wrong length or not hex is skipped, leaving no candidate */
    assert_int_equal(signature_verify(s, "t=42,v1=zz", "b", 1, 42, NULL), PS_E_BAD_REQUEST);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vector),
        cmocka_unit_test(test_fixed_vector),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_header_forms),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
