/* Unit tests of core/auth.c: password hashes, keyrings, access tokens (including the forged
 * ones an attacker would try) and opaque tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/auth.h"
#include "core/errors.h"

#define SECRET_A "0123456789abcdef0123456789abcdef-key-a"
#define SECRET_B "fedcba9876543210fedcba9876543210-key-b"
#define NOW ((int64_t)1790000000)

/* --- helpers to forge tokens by hand ---------------------------------------------- */

static void b64url(const void *data, size_t n, char *out, size_t outlen)
{
    sodium_bin2base64(out, outlen, data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* header.payload.signature, signed with HMAC-SHA256 under key (or an empty or junk
 * signature when key is NULL). */
static char *forge(const char *header, const char *payload, const char *key)
{
    char h[512], p[1024], sig[64] = "";
    b64url(header, strlen(header), h, sizeof h);
    b64url(payload, strlen(payload), p, sizeof p);
    size_t signed_len = strlen(h) + 1 + strlen(p);
    char *signing = malloc(signed_len + 1);
    snprintf(signing, signed_len + 1, "%s.%s", h, p);
    if (key) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)signing, signed_len);
        crypto_auth_hmacsha256_final(&st, mac);
        b64url(mac, sizeof mac, sig, sizeof sig);
    }
    size_t out_len = signed_len + 2 + strlen(sig);
    char *out = malloc(out_len);
    snprintf(out, out_len, "%s.%s", signing, sig);
    free(signing);
    return out;
}

static const char *kid_of(const char *secret, char kid[9])
{
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256(d, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    memcpy(kid, hex, 8);
    kid[8] = '\0';
    return kid;
}

static char *issue(const struct ps_jwt_keyring *kr, int64_t now, int ttl)
{
    struct ps_claims c = { .nroles = 2 };
    char *tok = NULL;
    snprintf(c.sub, sizeof c.sub, "user-1");
    snprintf(c.roles[0], sizeof c.roles[0], "owner");
    snprintf(c.roles[1], sizeof c.roles[1], "operator");
    assert_int_equal(ps_jwt_issue(kr, &c, now, ttl, &tok), 0);
    assert_non_null(tok);
    assert_int_equal(c.iat, now);
    assert_int_equal(c.exp, now + ttl);
    assert_true(c.jti[0]);
    return tok;
}

/* --- passwords -------------------------------------------------------------------- */

static void test_password_hash_and_verify(void **state)
{
    char h[PS_PASSWORD_HASH_MAX];
    assert_int_equal(ps_password_hash("secret123", h), 0);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_non_null(strstr(h, "m=19456,t=2,p=1"));
    assert_true(ps_password_verify(h, "secret123"));
    assert_false(ps_password_verify(h, "secret124"));
    assert_false(ps_password_verify("garbage", "secret123"));
    assert_false(ps_password_verify(NULL, "secret123"));
}

static void test_dummy_hash(void **state)
{
    const char *d = ps_password_dummy_hash();
    assert_non_null(strstr(d, "$argon2id$"));
    assert_ptr_equal(d, ps_password_dummy_hash());      /* computed once */
    assert_false(ps_password_verify(d, ""));
    assert_false(ps_password_verify(d, "secret123"));
}

/* --- keyring ---------------------------------------------------------------------- */

static void test_keyring_specs(void **state)
{
    struct ps_jwt_keyring kr;
    char kid[9];
    assert_int_equal(ps_jwt_keyring_init(&kr, SECRET_A), 0);
    assert_int_equal(kr.n, 1);
    assert_string_equal(kr.keys[0].kid, kid_of(SECRET_A, kid));
    assert_int_equal(kr.keys[0].secret_len, strlen(SECRET_A));

    assert_int_equal(ps_jwt_keyring_init(&kr, "k2:" SECRET_B ",k1:" SECRET_A), 0);
    assert_int_equal(kr.n, 2);
    assert_string_equal(kr.keys[0].kid, "k2");
    assert_string_equal(kr.keys[1].kid, "k1");
    assert_memory_equal(kr.keys[1].secret, SECRET_A, strlen(SECRET_A));

    assert_int_equal(ps_jwt_keyring_init(&kr, "only:" SECRET_A), 0);
    assert_string_equal(kr.keys[0].kid, "only");

    assert_int_equal(ps_jwt_keyring_init(&kr, "short"), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, ""), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, NULL), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, "k1:tooshort"), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, "k1:" SECRET_A ",k1:" SECRET_B), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, "k1:" SECRET_A ","), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, SECRET_A "," SECRET_B), PS_E_BAD_REQUEST);
    assert_int_equal(ps_jwt_keyring_init(&kr, "a:" SECRET_A ",b:" SECRET_A ",c:" SECRET_A
                                              ",d:" SECRET_A ",e:" SECRET_A), PS_E_BAD_REQUEST);
}

/* Secrets longer than the HMAC block (like the 96 hex characters the config generates)
 * must sign exactly as the full secret would. */
