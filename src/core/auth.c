/* Credentials: argon2id password hashes (libsodium), HS256 access tokens (libjwt) and
 * opaque random tokens. Token verification never lets the token choose how it is checked:
 * the header is decoded and judged here first (alg must be exactly HS256, kid must name one
 * of our keys), the signature is checked in constant time with that key, and only then is
 * libjwt asked to decode it. */
#include "core/auth.h"

#include <jansson.h>
#include <jwt.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/id.h"

#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19u * 1024u * 1024u)
#define JWT_MAX_TOKEN 8192          /* longer tokens are refused before any parsing */
#define JWT_MIN_SECRET 32
#define JWT_IAT_SKEW_S 60

/* --- passwords -------------------------------------------------------------------- */

/* argon2id takes 19 MiB for each hash being computed: without a bound, a burst of logins on
 * 64 connections holds 1.2 GB. At most PS_MAX_PASSWORD_HASHES run at once; the others wait
 * their turn (a login is slow by design anyway). */
static pthread_mutex_t pwhash_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pwhash_free = PTHREAD_COND_INITIALIZER;
static int pwhash_running;

static void pwhash_enter(void)
{
    pthread_mutex_lock(&pwhash_lock);
    while (pwhash_running >= PS_MAX_PASSWORD_HASHES)
        pthread_cond_wait(&pwhash_free, &pwhash_lock);
    pwhash_running++;
    pthread_mutex_unlock(&pwhash_lock);
}

static void pwhash_leave(void)
{
    pthread_mutex_lock(&pwhash_lock);
    pwhash_running--;
    pthread_cond_signal(&pwhash_free);
    pthread_mutex_unlock(&pwhash_lock);
}

int ps_password_hash(const char *password, char out[PS_PASSWORD_HASH_MAX])
{
    if (sodium_init() < 0)
        return PS_E_INTERNAL;
    pwhash_enter();
    int rc = crypto_pwhash_str_alg(out, password, strlen(password), PWHASH_OPSLIMIT,
                                   PWHASH_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
    pwhash_leave();
    return rc == 0 ? 0 : PS_E_NOMEM;
}

bool ps_password_verify(const char *stored_hash, const char *password)
{
    if (!stored_hash || !password || sodium_init() < 0)
        return false;
    pwhash_enter();
    bool ok = crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
    pwhash_leave();
    return ok;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PS_PASSWORD_HASH_MAX];

static void dummy_make(void)
{
    unsigned char raw[16];
    char pw[33];
    if (sodium_init() < 0)
        return;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
    if (ps_password_hash(pw, dummy_hash) != 0)
        dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof pw);
}

const char *ps_password_dummy_hash(void)
{
    pthread_once(&dummy_once, dummy_make);
    return dummy_hash;
}

/* --- keyring ---------------------------------------------------------------------- */

static bool kid_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_' || ch == '.';
}

/* Length of a kid prefix ending in ':' at s, or 0 when s does not start with one. */
static size_t kid_prefix_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i <= PS_JWT_KID_LEN && kid_char(s[i]))
        i++;
    return (i > 0 && i <= PS_JWT_KID_LEN && i < n && s[i] == ':') ? i : 0;
}

static int keyring_add(struct ps_jwt_keyring *kr, const char *kid, size_t kid_len,
                       const char *secret, size_t secret_len)
{
    if (kr->n >= PS_JWT_MAX_KEYS || secret_len < JWT_MIN_SECRET || kid_len == 0 ||
        kid_len > PS_JWT_KID_LEN)
        return PS_E_BAD_REQUEST;
    for (int i = 0; i < kr->n; i++) {
        if (strlen(kr->keys[i].kid) == kid_len && memcmp(kr->keys[i].kid, kid, kid_len) == 0)
            return PS_E_BAD_REQUEST;   /* the same kid twice would make verification ambiguous */
    }
    memcpy(kr->keys[kr->n].kid, kid, kid_len);
    kr->keys[kr->n].kid[kid_len] = '\0';
    if (secret_len > sizeof kr->keys[0].secret) {
        /* HMAC (RFC 2104) hashes a key longer than the 64-byte block before use, so keeping
         * SHA-256(secret) signs and verifies exactly as the full secret would. */
        crypto_hash_sha256(kr->keys[kr->n].secret, (const unsigned char *)secret, secret_len);
        kr->keys[kr->n].secret_len = crypto_hash_sha256_BYTES;
    } else {
        memcpy(kr->keys[kr->n].secret, secret, secret_len);
        kr->keys[kr->n].secret_len = secret_len;
    }
    kr->n++;
    return 0;
}

