/* Webhook signatures (SPEC §6): header `Pitstop-Signature: t=<unix seconds>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, "<t>.<raw body>"). Pure functions over libsodium. */
#ifndef PS_PAYMENTS_SIGNATURE_H
#define PS_PAYMENTS_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#define SIGNATURE_TOLERANCE_S 300        /* |now - t| above this is refused */
#define SIGNATURE_HEADER_MAX  256        /* longest header value we format or parse */

/* Lower-case hex HMAC-SHA256 of "<t>.<body>" under secret, into hex (65 bytes). */
void signature_compute(const char *secret, int64_t t, const void *body, size_t len,
                       char hex[65]);
/* The whole header value "t=...,v1=..." into out. Returns 0 or PS_E_INTERNAL if it does not fit. */
int signature_header(const char *secret, int64_t t, const void *body, size_t len,
                     char *out, size_t outlen);
/* Check a header value against the body: well formed, t within SIGNATURE_TOLERANCE_S of
 * now_s, and one of its v1 values equal (constant time) to the expected HMAC.
 * Returns 0 or PS_E_BAD_REQUEST; *why (may be NULL) gets a short reason for the problem detail. */
int signature_verify(const char *secret, const char *header, const void *body, size_t len,
                     int64_t now_s, const char **why);

#endif
