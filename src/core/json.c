/* Parameter tables and small JSON helpers; see json.h. */
#include "core/json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/id.h"

void ps_errs_add(struct ps_field_errors *errs, const char *field, const char *fmt, ...)
{
    if (errs->n >= PS_MAX_VALIDATION_ERRS) {
        errs->truncated = true;
        return;
    }
    struct ps_field_error *e = &errs->e[errs->n++];
    snprintf(e->field, sizeof e->field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

long long ps_utf8_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    long long count = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) { len = 1; cp = c; }
        else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return -1;
        if (i + len > n)
            return -1;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and out-of-range code points are not valid UTF-8. */
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        i += len;
        count++;
    }
    return count;
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool ps_valid_date(const char *s, int *y, int *m, int *d)
{
    int yy, mm, dd;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &yy) ||
        !digits(s + 5, 2, &mm) || !digits(s + 8, 2, &dd))
        return false;
    if (yy < 1900 || yy > 2999 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(yy, mm))
        return false;
    if (y) *y = yy;
    if (m) *m = mm;
    if (d) *d = dd;
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), without timegm's TZ dependence. */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool ps_parse_time(const char *s, long long *ms_out)
{
    int y, mo, d, h, mi, sec;
    size_t n = strlen(s);
    if (n < 20 || n > 40)
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!ps_valid_date(date, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec) || h > 23 || mi > 59 || sec > 60)
        return false;
    const char *p = s + 19;
    int ms = 0;
    if (*p == '.') {
        p++;
        int scale = 100, nd = 0;
        while (*p >= '0' && *p <= '9') {
            if (nd < 3)
                ms += (*p - '0') * scale;
            scale /= 10;
            nd++;
            p++;
        }
        if (nd == 0 || nd > 9)
            return false;
    }
    long long offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p)
        return false;
    if (sec == 60)
        sec = 59;   /* a leap second is accepted and folded into the second before */
    long long secs = days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + sec - offset_min * 60;
    *ms_out = secs * 1000 + ms;
    return true;
}

static const char *type_name(enum ps_ptype t)
{
    switch (t) {
    case PS_STRING: return "a string";
    case PS_INT: return "an integer";
    case PS_NUMBER: return "a number";
    case PS_BOOL: return "true or false";
    case PS_DATE: return "a date (YYYY-MM-DD)";
    case PS_TIME: return "an RFC 3339 date-time";
    case PS_ENUM: return "one of the listed values";
    case PS_ID: return "an id";
    case PS_ARRAY: return "an array";
    case PS_OBJECT: return "an object";
    case PS_CURSOR: return "a next_cursor";
    }
    return "a value";
}

static void check_value(const json_t *v, const struct ps_param *p, enum ps_ptype type,
                        const char *field, struct ps_field_errors *errs);

static void check_string(const json_t *v, const struct ps_param *p, enum ps_ptype type,
                         const char *field, struct ps_field_errors *errs)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n) {
        ps_errs_add(errs, field, "must not contain NUL characters");
        return;
    }
    long long chars = ps_utf8_len(s, n);
    switch (type) {
    case PS_STRING:
        if (p->min && chars < p->min)
            ps_errs_add(errs, field, p->min == 1 ? "must not be empty" : "must be at least %lld characters", p->min);
        else if (p->max && chars > p->max)
            ps_errs_add(errs, field, "must be at most %lld characters", p->max);
        break;
    case PS_DATE:
        if (!ps_valid_date(s, NULL, NULL, NULL))
            ps_errs_add(errs, field, "must be a date in the form YYYY-MM-DD");
        break;
    case PS_TIME: {
        long long ms;
        if (!ps_parse_time(s, &ms))
            ps_errs_add(errs, field, "must be an RFC 3339 date-time, e.g. 2026-05-01T09:30:00+08:00");
        break;
    }
    case PS_ENUM: {
        bool ok = false;
        for (const char *const *c = p->choices; c && *c && !ok; c++)
            ok = strcmp(*c, s) == 0;
        if (!ok) {
            char list[160] = "";
            size_t used = 0;
            for (const char *const *c = p->choices; c && *c; c++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *c);
                if (w < 0 || (size_t)w >= sizeof list - used)
                    break;
                used += (size_t)w;
            }
            ps_errs_add(errs, field, "must be one of: %s", list);
        }
        break;
    }
    case PS_ID:
        if (n == 0 || n > 64)
            ps_errs_add(errs, field, "must be an id");
        break;
    case PS_CURSOR:
        if (!ps_id_valid(s))
            ps_errs_add(errs, field, "must be the next_cursor of a previous page");
        break;
    default:
        break;
    }
}

