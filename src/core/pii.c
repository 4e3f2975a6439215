/* Personal data at rest: secretbox sealing, the keyed blind index used to find a sealed
 * value again, and the masks shown to anyone who is not the data's owner. */
#include "core/pii.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

#define PII_KDF_CONTEXT "pitstop_"     /* crypto_kdf_CONTEXTBYTES == 8 */
#define PII_SUBKEY_SEAL 1
#define PII_SUBKEY_INDEX 2
#define PII_B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define PII_OVERHEAD (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)

void ps_pii_keys_init(struct ps_pii_keys *k, const unsigned char master[PS_PII_KEY_BYTES])
{
    if (sodium_init() < 0)
        abort();
    crypto_kdf_derive_from_key(k->seal, sizeof k->seal, PII_SUBKEY_SEAL, PII_KDF_CONTEXT, master);
    crypto_kdf_derive_from_key(k->index, sizeof k->index, PII_SUBKEY_INDEX, PII_KDF_CONTEXT, master);
}

int ps_pii_parse_key(const char *hex, unsigned char master[PS_PII_KEY_BYTES])
{
    size_t len = 0;
    if (!hex || strlen(hex) != 2 * PS_PII_KEY_BYTES)
        return PS_E_BAD_REQUEST;
    if (sodium_hex2bin(master, PS_PII_KEY_BYTES, hex, 2 * PS_PII_KEY_BYTES, NULL, &len, NULL) != 0 ||
        len != PS_PII_KEY_BYTES)
        return PS_E_BAD_REQUEST;
    return 0;
}

size_t ps_pii_sealed_len(size_t plain_len)
{
    return sodium_base64_ENCODED_LEN(PII_OVERHEAD + plain_len, PII_B64);
}

int ps_pii_seal(const struct ps_pii_keys *k, const char *plain, char *out, size_t outlen)
{
    size_t n = strlen(plain);
    if (outlen < ps_pii_sealed_len(n))
        return PS_E_TOO_LARGE;
    unsigned char *box = malloc(PII_OVERHEAD + n);
    if (!box)
        return PS_E_NOMEM;
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n,
                          box, k->seal);
    sodium_bin2base64(out, outlen, box, PII_OVERHEAD + n, PII_B64);
    free(box);
    return 0;
}

int ps_pii_open(const struct ps_pii_keys *k, const char *sealed, char *out, size_t outlen)
{
    size_t enc_len = strlen(sealed);
    size_t cap = enc_len / 4 * 3 + 3;  /* enough for any base64 of this length */
    unsigned char *box = malloc(cap);
    size_t len = 0;
    int rc = PS_E_BAD_REQUEST;
    if (!box)
        return PS_E_NOMEM;
    if (sodium_base642bin(box, cap, sealed, enc_len, NULL, &len, NULL, PII_B64) != 0 ||
        len < PII_OVERHEAD)
        goto out;
    size_t plain_len = len - PII_OVERHEAD;
    if (outlen < plain_len + 1) {
        rc = PS_E_TOO_LARGE;
        goto out;
    }
    if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, box, k->seal) != 0) {
        sodium_memzero(out, plain_len);
        goto out;
    }
    out[plain_len] = '\0';
    rc = 0;
out:
    free(box);
    if (rc != 0 && outlen > 0)
        out[0] = '\0';
    return rc;
}

void ps_pii_blind_index(const struct ps_pii_keys *k, const char *normalized,
                        char out[PS_PII_INDEX_LEN + 1])
{
    unsigned char digest[PS_PII_INDEX_LEN / 2];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)normalized,
                       strlen(normalized), k->index, sizeof k->index);
    sodium_bin2hex(out, PS_PII_INDEX_LEN + 1, digest, sizeof digest);
}

/* --- masks ------------------------------------------------------------------------ */

/* Byte offset of the i-th code point of s (UTF-8), or strlen(s) past the end. */
static size_t cp_offset(const char *s, size_t i)
{
    size_t off = 0;
    while (s[off] && i > 0) {
        off++;
        while ((s[off] & 0xc0) == 0x80)
            off++;
        i--;
    }
    return off;
}

static size_t cp_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (*s & 0xc0) != 0x80;
    return n;
}

/* Keep the first `head` and last `tail` code points, a star for each one between. Values
 * too short to hide anything that way become stars only. */
static void mask_middle(const char *s, size_t head, size_t tail, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return;
    if (!s)
        s = "";
    size_t n = cp_count(s);
    size_t used = 0;
    out[0] = '\0';
    if (n <= head + tail) {
        for (size_t i = 0; i < n && used + 1 < outlen; i++)
            out[used++] = '*';
        out[used] = '\0';
        return;
    }
    size_t head_end = cp_offset(s, head);
    size_t tail_start = cp_offset(s, n - tail);
    size_t need = head_end + (n - head - tail) + strlen(s + tail_start) + 1;
    if (need > outlen)
        return;                        /* too small for the mask: leave it empty, never partial */
    memcpy(out, s, head_end);
    used = head_end;
    for (size_t i = 0; i < n - head - tail; i++)
        out[used++] = '*';
    memcpy(out + used, s + tail_start, strlen(s + tail_start) + 1);
}

void ps_mask_phone(const char *phone, char *out, size_t outlen)
{
    mask_middle(phone, 3, 4, out, outlen);
}

void ps_mask_id_number(const char *id, char *out, size_t outlen)
{
    mask_middle(id, 4, 4, out, outlen);
}

void ps_mask_email(const char *email, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return;
    out[0] = '\0';
    const char *at = email ? strrchr(email, '@') : NULL;
    size_t first = (at && at != email) ? cp_offset(email, 1) : 0;
    size_t domain_len = at ? strlen(at) : 0;
    if (first > (size_t)(at ? at - email : 0))
        first = 0;
    size_t need = first + 3 + domain_len + 1;
    if (need > outlen)
        return;
    memcpy(out, email, first);
    memcpy(out + first, "***", 3);
    if (at)
        memcpy(out + first + 3, at, domain_len);
    out[need - 1] = '\0';
}
