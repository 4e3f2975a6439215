/* Signed tree heads (SPEC §6): Ed25519 over a fixed, line-based text so that a verifier in
 * any language can rebuild the signed bytes without a JSON library. */
#include "transparency/sth.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

size_t sth_message(uint64_t tree_size, int64_t timestamp_ms, const merkle_hash root,
                   char out[STH_MESSAGE_MAX])
{
    char hex[2 * MERKLE_HASH_LEN + 1];
    merkle_to_hex(root, hex);
    int n = snprintf(out, STH_MESSAGE_MAX, "pitstop-sth-v1\n%" PRIu64 "\n%" PRId64 "\n%s\n",
                     tree_size, timestamp_ms, hex);
    return n > 0 && n < STH_MESSAGE_MAX ? (size_t)n : 0;
}

void sth_signer_from_seed(struct sth_signer *s, const unsigned char seed[crypto_sign_SEEDBYTES])
{
    crypto_sign_seed_keypair(s->pk, s->sk, seed);
}

void sth_sign(const struct sth_signer *k, struct sth *s)
{
    char msg[STH_MESSAGE_MAX];
    size_t len = sth_message(s->tree_size, s->timestamp_ms, s->root, msg);
    crypto_sign_detached(s->sig, NULL, (const unsigned char *)msg, len, k->sk);
}

bool sth_verify(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const struct sth *s)
{
    char msg[STH_MESSAGE_MAX];
    size_t len = sth_message(s->tree_size, s->timestamp_ms, s->root, msg);
    return len && crypto_sign_verify_detached(s->sig, (const unsigned char *)msg, len, pk) == 0;
}
