/* The router: static route tables, matched segment by segment, and the checks every route
 * needs, run once here so no handler can forget one (see docs/ARCHITECTURE.md). */
#include "core/router.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/errors.h"
#include "core/idempotency.h"
#include "core/log.h"

#define PS_MAX_ROUTES 512

struct compiled_route {
    const struct ps_route *route;
    int nseg;
    const char *seg[PS_MAX_PATH_SEGMENTS];   /* literal, or NULL for a :param */
    size_t seg_len[PS_MAX_PATH_SEGMENTS];
    const char *param[PS_MAX_PATH_SEGMENTS]; /* the :param's name (without ':') */
    size_t param_len[PS_MAX_PATH_SEGMENTS];
};

static struct compiled_route routes[PS_MAX_ROUTES];
static int nroutes;
static const struct ps_jwt_keyring *keyring;
static const char *(*header_reader)(const struct ps_req *r, const char *name, int kind);
static const struct ps_app *the_app;

const struct ps_app *ps_app(void) { return the_app; }
void ps_app_set(const struct ps_app *app) { the_app = app; }
void ps_router_set_keyring(const struct ps_jwt_keyring *kr) { keyring = kr; }
void ps_router_set_header_reader(const char *(*fn)(const struct ps_req *, const char *, int))
{
    header_reader = fn;
}

static const char *const method_names[] = {
    [PS_GET] = "GET", [PS_POST] = "POST", [PS_PUT] = "PUT", [PS_PATCH] = "PATCH",
    [PS_DELETE] = "DELETE", [PS_HEAD] = "HEAD", [PS_OPTIONS] = "OPTIONS",
};

const char *ps_method_name(enum ps_method m)
{
    return m >= PS_GET && m <= PS_OPTIONS ? method_names[m] : "?";
}

enum ps_method ps_method_parse(const char *s)
{
    for (int m = PS_GET; m <= PS_OPTIONS; m++)
        if (strcmp(s, method_names[m]) == 0)
            return (enum ps_method)m;
    return 0;
}

/* --- registration ------------------------------------------------------------------- */

static int compile(const struct ps_route *rt, struct compiled_route *out)
{
    const char *p = rt->pattern;
    if (!p || p[0] != '/' || !rt->handler || !rt->method)
        return PS_E_INTERNAL;
    memset(out, 0, sizeof *out);
    out->route = rt;
    int nparams = 0;
    while (*p == '/') {
        p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 && !end && out->nseg == 0)
            break;                               /* the root "/" */
        if (len == 0 || out->nseg >= PS_MAX_PATH_SEGMENTS)
            return PS_E_INTERNAL;
        if (p[0] == ':') {
            if (len < 2 || ++nparams > PS_MAX_ROUTE_PARAMS)
                return PS_E_INTERNAL;
            out->param[out->nseg] = p + 1;
            out->param_len[out->nseg] = len - 1;
        } else {
            out->seg[out->nseg] = p;
            out->seg_len[out->nseg] = len;
        }
        out->nseg++;
        p += len;
    }
    return *p ? PS_E_INTERNAL : 0;
}

int ps_router_add(const struct ps_route *table)
{
    for (const struct ps_route *rt = table; rt && rt->pattern; rt++) {
        if (nroutes >= PS_MAX_ROUTES || compile(rt, &routes[nroutes])) {
            ps_log_error("route %s %s is malformed or the router is full",
                         ps_method_name(rt->method), rt->pattern ? rt->pattern : "(null)");
            return PS_E_INTERNAL;
        }
        nroutes++;
    }
    return 0;
}

int ps_router_count(void) { return nroutes; }
const struct ps_route *ps_router_at(int i) { return i >= 0 && i < nroutes ? routes[i].route : NULL; }

/* --- matching ----------------------------------------------------------------------- */

struct split_path {
    int n;
    const char *seg[PS_MAX_PATH_SEGMENTS];
    size_t len[PS_MAX_PATH_SEGMENTS];
};

/* Splits "/a/b/c" into segments; a trailing slash or an empty segment never matches. */
static bool split(const char *path, struct split_path *sp)
{
    sp->n = 0;
    if (!path || path[0] != '/')
        return false;
    if (path[1] == '\0')
        return true;
    const char *p = path;
    while (*p == '/') {
        p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || sp->n >= PS_MAX_PATH_SEGMENTS)
            return false;
        sp->seg[sp->n] = p;
        sp->len[sp->n] = len;
        sp->n++;
        p += len;
    }
    return *p == '\0';
}

