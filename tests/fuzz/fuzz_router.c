/* The router on arbitrary method, path, query and body: matching, parameter binding, body
 * and query checks, problem documents. Input: "METHOD PATH\nQUERY\nBODY". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/router.h"
#include "support.h"

struct fake { const char *query; const char *content_type; };

static const char *fake_reader(const struct ps_req *r, const char *name, int kind)
{
    const struct fake *f = r->transport;
    if (kind == PS_HDR)
        return strcasecmp(name, "Content-Type") == 0 ? f->content_type : NULL;
    /* query "k=v&k2=v2": the value of name, or NULL */
    size_t n = strlen(name);
    for (const char *p = f->query; p && *p;) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            static __thread char value[256];
            size_t len = strcspn(p + n + 1, "&");
            if (len >= sizeof value)
                len = sizeof value - 1;
            memcpy(value, p + n + 1, len);
            value[len] = '\0';
            return value;
        }
        p = strchr(p, '&');
        if (p)
            p++;
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_routes_register();
    ps_router_set_header_reader(fake_reader);
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *line_end = strchr(text, '\n');
    char *query = line_end ? line_end + 1 : NULL;
    if (line_end)
        *line_end = '\0';
    char *body = query ? strchr(query, '\n') : NULL;
    if (body)
        *body++ = '\0';
    char *space = strchr(text, ' ');
    if (space) {
        *space = '\0';
        struct ps_req r = { 0 };
        struct fake f = { query, "application/json" };
        ps_arena_init(&r.arena, PS_MAX_ARENA_BYTES);
        r.transport = &f;
        r.method = ps_method_parse(text);
        r.path = space + 1;
        r.body = body;
        r.body_len = body ? strlen(body) : 0;
        const char *allow = NULL;
        if (ps_router_match(&r, r.method, r.path, &allow) == 0)
            ps_router_dispatch(&r);
        if (r.replied && (r.status < 200 || r.status > 599))
            __builtin_trap();
        free(r.resp_body);
        ps_arena_free(&r.arena);
    }
    free(text);
    return 0;
}
