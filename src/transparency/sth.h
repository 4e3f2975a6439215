/* Signed tree heads: the exact bytes signed and Ed25519 signing/verification over them.
 * Pure code (libsodium only); where the key lives is translog_store.c's business. */
#ifndef PS_TRANSPARENCY_STH_H
#define PS_TRANSPARENCY_STH_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transparency/merkle.h"

#define STH_SIG_HEX_LEN (2 * crypto_sign_BYTES)
#define STH_PK_HEX_LEN  (2 * crypto_sign_PUBLICKEYBYTES)
/* "pitstop-sth-v1\n" + two 20-digit numbers + 64 hex + 3 newlines, with room to spare. */
#define STH_MESSAGE_MAX 160

struct sth_signer {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

struct sth {
    uint64_t tree_size;
    int64_t timestamp_ms;
    merkle_hash root;
    unsigned char sig[crypto_sign_BYTES];
};

/* "pitstop-sth-v1\n<tree_size>\n<timestamp>\n<root_hash hex>\n" into out; returns its
 * length (no NUL counted). */
size_t sth_message(uint64_t tree_size, int64_t timestamp_ms, const merkle_hash root,
                   char out[STH_MESSAGE_MAX]);
/* Key pair from a 32-byte seed (the secret that is stored sealed). */
void sth_signer_from_seed(struct sth_signer *s, const unsigned char seed[crypto_sign_SEEDBYTES]);
/* Fill s->sig over s's size, time and root. */
void sth_sign(const struct sth_signer *k, struct sth *s);
bool sth_verify(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const struct sth *s);

#endif