static bool route_matches(const struct compiled_route *cr, const struct split_path *sp)
{
    if (cr->nseg != sp->n)
        return false;
    for (int i = 0; i < sp->n; i++)
        if (cr->seg[i] && (cr->seg_len[i] != sp->len[i] || memcmp(cr->seg[i], sp->seg[i], sp->len[i])))
            return false;
    return true;
}

static void bind_params(struct ps_req *r, const struct compiled_route *cr, const struct split_path *sp)
{
    r->nparams = 0;
    for (int i = 0; i < sp->n; i++) {
        if (cr->seg[i])
            continue;
        r->param_names[r->nparams] = ps_arena_strndup(&r->arena, cr->param[i], cr->param_len[i]);
        r->param_values[r->nparams] = ps_arena_strndup(&r->arena, sp->seg[i], sp->len[i]);
        r->nparams++;
    }
}

int ps_router_match(struct ps_req *r, enum ps_method method, const char *path, const char **allow)
{
    struct split_path sp;
    if (!split(path, &sp))
        return PS_E_NOT_FOUND;
    char methods[64] = "";
    bool path_known = false;
    for (int i = 0; i < nroutes; i++) {
        const struct compiled_route *cr = &routes[i];
        if (!route_matches(cr, &sp))
            continue;
        if (cr->route->method == method) {
            r->route = cr->route;
            r->route_id = i;
            bind_params(r, cr, &sp);
            return 0;
        }
        path_known = true;
        const char *name = ps_method_name(cr->route->method);
        size_t used = strlen(methods);
        if (!strstr(methods, name))
            snprintf(methods + used, sizeof methods - used, "%s%s", used ? ", " : "", name);
    }
    if (!path_known)
        return PS_E_NOT_FOUND;
    if (allow)
        *allow = ps_arena_strdup(&r->arena, methods);
    return PS_E_METHOD;
}

/* --- request accessors -------------------------------------------------------------- */

const char *ps_req_param(const struct ps_req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0)
            return r->param_values[i];
    return NULL;
}

const char *ps_req_header(const struct ps_req *r, const char *name)
{
    return header_reader ? header_reader(r, name, PS_HDR) : NULL;
}

const char *ps_req_query(const struct ps_req *r, const char *name)
{
    return header_reader ? header_reader(r, name, PS_QUERY) : NULL;
}

const char *ps_req_user(const struct ps_req *r)
{
    return r->authenticated ? r->claims.sub : "";
}

bool ps_req_has_role(const struct ps_req *r, const char *role)
{
    return r->authenticated && ps_claims_has_role(&r->claims, role);
}

/* --- replies ------------------------------------------------------------------------ */

static void set_body(struct ps_req *r, int status, const char *type, char *body, size_t len)
{
    free(r->resp_body);
    r->status = status;
    r->resp_type = type;
    r->resp_body = body;
    r->resp_len = len;
    r->replied = true;
}

int ps_reply_json(struct ps_req *r, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(body);
    if (!text)
        return PS_E_NOMEM;
    set_body(r, status, "application/json", text, strlen(text));
    return 0;
}

int ps_reply_raw(struct ps_req *r, int status, const char *content_type, const void *data, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return PS_E_NOMEM;
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    set_body(r, status, content_type, copy, len);
    return 0;
}

int ps_reply_empty(struct ps_req *r, int status)
{
    set_body(r, status, NULL, NULL, 0);
    return 0;
}

void ps_reply_header(struct ps_req *r, const char *name, const char *value)
{
    for (int i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->resp_headers[i][0], name) == 0) {
            r->resp_headers[i][1] = value;
            return;
        }
    if (r->nheaders < (int)(sizeof r->resp_headers / sizeof r->resp_headers[0])) {
        r->resp_headers[r->nheaders][0] = name;
        r->resp_headers[r->nheaders][1] = value;
        r->nheaders++;
    }
}

