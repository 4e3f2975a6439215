/* Small JSON helpers: a string escaper for answers written straight into a buffer (the nearby
 * fast path) and RFC 3339 times. */
#include "providers/providers_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

int providers_json_str(struct ps_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    int rc = ps_buf_append(b, "\"", 1);
    const char *run = s;
    for (const char *p = s; rc == 0 && p && *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        if (p > run)
            rc = ps_buf_append(b, run, (size_t)(p - run));
        char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
        if (rc == 0) {
            if (ch == '"' || ch == '\\') {
                char two[2] = { '\\', (char)ch };
                rc = ps_buf_append(b, two, 2);
            } else {
                rc = ps_buf_append(b, esc, 6);
            }
        }
        run = p + 1;
    }
    if (rc == 0 && s && *run)
        rc = ps_buf_append(b, run, strlen(run));
    return rc ? rc : ps_buf_append(b, "\"", 1);
}

json_t *providers_json_time(int64_t ms)
{
    if (ms <= 0)
        return json_null();
    char out[32];
    ps_format_time_ms(ms, out);
    return json_string(out);
}

void providers_json_free(void *p)
{
    json_decref(p);
}
