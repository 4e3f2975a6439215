/* Declared parameter checks on arbitrary JSON: never crash, never report a field twice
 * beyond the cap, always name what is wrong. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/json.h"

static const char *const kinds[] = { "a", "b", NULL };
static const struct ps_param inner[] = {
    { "x", PS_INT, PS_REQUIRED, .min = 0, .max = 9 },
    { "y", PS_STRING, 0, .max = 3 },
    PS_PARAM_END
};
static const struct ps_param table[] = {
    { "s", PS_STRING, PS_REQUIRED, .min = 1, .max = 16 },
    { "i", PS_INT, 0, .min = -100, .max = 100 },
    { "n", PS_NUMBER, PS_NULLABLE, .dmin = 0, .dmax = 1, .dbounds = true },
    { "b", PS_BOOL, 0 },
    { "d", PS_DATE, 0 },
    { "t", PS_TIME, 0 },
    { "e", PS_ENUM, 0, .choices = kinds },
    { "id", PS_ID, 0 },
    { "arr", PS_ARRAY, 0, .item = PS_INT, .max = 5 },
    { "objs", PS_ARRAY, 0, .item = PS_OBJECT, .fields = inner, .max = 3 },
    { "o", PS_OBJECT, 0, .fields = inner },
    PS_PARAM_END
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
    if (v) {
        struct ps_field_errors errs = { 0 };
        if (json_is_object(v))
            ps_params_check(v, table, "", &errs);
        if (errs.n > PS_MAX_VALIDATION_ERRS)
            __builtin_trap();
        json_decref(v);
    }
    long long ms;
    char text[64];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    __builtin_memcpy(text, data, n);
    text[n] = '\0';
    ps_parse_time(text, &ms);
    int y, m, d;
    ps_valid_date(text, &y, &m, &d);
    ps_utf8_len((const char *)data, size);
    return 0;
}