int ps_jwt_keyring_init(struct ps_jwt_keyring *kr, const char *spec)
{
    memset(kr, 0, sizeof *kr);
    if (!spec || !*spec || sodium_init() < 0)
        return PS_E_BAD_REQUEST;

    size_t total = strlen(spec);
    /* A lone secret: the whole spec, unless it is a single "kid:secret" entry. */
    if (!strchr(spec, ',') && kid_prefix_len(spec, total) == 0) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];
        crypto_hash_sha256(digest, (const unsigned char *)spec, total);
        sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
        return keyring_add(kr, hex, 8, spec, total);
    }

    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t kid_len = kid_prefix_len(p, n);
        int rc = kid_len ? keyring_add(kr, p, kid_len, p + kid_len + 1, n - kid_len - 1)
                         : PS_E_BAD_REQUEST;
        if (rc != 0) {
            sodium_memzero(kr, sizeof *kr);
            return rc;
        }
        if (!end)
            break;
        p = end + 1;
        if (!*p) {                     /* a trailing comma is a typo, not an empty key */
            sodium_memzero(kr, sizeof *kr);
            return PS_E_BAD_REQUEST;
        }
    }
    return kr->n > 0 ? 0 : PS_E_BAD_REQUEST;
}

/* --- issuing ---------------------------------------------------------------------- */

int ps_jwt_issue(const struct ps_jwt_keyring *kr, struct ps_claims *c, int64_t now,
                 int ttl_s, char **out)
{
    *out = NULL;
    if (!kr || kr->n < 1 || !c->sub[0] || c->nroles < 0 || c->nroles > PS_MAX_ROLES || ttl_s <= 0)
        return PS_E_INTERNAL;

    c->iat = now;
    c->exp = now + ttl_s;
    ps_id_new(c->jti);

    json_t *roles = json_array();
    json_t *wrap = json_object();
    if (!roles || !wrap) {
        json_decref(roles);
        json_decref(wrap);
        return PS_E_NOMEM;
    }
    for (int i = 0; i < c->nroles; i++)
        json_array_append_new(roles, json_string(c->roles[i]));
    json_object_set_new(wrap, "roles", roles);
    char *roles_json = json_dumps(wrap, JSON_COMPACT);
    json_decref(wrap);
    if (!roles_json)
        return PS_E_NOMEM;

    jwt_t *jwt = NULL;
    int rc = PS_E_NOMEM;
    if (jwt_new(&jwt) != 0)
        goto out;
    if (jwt_add_grant(jwt, "sub", c->sub) || jwt_add_grant(jwt, "jti", c->jti) ||
        jwt_add_grant_int(jwt, "iat", (long)c->iat) || jwt_add_grant_int(jwt, "exp", (long)c->exp) ||
        jwt_add_grants_json(jwt, roles_json) || jwt_add_header(jwt, "kid", kr->keys[0].kid) ||
        jwt_set_alg(jwt, JWT_ALG_HS256, kr->keys[0].secret, (int)kr->keys[0].secret_len))
        goto out;
    *out = jwt_encode_str(jwt);
    rc = *out ? 0 : PS_E_NOMEM;
out:
    jwt_free(jwt);
    free(roles_json);
    return rc;
}

/* --- verifying -------------------------------------------------------------------- */

/* Decodes one base64url part (no padding) into a fresh NUL-terminated buffer. */
static unsigned char *b64url_decode(const char *s, size_t n, size_t *len_out)
{
    unsigned char *buf = malloc(n + 1);
    size_t len = 0;
    if (!buf)
        return NULL;
    if (sodium_base642bin(buf, n, s, n, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

/* Index of the key named by the header's kid, after insisting on alg "HS256"; -1 otherwise. */
static int header_key(const struct ps_jwt_keyring *kr, const char *hdr, size_t hdr_len)
{
    size_t len = 0;
    unsigned char *raw = b64url_decode(hdr, hdr_len, &len);
    if (!raw)
        return -1;
    json_error_t jerr;
    json_t *h = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, &jerr);
    free(raw);
    int found = -1;
    const char *alg = json_string_value(json_object_get(h, "alg"));
    const char *kid = json_string_value(json_object_get(h, "kid"));
    if (json_is_object(h) && alg && strcmp(alg, "HS256") == 0 && kid &&
        !json_object_get(h, "crit")) {
        for (int i = 0; i < kr->n && found < 0; i++) {
            if (strcmp(kr->keys[i].kid, kid) == 0)
                found = i;
        }
    }
    json_decref(h);
    return found;
}

/* HMAC-SHA256 of "header.payload" compared with the signature part in constant time. */
static bool signature_ok(const unsigned char *key, size_t key_len, const char *token,
                         size_t signed_len, const char *sig, size_t sig_len)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    unsigned char given[crypto_auth_hmacsha256_BYTES];
    size_t given_len = 0;
    crypto_auth_hmacsha256_state st;

    if (sig_len != 43)                 /* 32 bytes in unpadded base64url */
        return false;
    if (sodium_base642bin(given, sizeof given, sig, sig_len, NULL, &given_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        given_len != sizeof given)
        return false;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)token, signed_len);
    crypto_auth_hmacsha256_final(&st, mac);
    return sodium_memcmp(mac, given, sizeof mac) == 0;
}

