/* Canonical JSON through jansson: JSON_SORT_KEYS sorts keys with strcmp (UTF-8 byte order),
 * JSON_COMPACT drops the spaces after ',' and ':', and without JSON_ENSURE_ASCII non-ASCII
 * text is written as is. What jansson cannot promise for us (no reals, bounded depth) is
 * checked first; tests/test_canonical.c pins the output byte for byte. */
#include "transparency/canonical.h"

#include <stdbool.h>

static bool canonical_ok(const json_t *v, int depth)
{
    if (depth > TRANSLOG_MAX_DEPTH)
        return false;
    switch (json_typeof(v)) {
    case JSON_REAL:
        return false;   /* floats have no single spelling; records use integers */
    case JSON_OBJECT: {
        const char *key;
        const json_t *member;
        json_object_foreach((json_t *)v, key, member)
            if (!canonical_ok(member, depth + 1))
                return false;
        return true;
    }
    case JSON_ARRAY: {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item)
            if (!canonical_ok(item, depth + 1))
                return false;
        return true;
    }
    default:
        return true;
    }
}

char *translog_canonical_json(const json_t *v)
{
    if (!v || !canonical_ok(v, 1))
        return NULL;
    return json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
}
