/* HMAC-SHA256 webhook signatures: computing them (the sandbox gateway signs what it sends)
 * and checking them (the webhook route). Comparison is constant time. */
#include "payments/signature.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/errors.h"

static void hmac(const char *secret, int64_t t, const void *body, size_t len,
                 unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    char prefix[32];
    int n = snprintf(prefix, sizeof prefix, "%" PRId64 ".", t);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix, (unsigned long long)n);
    if (len)
        crypto_auth_hmacsha256_update(&st, body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
}

void signature_compute(const char *secret, int64_t t, const void *body, size_t len, char hex[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    hmac(secret, t, body, len, mac);
    sodium_bin2hex(hex, 65, mac, sizeof mac);
}

int signature_header(const char *secret, int64_t t, const void *body, size_t len, char *out,
                     size_t outlen)
{
    char hex[65];
    signature_compute(secret, t, body, len, hex);
    int n = snprintf(out, outlen, "t=%" PRId64 ",v1=%s", t, hex);
    return n > 0 && (size_t)n < outlen ? 0 : PS_E_INTERNAL;
}

/* Parse an unsigned decimal of at most 12 digits (seconds until year 33658). */
static bool parse_seconds(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 12)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int signature_verify(const char *secret, const char *header, const void *body, size_t len,
                     int64_t now_s, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!header || !*header) {
        *why = "missing Pitstop-Signature header";
        return PS_E_BAD_REQUEST;
    }
    if (strlen(header) > SIGNATURE_HEADER_MAX) {
        *why = "Pitstop-Signature header too long";
        return PS_E_BAD_REQUEST;
    }
    /* Collect t and up to four v1 candidates (several during a secret rotation). */
    bool have_t = false;
    int64_t t = 0;
    unsigned char cand[4][crypto_auth_hmacsha256_BYTES];
    int ncand = 0;
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *item = p;
        while (*p && *p != ',')
            p++;
        size_t n = (size_t)(p - item);
        while (n && item[n - 1] == ' ')
            n--;
        const char *eq = memchr(item, '=', n);
        if (!eq) {
            *why = "malformed Pitstop-Signature header";
            return PS_E_BAD_REQUEST;
        }
        size_t klen = (size_t)(eq - item);
        const char *val = eq + 1;
        size_t vlen = n - klen - 1;
        if (klen == 1 && item[0] == 't') {
            if (have_t || !parse_seconds(val, vlen, &t)) {
                *why = "malformed timestamp in Pitstop-Signature";
                return PS_E_BAD_REQUEST;
            }
            have_t = true;
        } else if (klen == 2 && item[0] == 'v' && item[1] == '1') {
            size_t got = 0;
            if (ncand < 4 && vlen == 2 * crypto_auth_hmacsha256_BYTES &&
                sodium_hex2bin(cand[ncand], sizeof cand[ncand], val, vlen, NULL, &got, NULL) == 0 &&
                got == crypto_auth_hmacsha256_BYTES)
                ncand++;
        }
        /* other schemes (v0, future versions) are ignored */
    }
    if (!have_t || ncand == 0) {
        *why = "Pitstop-Signature needs t= and v1=";
        return PS_E_BAD_REQUEST;
    }
    if (t > now_s + SIGNATURE_TOLERANCE_S || t < now_s - SIGNATURE_TOLERANCE_S) {
        *why = "signature timestamp outside the tolerance";
        return PS_E_BAD_REQUEST;
    }
    unsigned char want[crypto_auth_hmacsha256_BYTES];
    hmac(secret, t, body, len, want);
    bool ok = false;
    for (int i = 0; i < ncand; i++)
        ok |= sodium_memcmp(want, cand[i], sizeof want) == 0;   /* no early exit */
    if (!ok) {
        *why = "signature does not match";
        return PS_E_BAD_REQUEST;
    }
    return 0;
}