int ps_reply_problem(struct ps_req *r, int code, const char *detail_fmt, ...)
{
    int status = ps_err_status(code);
    json_t *doc = json_object();
    json_object_set_new(doc, "type", json_sprintf("/errors/%s", ps_err_slug(code)));
    json_object_set_new(doc, "title", json_string(ps_err_title(code)));
    json_object_set_new(doc, "status", json_integer(status));
    char detail[512] = "";
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(detail, sizeof detail, detail_fmt, ap);
        va_end(ap);
    } else if (r->problem_detail) {
        snprintf(detail, sizeof detail, "%s", r->problem_detail);
    }
    if (detail[0])
        json_object_set_new(doc, "detail", json_stringn_nocheck(detail, strlen(detail)));
    if (ps_err_hint(code)[0])
        json_object_set_new(doc, "hint", json_string(ps_err_hint(code)));
    if (r->errs.n > 0) {
        json_t *errors = json_array();
        for (int i = 0; i < r->errs.n; i++)
            json_array_append_new(errors, json_pack("{s:s,s:s}", "field", r->errs.e[i].field,
                                                    "message", r->errs.e[i].message));
        json_object_set_new(doc, "errors", errors);
    }
    if (r->request_id[0])
        json_object_set_new(doc, "instance", json_sprintf("urn:request:%s", r->request_id));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text) {
        static const char fallback[] = "{\"status\":500,\"title\":\"Out of memory\"}";
        text = strdup(fallback);
        status = 500;
    }
    set_body(r, status, "application/problem+json", text, text ? strlen(text) : 0);
    return 0;
}

int ps_fail_field(struct ps_req *r, const char *field, const char *message)
{
    ps_errs_add(&r->errs, field, "%s", message);
    return PS_E_VALIDATION;
}

int ps_req_limit(const struct ps_req *r)
{
    return (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT);
}

const char *ps_req_cursor(const struct ps_req *r)
{
    return ps_json_str(r->query, "cursor", "");
}

int ps_reply_page(struct ps_req *r, json_t *items, bool more, const char *cursor_field)
{
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    json_t *cursor = more && last ? json_object_get(last, cursor_field) : NULL;
    json_t *next = cursor ? json_incref(cursor) : json_null();
    return ps_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}

/* --- the checks every route gets ------------------------------------------------------ */

/* Bearer token → claims. Missing: PS_E_UNAUTHENTICATED; anything wrong: PS_E_BAD_TOKEN. */
static int authenticate(struct ps_req *r)
{
    const char *h = ps_req_header(r, "Authorization");
    if (!h || !*h)
        return PS_E_UNAUTHENTICATED;
    if (strncasecmp(h, "Bearer ", 7) != 0 || !keyring)
        return PS_E_BAD_TOKEN;
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    int rc = ps_jwt_verify(keyring, token, ps_now_ms() / 1000, &r->claims);
    if (rc)
        return PS_E_BAD_TOKEN;
    r->authenticated = true;
    return 0;
}

static bool token_has_any_role(const struct ps_req *r, const char *csv)
{
    const char *p = csv;
    while (*p) {
        size_t len = strcspn(p, ",");
        char role[PS_MAX_ROLE_LEN];
        if (len < sizeof role) {
            memcpy(role, p, len);
            role[len] = '\0';
            if (ps_claims_has_role(&r->claims, role))
                return true;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

static bool content_type_is(const char *ct, const char *want)
{
    if (!ct)
        return false;
    size_t n = strlen(want);
    return strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int json_depth(const json_t *v)
{
    int deepest = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *child;
        json_object_foreach((json_t *)v, k, child) {
            int d = json_depth(child);
            if (d > deepest)
                deepest = d;
        }
        return deepest + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child) {
            int d = json_depth(child);
            if (d > deepest)
                deepest = d;
        }
        return deepest + 1;
    }
    return 0;
}

static void decref_json(void *p) { json_decref(p); }

/* Integral reals back to integers, where they fit: see load_with_big_integers(). */
static void restore_integers(json_t *v)
{
    const char *k;
    json_t *child;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, child) {
            double d = json_real_value(child);
            if (json_is_real(child) && d == (double)(json_int_t)d && d > -9.2e18 && d < 9.2e18)
                json_object_set_new(v, k, json_integer((json_int_t)d));
            else
                restore_integers(child);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child) {
            double d = json_real_value(child);
            if (json_is_real(child) && d == (double)(json_int_t)d && d > -9.2e18 && d < 9.2e18)
                json_array_set_new(v, i, json_integer((json_int_t)d));
            else
                restore_integers(child);
        }
    }
}

/* An integer beyond 64 bits is valid JSON, only out of range: parse it as a real so that the
 * parameter checks answer 422 naming its field instead of a 400 for the whole body. */
static json_t *load_with_big_integers(const char *text, size_t len, json_error_t *jerr)
{
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, jerr);
    if (v)
        restore_integers(v);
    return v;
}

