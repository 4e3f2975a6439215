/* Credentials: password hashing (argon2id) and access tokens (JWT HS256 with a kid).
 * Nothing here touches HTTP or SQL; accounts/ builds the flows on top. */
#ifndef PS_AUTH_H
#define PS_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"

/* --- passwords -------------------------------------------------------------------- */

#define PS_PASSWORD_HASH_MAX 128   /* crypto_pwhash_STRBYTES */

/* argon2id with OWASP's parameters (t=2, m=19 MiB, p=1), as a PHC string in out.
 * Returns 0 or PS_E_NOMEM. */
int ps_password_hash(const char *password, char out[PS_PASSWORD_HASH_MAX]);
/* Constant-time check of password against a stored PHC string. */
bool ps_password_verify(const char *stored_hash, const char *password);
/* A hash of a random password, for checking against when the login is unknown so that
 * unknown and known logins take the same time. Computed once, thread-safe. */
const char *ps_password_dummy_hash(void);

/* --- access tokens ----------------------------------------------------------------- */

#define PS_JWT_MAX_KEYS 4
#define PS_JWT_KID_LEN 16

/* The signing keys. keys[0] signs new tokens; all of them verify (key rotation). */
struct ps_jwt_keyring {
    struct { char kid[PS_JWT_KID_LEN + 1]; unsigned char secret[64]; size_t secret_len; } keys[PS_JWT_MAX_KEYS];
    int n;
};

/* spec is either one secret ("s3cr3t...") or a rotation list "kid1:secret1,kid0:secret0"
 * (first entry signs). A lone secret gets kid = first 8 hex chars of SHA-256(secret).
 * Secrets shorter than 32 bytes are refused (PS_E_BAD_REQUEST). */
int ps_jwt_keyring_init(struct ps_jwt_keyring *kr, const char *spec);

struct ps_claims {
    char sub[64];
    char jti[64];
    int64_t iat, exp;                  /* seconds since the epoch */
    char roles[PS_MAX_ROLES][PS_MAX_ROLE_LEN];
    int nroles;
};

/* Issue a token for c (sub, roles; iat/exp/jti are filled in here from now and ttl_s and
 * written back into c). *out is malloc'ed: caller frees with free(). */
int ps_jwt_issue(const struct ps_jwt_keyring *kr, struct ps_claims *c, int64_t now,
                 int ttl_s, char **out);
/* Verify: header alg must be exactly HS256 and kid must name a key of the ring; signature,
 * exp (and iat not in the future by more than 60 s) must hold. Anything else
 * (alg none/RS256/..., bad base64, bad JSON, unknown kid, expired) -> PS_E_BAD_TOKEN. */
int ps_jwt_verify(const struct ps_jwt_keyring *kr, const char *token, int64_t now,
                  struct ps_claims *out);
bool ps_claims_has_role(const struct ps_claims *c, const char *role);

/* --- opaque tokens ----------------------------------------------------------------- */

/* A random 256-bit token as 43 base64url characters (refresh tokens, device tokens). */
#define PS_TOKEN_LEN 43
void ps_token_new(char out[PS_TOKEN_LEN + 1]);
/* SHA-256 of a token as 64 hex chars: what the database stores instead of the token. */
void ps_token_hash(const char *token, char out[65]);

#endif
