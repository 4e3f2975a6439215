/* Opaque identifiers: 48 bits of millisecond time then 80 random bits, written as 26
 * characters of lower-case Crockford base32 so that ids sort by creation time. Within one
 * millisecond the random part is incremented instead of redrawn, so ids made by one process
 * keep their order even when many are made at once. */
#include "core/id.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/log.h"

static const char id_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t id_last_ms;
static unsigned char id_last_rand[10];

/* Adds one to a big-endian 80-bit number; false when it wraps (then the caller redraws). */
static bool increment80(unsigned char r[10])
{
    for (int i = 9; i >= 0; i--) {
        if (++r[i] != 0)
            return true;
    }
    return false;
}

void ps_id_new(char out[PS_ID_LEN + 1])
{
    unsigned char bytes[16];   /* 6 bytes of time, 10 of randomness, big-endian */
    uint64_t ms = (uint64_t)ps_now_ms() & 0xffffffffffffULL;

    pthread_mutex_lock(&id_lock);
    if (ms <= id_last_ms && increment80(id_last_rand)) {
        ms = id_last_ms;       /* same (or a stepped-back) millisecond: keep the order */
    } else {
        if (ms < id_last_ms)
            ms = id_last_ms;
        randombytes_buf(id_last_rand, sizeof id_last_rand);
        id_last_rand[0] &= 0x7f;   /* leave room to increment within a millisecond */
        id_last_ms = ms;
    }
    memcpy(bytes + 6, id_last_rand, 10);
    pthread_mutex_unlock(&id_lock);

    for (int i = 0; i < 6; i++)
        bytes[i] = (unsigned char)(ms >> (8 * (5 - i)));

    /* 128 bits as 26 five-bit groups, the first group holding only the top 3 bits. */
    for (int i = PS_ID_LEN - 1, bit = 0; i >= 0; i--, bit += 5) {
        unsigned v = 0;
        for (int b = 0; b < 5; b++) {
            int pos = bit + b;                 /* bit index counted from the least significant */
            if (pos < 128 && (bytes[15 - pos / 8] >> (pos % 8)) & 1)
                v |= 1u << b;
        }
        out[i] = id_alphabet[v];
    }
    out[PS_ID_LEN] = '\0';
}

bool ps_id_valid(const char *s)
{
    if (!s)
        return false;
    size_t i = 0;
    for (; s[i]; i++) {
        if (i >= PS_ID_LEN || !strchr(id_alphabet, s[i]))
            return false;
    }
    /* 26 * 5 = 130 bits for 128: the first character can only be 0-7. */
    return i == PS_ID_LEN && s[0] >= '0' && s[0] <= '7';
}