static void check_value(const json_t *v, const struct ps_param *p, enum ps_ptype type,
                        const char *field, struct ps_field_errors *errs)
{
    switch (type) {
    case PS_STRING: case PS_DATE: case PS_TIME: case PS_ENUM: case PS_ID: case PS_CURSOR:
        if (!json_is_string(v)) {
            ps_errs_add(errs, field, "must be %s", type_name(type));
            return;
        }
        check_string(v, p, type, field, errs);
        return;
    case PS_INT:
        if (!json_is_integer(v)) {
            ps_errs_add(errs, field, "must be an integer");
            return;
        }
        if ((p->min || p->max) && (json_integer_value(v) < p->min || json_integer_value(v) > p->max))
            ps_errs_add(errs, field, "must be between %lld and %lld", p->min, p->max);
        return;
    case PS_NUMBER: {
        if (!json_is_number(v)) {
            ps_errs_add(errs, field, "must be a number");
            return;
        }
        double d = json_number_value(v);
        if (!isfinite(d) || (p->dbounds && (d < p->dmin || d > p->dmax)))
            ps_errs_add(errs, field, "must be between %g and %g", p->dmin, p->dmax);
        return;
    }
    case PS_BOOL:
        if (!json_is_boolean(v))
            ps_errs_add(errs, field, "must be true or false");
        return;
    case PS_ARRAY: {
        if (!json_is_array(v)) {
            ps_errs_add(errs, field, "must be an array");
            return;
        }
        size_t n = json_array_size(v);
        if (p->min && (long long)n < p->min)
            ps_errs_add(errs, field, "must have at least %lld item(s)", p->min);
        if (p->max && (long long)n > p->max) {
            ps_errs_add(errs, field, "must have at most %lld items", p->max);
            return;
        }
        for (size_t i = 0; i < n && errs->n < PS_MAX_VALIDATION_ERRS; i++) {
            char sub[96];
            snprintf(sub, sizeof sub, "%s[%zu]", field, i);
            if (p->item == PS_OBJECT) {
                const json_t *item = json_array_get(v, i);
                if (!json_is_object(item))
                    ps_errs_add(errs, sub, "must be an object");
                else if (p->fields)
                    ps_params_check(item, p->fields, sub, errs);
            } else {
                /* Elements share the parameter's bounds except the array-length ones. */
                struct ps_param elem = *p;
                elem.min = elem.max = 0;
                check_value(json_array_get(v, i), &elem, p->item, sub, errs);
            }
        }
        return;
    }
    case PS_OBJECT:
        if (!json_is_object(v))
            ps_errs_add(errs, field, "must be an object");
        else if (p->fields)
            ps_params_check(v, p->fields, field, errs);
        return;
    }
}

int ps_params_check(const json_t *obj, const struct ps_param *table, const char *prefix,
                    struct ps_field_errors *errs)
{
    int before = errs->n;
    char field[96];
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        const struct ps_param *p = table;
        while (p->name && strcmp(p->name, key) != 0)
            p++;
        snprintf(field, sizeof field, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (!p->name) {
            ps_errs_add(errs, field, "is not a known field");
            continue;
        }
        if (json_is_null(v)) {
            if (!(p->flags & PS_NULLABLE))
                ps_errs_add(errs, field, (p->flags & PS_REQUIRED) ? "is required" : "must not be null");
            continue;
        }
        check_value(v, p, p->type, field, errs);
    }
    for (const struct ps_param *p = table; p->name; p++) {
        if ((p->flags & PS_REQUIRED) && !json_object_get(obj, p->name)) {
            snprintf(field, sizeof field, "%s%s%s", prefix, *prefix ? "." : "", p->name);
            ps_errs_add(errs, field, "is required");
        }
    }
    return errs->n - before;
}