/* Content type and JSON shape of the body, for routes that take JSON. */
static int parse_body(struct ps_req *r)
{
    const struct ps_route *rt = r->route;
    bool wants_json = rt->body || (rt->flags & PS_JSON);
    if (rt->flags & PS_UPLOAD) {
        if (!content_type_is(ps_req_header(r, "Content-Type"), "multipart/form-data"))
            return ps_reply_problem(r, PS_E_MEDIA_TYPE, "send the file as multipart/form-data"), 1;
        return 0;
    }
    if (!wants_json)
        return 0;
    if (r->body_len == 0) {
        r->json = json_object();              /* an empty body is an empty object: 422s follow */
    } else {
        const char *ct = ps_req_header(r, "Content-Type");
        if (!content_type_is(ct, "application/json"))
            return ps_reply_problem(r, PS_E_MEDIA_TYPE, "send the body as application/json"), 1;
        json_error_t jerr;
        r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
        if (!r->json && strstr(jerr.text, "too big"))
            r->json = load_with_big_integers(r->body, r->body_len, &jerr);
        if (!r->json)
            return ps_reply_problem(r, PS_E_BAD_JSON, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text), 1;
    }
    ps_arena_defer(&r->arena, decref_json, r->json);
    if (!json_is_object(r->json))
        return ps_reply_problem(r, PS_E_BAD_JSON, "the body must be a JSON object"), 1;
    if (json_depth(r->json) > PS_MAX_JSON_DEPTH)
        return ps_reply_problem(r, PS_E_BAD_JSON, "the body is nested deeper than %d levels", PS_MAX_JSON_DEPTH), 1;
    return 0;
}

static const char *query_get(const char *name, void *ctx)
{
    return ps_req_query(ctx, name);
}

/* Declared query and body parameters: every problem of both in one 422. */
static int check_params(struct ps_req *r)
{
    const struct ps_route *rt = r->route;
    r->query = json_object();
    ps_arena_defer(&r->arena, decref_json, r->query);
    if (rt->query)
        ps_query_check(query_get, r, rt->query, r->query, &r->errs);
    if (rt->body && r->json)
        ps_params_check(r->json, rt->body, "", &r->errs);
    if (r->errs.n > 0)
        return ps_reply_problem(r, PS_E_VALIDATION, "%d field%s failed validation", r->errs.n,
                                r->errs.n == 1 ? "" : "s"), 1;
    return 0;
}

/* Runs the checks in order; returns 1 when one of them already replied. */
static int preflight(struct ps_req *r)
{
    const struct ps_route *rt = r->route;
    if (rt->flags & (PS_AUTH | PS_AUTH_OPT) || rt->roles) {
        int rc = authenticate(r);
        bool required = (rt->flags & PS_AUTH) || rt->roles;
        if (rc == PS_E_BAD_TOKEN || (rc && required)) {
            ps_reply_header(r, "WWW-Authenticate", rc == PS_E_BAD_TOKEN
                            ? "Bearer error=\"invalid_token\"" : "Bearer");
            ps_reply_problem(r, rc, NULL);
            return 1;
        }
    }
    if (rt->authenticate) {
        int rc = rt->authenticate(r);
        if (rc < 0) {
            ps_reply_problem(r, rc, NULL);
            return 1;
        }
    }
    if (rt->roles && !token_has_any_role(r, rt->roles)) {
        ps_reply_problem(r, PS_E_FORBIDDEN, "this needs one of the roles: %s", rt->roles);
        return 1;
    }
    if (parse_body(r))
        return 1;
    return check_params(r);
}

void ps_router_dispatch(struct ps_req *r)
{
    if (!r->route) {
        ps_reply_problem(r, PS_E_NOT_FOUND, NULL);
        return;
    }
    if (preflight(r))
        return;
    struct ps_idem idem;
    bool idempotent = (r->route->flags & (PS_IDEMPOTENT | PS_IDEMPOTENT_TX)) != 0;
    if (idempotent) {
        int rc = ps_idem_begin(r, &idem);
        if (rc < 0) {
            ps_reply_problem(r, rc, NULL);
            return;
        }
        if (rc == PS_IDEM_REPLAYED)
            return;
    }
    int rc = r->route->handler(r);
    if (rc < 0) {
        ps_reply_problem(r, rc, NULL);
    } else if (!r->replied) {
        ps_log_error("handler of %s %s returned without a reply", ps_method_name(r->route->method),
                     r->route->pattern);
        ps_reply_problem(r, PS_E_INTERNAL, NULL);
    }
    if (idempotent)
        ps_idem_finish(r, &idem);
}
