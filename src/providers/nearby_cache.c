/* The nearby answer cache (see nearby_cache.h): a fixed table of slots found by a hash of the
 * key (direct-mapped: a colliding key replaces the older answer), under one mutex held only
 * for a lookup or a copy. */
#include "providers/nearby_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    char key[NEARBY_CACHE_KEY_MAX];
    int64_t gen;
    char *data;
    size_t len;
};

static struct slot slots[NEARBY_CACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a */
static size_t slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h % NEARBY_CACHE_SLOTS);
}

bool providers_nearby_cache_get(const char *key, int64_t gen, char **out, size_t *len)
{
    if (strlen(key) >= NEARBY_CACHE_KEY_MAX)
        return false;
    struct slot *s = &slots[slot_of(key)];
    bool hit = false;
    pthread_mutex_lock(&lock);
    if (s->data && s->gen == gen && !strcmp(s->key, key)) {
        *out = malloc(s->len);
        if (*out) {
            memcpy(*out, s->data, s->len);
            *len = s->len;
            hit = true;
        }
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void providers_nearby_cache_put(const char *key, int64_t gen, const char *data, size_t len)
{
    size_t klen = strlen(key);
    if (klen >= NEARBY_CACHE_KEY_MAX || len > NEARBY_CACHE_MAX_ENTRY)
        return;
    char *copy = malloc(len);
    if (!copy)
        return;
    memcpy(copy, data, len);
    struct slot *s = &slots[slot_of(key)];
    pthread_mutex_lock(&lock);
    char *old = s->data;
    memcpy(s->key, key, klen + 1);
    s->gen = gen;
    s->data = copy;
    s->len = len;
    pthread_mutex_unlock(&lock);
    free(old);
}

void providers_nearby_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < NEARBY_CACHE_SLOTS; i++) {
        free(slots[i].data);
        slots[i].data = NULL;
    }
    pthread_mutex_unlock(&lock);
}
