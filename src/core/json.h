/* JSON helpers over jansson, and declarative parameter tables.
 *
 * A handler declares what its body (or query) may hold; the router checks it before the
 * handler runs, and every wrong type, missing or unknown field becomes one 422 whose
 * `errors` name each field:
 *     static const struct ps_param login_params[] = {
 *         { "login",    PS_STRING, PS_REQUIRED, .max = 254 },
 *         { "password", PS_STRING, PS_REQUIRED, .max = 256 },
 *         PS_PARAM_END
 *     };
 */
#ifndef PS_JSON_H
#define PS_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/limits.h"

enum ps_ptype {
    PS_STRING = 1,   /* .min/.max: length in characters (UTF-8 code points) */
    PS_INT,          /* integer; .min/.max: bounds (inclusive) */
    PS_NUMBER,       /* integer or real; .dmin/.dmax bounds when .dbounds is set */
    PS_BOOL,
    PS_DATE,         /* "YYYY-MM-DD", a real calendar date */
    PS_TIME,         /* RFC 3339 date-time, e.g. 2026-11-23T09:30:00+08:00 */
    PS_ENUM,         /* string, one of .choices */
    PS_ID,           /* an opaque id (checked for shape: unknown ids are a 404 later) */
    PS_ARRAY,        /* .item: type of the elements (scalar types only), .max: length */
    PS_OBJECT,       /* any object; .fields: nested table checked the same way */
    PS_CURSOR,       /* a list cursor: an id as handed out in next_cursor */
};

enum {
    PS_REQUIRED = 1 << 0,
    PS_NULLABLE = 1 << 1,   /* null accepted (and means "clear" in PATCH) */
};

struct ps_param {
    const char *name;
    enum ps_ptype type;
    unsigned flags;
    long long min, max;                 /* PS_STRING length / PS_INT value / PS_ARRAY length */
    double dmin, dmax;                  /* PS_NUMBER bounds, used when dbounds */
    bool dbounds;
    const char *const *choices;         /* PS_ENUM: NULL-terminated list */
    enum ps_ptype item;                 /* PS_ARRAY element type */
    const struct ps_param *fields;      /* PS_OBJECT / array-of-object fields */
    const char *description;            /* for the OpenAPI document */
};
#define PS_PARAM_END { NULL, 0, 0, 0, 0, 0, 0, false, NULL, 0, NULL, NULL }

struct ps_field_error { char field[96]; char message[160]; };
struct ps_field_errors {
    int n;
    bool truncated;
    struct ps_field_error e[PS_MAX_VALIDATION_ERRS];
};

/* Adds a field error (ignored once the list is full; `truncated` tells). */
void ps_errs_add(struct ps_field_errors *errs, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Check obj against table: types, bounds, required fields, unknown fields.
 * prefix names nested fields ("items[2].price_fen"); pass "" at the top. Returns the number
 * of errors added. */
int ps_params_check(const json_t *obj, const struct ps_param *table, const char *prefix,
                    struct ps_field_errors *errs);

/* Query strings: every declared parameter is converted to a JSON value of its type and set in
 * out (so handlers read query and body the same way); malformed values become field errors.
 * get(name, ctx) returns the raw value or NULL. Unknown query parameters are ignored. */
int ps_query_check(const char *(*get)(const char *name, void *ctx), void *ctx,
                   const struct ps_param *table, json_t *out, struct ps_field_errors *errs);

/* Validation helpers shared by checks and modules. */
bool ps_valid_date(const char *s, int *y, int *m, int *d);
/* RFC 3339 -> milliseconds since the epoch (UTC). */
bool ps_parse_time(const char *s, long long *ms_out);
/* Number of code points in valid UTF-8, or -1 if the bytes are not valid UTF-8. */
long long ps_utf8_len(const char *s, size_t n);

/* Accessors that tolerate absence: the default is returned when the member is missing/null. */
const char *ps_json_str(const json_t *obj, const char *key, const char *def);
long long ps_json_int(const json_t *obj, const char *key, long long def);
double ps_json_num(const json_t *obj, const char *key, double def);
bool ps_json_bool(const json_t *obj, const char *key, bool def);
/* True when key is present (even as null). */
bool ps_json_has(const json_t *obj, const char *key);

/* OpenAPI schema for a table (new reference; caller owns it). */
json_t *ps_params_schema(const struct ps_param *table);

#endif