static bool copy_str(char *dst, size_t cap, const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) >= cap)
        return false;
    memcpy(dst, s, strlen(s) + 1);
    return true;
}

/* Reads and checks the claims libjwt decoded. */
static int claims_from_jwt(jwt_t *jwt, int64_t now, struct ps_claims *out)
{
    char *grants = jwt_get_grants_json(jwt, NULL);
    if (!grants)
        return PS_E_BAD_TOKEN;
    json_error_t jerr;
    json_t *g = json_loads(grants, 0, &jerr);
    free(grants);
    int rc = PS_E_BAD_TOKEN;
    if (!json_is_object(g))
        goto out;

    memset(out, 0, sizeof *out);
    json_t *iat = json_object_get(g, "iat");
    json_t *exp = json_object_get(g, "exp");
    json_t *roles = json_object_get(g, "roles");
    if (!copy_str(out->sub, sizeof out->sub, json_object_get(g, "sub")) ||
        !copy_str(out->jti, sizeof out->jti, json_object_get(g, "jti")) ||
        !json_is_integer(iat) || !json_is_integer(exp))
        goto out;
    out->iat = json_integer_value(iat);
    out->exp = json_integer_value(exp);
    if (out->exp <= now || out->iat > now + JWT_IAT_SKEW_S || out->iat > out->exp)
        goto out;
    if (roles) {
        if (!json_is_array(roles) || json_array_size(roles) > PS_MAX_ROLES)
            goto out;
        size_t i;
        json_t *role;
        json_array_foreach(roles, i, role) {
            if (!copy_str(out->roles[i], PS_MAX_ROLE_LEN, role))
                goto out;
        }
        out->nroles = (int)json_array_size(roles);
    }
    rc = 0;
out:
    json_decref(g);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

int ps_jwt_verify(const struct ps_jwt_keyring *kr, const char *token, int64_t now,
                  struct ps_claims *out)
{
    memset(out, 0, sizeof *out);
    if (!kr || !token)
        return PS_E_BAD_TOKEN;
    size_t n = strnlen(token, JWT_MAX_TOKEN + 1);
    if (n == 0 || n > JWT_MAX_TOKEN)
        return PS_E_BAD_TOKEN;

    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot1 || !dot2 || strchr(dot2 + 1, '.') || dot1 == token || dot2 == dot1 + 1 ||
        dot2[1] == '\0')
        return PS_E_BAD_TOKEN;

    int k = header_key(kr, token, (size_t)(dot1 - token));
    if (k < 0)
        return PS_E_BAD_TOKEN;
    const unsigned char *key = kr->keys[k].secret;
    size_t key_len = kr->keys[k].secret_len;
    if (!signature_ok(key, key_len, token, (size_t)(dot2 - token), dot2 + 1, strlen(dot2 + 1)))
        return PS_E_BAD_TOKEN;

    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, key, (int)key_len) != 0 || !jwt) {
        jwt_free(jwt);
        return PS_E_BAD_TOKEN;
    }
    int rc = jwt_get_alg(jwt) == JWT_ALG_HS256 ? claims_from_jwt(jwt, now, out) : PS_E_BAD_TOKEN;
    jwt_free(jwt);
    return rc;
}

bool ps_claims_has_role(const struct ps_claims *c, const char *role)
{
    for (int i = 0; c && role && i < c->nroles; i++) {
        if (strcmp(c->roles[i], role) == 0)
            return true;
    }
    return false;
}

/* --- opaque tokens ---------------------------------------------------------------- */

void ps_token_new(char out[PS_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    if (sodium_init() < 0)
        abort();                       /* no randomness: nothing safe to hand out */
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, PS_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void ps_token_hash(const char *token, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, digest, sizeof digest);
}