int ps_query_check(const char *(*get)(const char *name, void *ctx), void *ctx,
                   const struct ps_param *table, json_t *out, struct ps_field_errors *errs)
{
    int before = errs->n;
    for (const struct ps_param *p = table; p->name; p++) {
        const char *raw = get(p->name, ctx);
        if (!raw || !*raw) {
            if (p->flags & PS_REQUIRED)
                ps_errs_add(errs, p->name, "is required");
            continue;
        }
        json_t *v = NULL;
        char *end;
        errno = 0;
        switch (p->type) {
        case PS_INT: {
            long long n = strtoll(raw, &end, 10);
            if (errno || end == raw || *end) {
                ps_errs_add(errs, p->name, "must be an integer");
                continue;
            }
            v = json_integer(n);
            break;
        }
        case PS_NUMBER: {
            double d = strtod(raw, &end);
            if (errno || end == raw || *end || !isfinite(d)) {
                ps_errs_add(errs, p->name, "must be a number");
                continue;
            }
            v = json_real(d);
            break;
        }
        case PS_BOOL:
            if (strcmp(raw, "true") && strcmp(raw, "false") && strcmp(raw, "1") && strcmp(raw, "0")) {
                ps_errs_add(errs, p->name, "must be true or false");
                continue;
            }
            v = json_boolean(raw[0] == 't' || raw[0] == '1');
            break;
        default:
            v = json_string(raw);   /* NULL for invalid UTF-8 */
            if (!v) {
                ps_errs_add(errs, p->name, "must be valid UTF-8");
                continue;
            }
            break;
        }
        check_value(v, p, p->type, p->name, errs);
        json_object_set_new(out, p->name, v);
    }
    return errs->n - before;
}

const char *ps_json_str(const json_t *obj, const char *key, const char *def)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : def;
}

long long ps_json_int(const json_t *obj, const char *key, long long def)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? json_integer_value(v) : def;
}

double ps_json_num(const json_t *obj, const char *key, double def)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

bool ps_json_bool(const json_t *obj, const char *key, bool def)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

bool ps_json_has(const json_t *obj, const char *key)
{
    return json_object_get(obj, key) != NULL;
}

static json_t *type_schema(const struct ps_param *p, enum ps_ptype type)
{
    json_t *s = json_object();
    switch (type) {
    case PS_STRING:
        json_object_set_new(s, "type", json_string("string"));
        if (p->min) json_object_set_new(s, "minLength", json_integer(p->min));
        if (p->max) json_object_set_new(s, "maxLength", json_integer(p->max));
        break;
    case PS_INT:
        json_object_set_new(s, "type", json_string("integer"));
        if (p->min || p->max) {
            json_object_set_new(s, "minimum", json_integer(p->min));
            json_object_set_new(s, "maximum", json_integer(p->max));
        }
        break;
    case PS_NUMBER:
        json_object_set_new(s, "type", json_string("number"));
        if (p->dbounds) {
            json_object_set_new(s, "minimum", json_real(p->dmin));
            json_object_set_new(s, "maximum", json_real(p->dmax));
        }
        break;
    case PS_BOOL: json_object_set_new(s, "type", json_string("boolean")); break;
    case PS_DATE:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "format", json_string("date"));
        break;
    case PS_TIME:
        json_object_set_new(s, "type", json_string("string"));
        json_object_set_new(s, "format", json_string("date-time"));
        break;
    case PS_ID: case PS_CURSOR: json_object_set_new(s, "type", json_string("string")); break;
    case PS_ENUM: {
        json_object_set_new(s, "type", json_string("string"));
        json_t *e = json_array();
        for (const char *const *c = p->choices; c && *c; c++)
            json_array_append_new(e, json_string(*c));
        json_object_set_new(s, "enum", e);
        break;
    }
    case PS_ARRAY: {
        json_object_set_new(s, "type", json_string("array"));
        json_t *items = p->item == PS_OBJECT
            ? (p->fields ? ps_params_schema(p->fields) : json_pack("{s:s}", "type", "object"))
            : type_schema(p, p->item);
        if (p->item != PS_OBJECT) {
            json_object_del(items, "minLength");
            json_object_del(items, "maxLength");
        }
        json_object_set_new(s, "items", items);
        if (p->max) json_object_set_new(s, "maxItems", json_integer(p->max));
        break;
    }
    case PS_OBJECT:
        json_decref(s);
        return p->fields ? ps_params_schema(p->fields) : json_pack("{s:s}", "type", "object");
    }
    return s;
}

json_t *ps_params_schema(const struct ps_param *table)
{
    json_t *props = json_object(), *required = json_array();
    for (const struct ps_param *p = table; p && p->name; p++) {
        json_t *s = type_schema(p, p->type);
        if (p->flags & PS_NULLABLE) {
            json_t *t = json_object_get(s, "type");
            if (t)
                json_object_set_new(s, "type", json_pack("[O,s]", t, "null"));
        }
        if (p->description)
            json_object_set_new(s, "description", json_string(p->description));
        json_object_set_new(props, p->name, s);
        if (p->flags & PS_REQUIRED)
            json_array_append_new(required, json_string(p->name));
    }
    json_t *schema = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                               "additionalProperties", 0);
    if (json_array_size(required))
        json_object_set_new(schema, "required", required);
    else
        json_decref(required);
    return schema;
}