static void test_long_secret(void **state)
{
    const char *secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
                         "00112233445566778899aabbccddeeff";
    struct ps_jwt_keyring kr;
    struct ps_claims c;
    char kid[9], hdr[128], payload[256];
    assert_int_equal(ps_jwt_keyring_init(&kr, secret), 0);
    assert_string_equal(kr.keys[0].kid, kid_of(secret, kid));
    snprintf(hdr, sizeof hdr, "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kid);
    snprintf(payload, sizeof payload, "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld}",
             (long long)NOW, (long long)NOW + 900);
    char *t = forge(hdr, payload, secret);
    assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), 0);
    assert_string_equal(c.sub, "u1");
    free(t);
    char *mine = issue(&kr, NOW, 60);
    assert_int_equal(ps_jwt_verify(&kr, mine, NOW, &c), 0);
    free(mine);
}

/* --- access tokens ---------------------------------------------------------------- */

static void test_issue_and_verify(void **state)
{
    struct ps_jwt_keyring kr;
    struct ps_claims c;
    assert_int_equal(ps_jwt_keyring_init(&kr, SECRET_A), 0);
    char *tok = issue(&kr, NOW, 900);
    assert_int_equal(ps_jwt_verify(&kr, tok, NOW + 10, &c), 0);
    assert_string_equal(c.sub, "user-1");
    assert_int_equal(c.nroles, 2);
    assert_true(ps_claims_has_role(&c, "owner"));
    assert_true(ps_claims_has_role(&c, "operator"));
    assert_false(ps_claims_has_role(&c, "reviewer"));
    assert_int_equal(c.iat, NOW);
    assert_int_equal(c.exp, NOW + 900);
    assert_true(strlen(c.jti) > 0);
    /* expired, and exactly at expiry */
    assert_int_equal(ps_jwt_verify(&kr, tok, NOW + 900, &c), PS_E_BAD_TOKEN);
    assert_int_equal(ps_jwt_verify(&kr, tok, NOW + 5000, &c), PS_E_BAD_TOKEN);
    /* issued in the future beyond the allowed skew */
    assert_int_equal(ps_jwt_verify(&kr, tok, NOW - 61, &c), PS_E_BAD_TOKEN);
    assert_int_equal(ps_jwt_verify(&kr, tok, NOW - 59, &c), 0);
    free(tok);
}

static void test_rotation(void **state)
{
    struct ps_jwt_keyring old_ring, new_ring, other;
    struct ps_claims c;
    assert_int_equal(ps_jwt_keyring_init(&old_ring, "k1:" SECRET_A), 0);
    assert_int_equal(ps_jwt_keyring_init(&new_ring, "k2:" SECRET_B ",k1:" SECRET_A), 0);
    assert_int_equal(ps_jwt_keyring_init(&other, "k2:" SECRET_B), 0);
    char *old_tok = issue(&old_ring, NOW, 900);
    char *new_tok = issue(&new_ring, NOW, 900);
    assert_int_equal(ps_jwt_verify(&new_ring, old_tok, NOW, &c), 0);   /* old kid still verifies */
    assert_int_equal(ps_jwt_verify(&new_ring, new_tok, NOW, &c), 0);
    assert_int_equal(ps_jwt_verify(&old_ring, new_tok, NOW, &c), PS_E_BAD_TOKEN);  /* kid k2 unknown */
    assert_int_equal(ps_jwt_verify(&other, old_tok, NOW, &c), PS_E_BAD_TOKEN);     /* k1 retired */
    free(old_tok);
    free(new_tok);
}

