/* Answers of nearby search kept in memory, each tagged with the nearby_generation counter it
 * was computed under; an answer is served again only while the database's counter still has
 * that value, so it is never stale, on one node or many. Bounded: NEARBY_CACHE_SLOTS entries
 * of at most NEARBY_CACHE_MAX_ENTRY bytes. Thread-safe. */
#ifndef PS_PROVIDERS_NEARBY_CACHE_H
#define PS_PROVIDERS_NEARBY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NEARBY_CACHE_SLOTS     512
#define NEARBY_CACHE_MAX_ENTRY (32 * 1024)
#define NEARBY_CACHE_KEY_MAX   128

/* Copy the answer for key computed under generation gen into out (malloc'ed, caller frees);
 * false when there is none. */
bool providers_nearby_cache_get(const char *key, int64_t gen, char **out, size_t *len);
/* Remember an answer (ignored when too big or the key too long). */
void providers_nearby_cache_put(const char *key, int64_t gen, const char *data, size_t len);
/* Forget everything (tests). */
void providers_nearby_cache_clear(void);

#endif
