/* Personal data at rest: phone and ID numbers are sealed with libsodium secretbox under a
 * key derived from PITSTOP_DATA_KEY, and found again through a keyed blind index
 * (BLAKE2b under a second derived key), so the database never holds them in clear. */
#ifndef PS_PII_H
#define PS_PII_H

#include <stddef.h>

#define PS_PII_KEY_BYTES 32
#define PS_PII_INDEX_LEN 64           /* hex chars of a blind index */

struct ps_pii_keys {
    unsigned char seal[PS_PII_KEY_BYTES];
    unsigned char index[PS_PII_KEY_BYTES];
};

/* Derive both keys from the 32-byte master key (crypto_kdf, distinct contexts). */
void ps_pii_keys_init(struct ps_pii_keys *k, const unsigned char master[PS_PII_KEY_BYTES]);
/* Parse a master key given as 64 hex characters. Returns 0 or PS_E_BAD_REQUEST. */
int ps_pii_parse_key(const char *hex, unsigned char master[PS_PII_KEY_BYTES]);

/* Seal plain text: out gets base64 (no padding, url-safe) of nonce||mac||ciphertext, NUL-ended.
 * Returns 0, or PS_E_TOO_LARGE if out is too small (ps_pii_sealed_len() tells the size). */
int ps_pii_seal(const struct ps_pii_keys *k, const char *plain, char *out, size_t outlen);
size_t ps_pii_sealed_len(size_t plain_len);
/* Open a sealed value into out (NUL-ended). Returns 0, PS_E_BAD_REQUEST if it was tampered
 * with or sealed under another key, PS_E_TOO_LARGE if out is too small. */
int ps_pii_open(const struct ps_pii_keys *k, const char *sealed, char *out, size_t outlen);
/* Blind index of an already normalised value: 64 hex chars + NUL. Same input, same key ->
 * same index; without the key it reveals nothing. */
void ps_pii_blind_index(const struct ps_pii_keys *k, const char *normalized,
                        char out[PS_PII_INDEX_LEN + 1]);

/* Masks for people who are not the data's owner. */
/* "13812345678" -> "138****5678" (any string: keep first 3 and last 4, stars between). */
void ps_mask_phone(const char *phone, char *out, size_t outlen);
/* "110101199003074514" -> "1101**********4514" (first 4, last 4). */
void ps_mask_id_number(const char *id, char *out, size_t outlen);
/* "zhang.wei@example.com" -> "z***@example.com". */
void ps_mask_email(const char *email, char *out, size_t outlen);

#endif