static void test_forged_tokens(void **state)
{
    struct ps_jwt_keyring kr;
    struct ps_claims c;
    char kid[9], hdr[128], payload[256];
    assert_int_equal(ps_jwt_keyring_init(&kr, SECRET_A), 0);
    kid_of(SECRET_A, kid);
    snprintf(payload, sizeof payload,
             "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld,\"roles\":[\"owner\",\"operator\"]}",
             (long long)NOW, (long long)NOW + 900);

    /* the control: a hand-made token signed properly verifies */
    snprintf(hdr, sizeof hdr, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", kid);
    char *t = forge(hdr, payload, SECRET_A);
    assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), 0);
    assert_true(ps_claims_has_role(&c, "operator"));
    free(t);

    const char *bad_headers[] = {
        "{\"alg\":\"none\",\"kid\":\"%s\"}",
        "{\"alg\":\"None\",\"kid\":\"%s\"}",
        "{\"alg\":\"RS256\",\"kid\":\"%s\"}",
        "{\"alg\":\"HS512\",\"kid\":\"%s\"}",
        "{\"alg\":\"hs256\",\"kid\":\"%s\"}",
        "{\"alg\":\"HS256\",\"kid\":\"nope%s\"}",
        "{\"alg\":\"HS256\",\"x\":\"%s\"}",                      /* no kid */
        "{\"alg\":\"HS256\",\"alg\":\"none\",\"kid\":\"%s\"}",   /* duplicate member */
        "[\"HS256\",\"%s\"]",
        "{\"alg\":\"HS256\",\"kid\":\"%s\",\"crit\":[\"b64\"]}",
    };
    for (size_t i = 0; i < sizeof bad_headers / sizeof bad_headers[0]; i++) {
        snprintf(hdr, sizeof hdr, bad_headers[i], kid);
        t = forge(hdr, payload, SECRET_A);
        assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), PS_E_BAD_TOKEN);
        free(t);
        t = forge(hdr, payload, NULL);     /* and unsigned */
        assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), PS_E_BAD_TOKEN);
        free(t);
    }

    /* right header, wrong key */
    snprintf(hdr, sizeof hdr, "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kid);
    t = forge(hdr, payload, SECRET_B);
    assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), PS_E_BAD_TOKEN);
    free(t);

    /* tampered payload: sign one, swap in another */
    t = forge(hdr, payload, SECRET_A);
    char *sig = strrchr(t, '.');
    char other_payload[256], p64[512];
    snprintf(other_payload, sizeof other_payload,
             "{\"sub\":\"u2\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld,\"roles\":[\"owner\"]}",
             (long long)NOW, (long long)NOW + 900);
    b64url(other_payload, strlen(other_payload), p64, sizeof p64);
    char swapped[2048];
    const char *dot = strchr(t, '.');
    snprintf(swapped, sizeof swapped, "%.*s.%s%s", (int)(dot - t), t, p64, sig);
    assert_int_equal(ps_jwt_verify(&kr, swapped, NOW, &c), PS_E_BAD_TOKEN);
    /* flipped signature character */
    size_t last = strlen(t) - 2;
    t[last] = t[last] == 'A' ? 'B' : 'A';
    assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), PS_E_BAD_TOKEN);
    free(t);

    /* claims that are wrong even when signed */
    const char *bad_payloads[] = {
        "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld,\"roles\":\"owner\"}",
        "{\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld}",
        "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":\"%lld\"}",
        "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld,\"roles\":[1]}",
        "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld,\"roles\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]}",
    };
    for (size_t i = 0; i < sizeof bad_payloads / sizeof bad_payloads[0]; i++) {
        snprintf(payload, sizeof payload, bad_payloads[i], (long long)NOW, (long long)NOW + 900);
        t = forge(hdr, payload, SECRET_A);
        assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), PS_E_BAD_TOKEN);
        free(t);
    }
    /* expired though signed with the right key */
    snprintf(payload, sizeof payload, "{\"sub\":\"u1\",\"jti\":\"j1\",\"iat\":%lld,\"exp\":%lld}",
             (long long)NOW - 2000, (long long)NOW - 1100);
    t = forge(hdr, payload, SECRET_A);
    assert_int_equal(ps_jwt_verify(&kr, t, NOW, &c), PS_E_BAD_TOKEN);
    free(t);
}

static void test_garbage_tokens(void **state)
{
    struct ps_jwt_keyring kr;
    struct ps_claims c;
    assert_int_equal(ps_jwt_keyring_init(&kr, SECRET_A), 0);
    const char *garbage[] = {
        "", ".", "..", "...", "a.b.c", "a.b", "abc", "a.b.c.d",
        "eyJhbGciOiJIUzI1NiJ9..", "!!!.???.***", "eyJhbGciOiJIUzI1NiJ9.e30.",
    };
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
        assert_int_equal(ps_jwt_verify(&kr, garbage[i], NOW, &c), PS_E_BAD_TOKEN);
    assert_int_equal(ps_jwt_verify(&kr, NULL, NOW, &c), PS_E_BAD_TOKEN);

    char *huge = malloc(20000);
    memset(huge, 'a', 19999);
    huge[19999] = '\0';
    assert_int_equal(ps_jwt_verify(&kr, huge, NOW, &c), PS_E_BAD_TOKEN);
    free(huge);
}

/* --- opaque tokens ---------------------------------------------------------------- */

static void test_opaque_tokens(void **state)
{
    char a[PS_TOKEN_LEN + 1], b[PS_TOKEN_LEN + 1], ha[65], hb[65];
    ps_token_new(a);
    ps_token_new(b);
    assert_int_equal(strlen(a), PS_TOKEN_LEN);
    assert_string_not_equal(a, b);
    for (const char *p = a; *p; p++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    ps_token_hash(a, ha);
    ps_token_hash(b, hb);
    assert_int_equal(strlen(ha), 64);
    assert_string_not_equal(ha, hb);
    ps_token_hash("abc", ha);
    assert_string_equal(ha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_hash_and_verify),
        cmocka_unit_test(test_dummy_hash),
        cmocka_unit_test(test_keyring_specs),
        cmocka_unit_test(test_long_secret),
        cmocka_unit_test(test_issue_and_verify),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_forged_tokens),
        cmocka_unit_test(test_garbage_tokens),
        cmocka_unit_test(test_opaque_tokens),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
