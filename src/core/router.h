/* Routes are data: each module registers one static table, and the router runs the checks
 * every route needs (auth, roles, content type, body size, JSON shape, declared parameters)
 * once, before any handler. Handlers validate -> call the rules -> reply, and either call
 * one ps_reply_*() or return a negative PS_E_* code that the router turns into a problem
 * document.
 *
 *     static const struct ps_route accounts_routes[] = {
 *         { PS_POST, "/api/v1/auth/login", login, .body = login_params,
 *           .summary = "Log in", .tag = "accounts", .response = "Session" },
 *         { PS_GET,  "/api/v1/me", me_get, PS_AUTH, .response = "User" },
 *         PS_ROUTE_END
 *     };
 */
#ifndef PS_ROUTER_H
#define PS_ROUTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/json.h"
#include "core/limits.h"

enum ps_method { PS_GET = 1, PS_POST, PS_PUT, PS_PATCH, PS_DELETE, PS_HEAD, PS_OPTIONS };

enum {
    PS_AUTH       = 1 << 0,  /* a valid Bearer access token is required */
    PS_AUTH_OPT   = 1 << 1,  /* a token is read if present (bad token still -> 401) */
    PS_JSON       = 1 << 2,  /* a JSON object body is required (implied by .body) */
    PS_IDEMPOTENT = 1 << 3,  /* honours Idempotency-Key (see idempotency in docs) */
    PS_UPLOAD     = 1 << 4,  /* multipart body up to PS_MAX_UPLOAD_BODY, not parsed as JSON */
    PS_RAW        = 1 << 5,  /* keep the raw body bytes (signed webhooks) */
    PS_PUBLIC     = 1 << 6,  /* documented as needing no auth (no security in OpenAPI) */
    PS_IDEMPOTENT_TX = 1 << 7, /* Idempotency-Key, recorded by the handler inside its own write
                                * transaction with ps_idem_record() (one write, not three) */
};

struct ps_req;
typedef int (*ps_handler)(struct ps_req *r);

struct ps_route {
    enum ps_method method;
    const char *pattern;               /* "/api/v1/orders/:id/pay" */
    ps_handler handler;
    unsigned flags;
    const struct ps_param *body;       /* declared JSON body (implies PS_JSON) */
    const struct ps_param *query;      /* declared query parameters */
    const char *roles;                 /* comma list; the token must hold one of them ("operator,reviewer") */
    const char *summary;               /* OpenAPI: one line */
    const char *tag;                   /* OpenAPI: the module */
    const char *response;              /* OpenAPI: schema name in components, NULL = none */
    int status;                        /* success status (default 200) */
    const char *errors;                /* OpenAPI: extra statuses this route answers, "404,409" */
    /* A route with credentials of its own (device tokens): checked before the body, like a
     * Bearer token; returns 0 or a PS_E_* code (headers it set are kept). It may leave what
     * it found in r->auth_ctx (arena memory) for the handler. */
    int (*authenticate)(struct ps_req *r);
    const char *auth_scheme;           /* OpenAPI security scheme of .authenticate: "device" */
};
#define PS_ROUTE_END { .pattern = NULL }

/* The request as a handler sees it. Everything here is borrowed until the request ends. */
struct ps_req {
    struct ps_arena arena;             /* request-scoped memory */
    enum ps_method method;
    const char *path;
    const struct ps_route *route;
    int route_id;                      /* index in the router, for metrics */
    int nparams;
    const char *param_names[PS_MAX_ROUTE_PARAMS];
    const char *param_values[PS_MAX_ROUTE_PARAMS];
    const char *body;                  /* raw body (NUL-terminated), may be NULL */
    size_t body_len;
    json_t *json;                      /* parsed body object (owned by the request) */
    json_t *query;                     /* declared query parameters, typed (owned) */
    bool authenticated;
    struct ps_claims claims;           /* valid when authenticated */
    void *auth_ctx;                    /* what a route's own .authenticate found */
    struct ps_idem *idem;              /* the Idempotency-Key being honoured, or NULL */
    char request_id[40];
    char client_ip[64];
    struct ps_field_errors errs;       /* fill, then return PS_E_VALIDATION */
    const char *problem_detail;        /* optional detail for the problem document */
    /* filled by ps_reply_*: */
    int status;
    char *resp_body;                   /* malloc'ed; the transport frees it */
    size_t resp_len;
    const char *resp_type;
    int nheaders;
    const char *resp_headers[8][2];
    bool replied;
    void *transport;                   /* the HTTP layer's connection, opaque here */
};

/* --- what handlers use ------------------------------------------------------------- */

const char *ps_req_param(const struct ps_req *r, const char *name);   /* :name from the path */
const char *ps_req_header(const struct ps_req *r, const char *name);  /* request header */
/* Raw query parameter (undeclared ones too). */
const char *ps_req_query(const struct ps_req *r, const char *name);
/* The authenticated user's id ("" when not authenticated). */
const char *ps_req_user(const struct ps_req *r);
bool ps_req_has_role(const struct ps_req *r, const char *role);

/* Reply with a JSON body (takes ownership of body; serialised compactly). */
int ps_reply_json(struct ps_req *r, int status, json_t *body);
/* Reply with bytes already serialised (copied). */
int ps_reply_raw(struct ps_req *r, int status, const char *content_type, const void *data, size_t len);
int ps_reply_empty(struct ps_req *r, int status);
/* Problem document for code (a PS_E_*), detail printf-style (may be NULL); includes
 * r->errs when the code is PS_E_VALIDATION. Always returns 0 so handlers can
 * `return ps_reply_problem(...)`. */
int ps_reply_problem(struct ps_req *r, int code, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Add a response header (name and value must outlive the request: literals or arena). */
void ps_reply_header(struct ps_req *r, const char *name, const char *value);
/* Convenience: one field error and 422. */
int ps_fail_field(struct ps_req *r, const char *field, const char *message);

/* Lists (SPEC §2): `?limit=` and `?cursor=`, answered as {"items": [...], "next_cursor": ...}.
 * Declare both in the route's query table with these two entries: */
#define PS_PARAM_LIMIT  { "limit", PS_INT, 0, .min = 1, .max = PS_LIST_MAX, \
                          .description = "page size (default 20, at most 100)" }
#define PS_PARAM_CURSOR { "cursor", PS_CURSOR, 0, \
                          .description = "next_cursor of the previous page" }
/* The requested page size (PS_LIST_DEFAULT when absent) and cursor ("" when absent). */
int ps_req_limit(const struct ps_req *r);
const char *ps_req_cursor(const struct ps_req *r);
/* Reply 200 with a page: next_cursor is the cursor_field of the last item when more follow,
 * else null. Takes ownership of items. */
int ps_reply_page(struct ps_req *r, json_t *items, bool more, const char *cursor_field);

/* --- registration and dispatch (used by main and the HTTP layer) -------------------- */

/* Register a NULL-terminated table (static storage). Returns 0 or PS_E_INTERNAL when a
 * pattern is malformed or the router is full. */
int ps_router_add(const struct ps_route *table);
/* Number of registered routes and the i-th one (for OpenAPI, metrics, `pitstop routes`). */
int ps_router_count(void);
const struct ps_route *ps_router_at(int i);
/* Find the route for method+path; fills r->route, r->route_id, r->param_*. Returns 0,
 * PS_E_NOT_FOUND (no such path) or PS_E_METHOD (path exists, method does not; *allow gets a
 * comma list of methods, arena-owned). */
int ps_router_match(struct ps_req *r, enum ps_method method, const char *path, const char **allow);
/* The checks every route gets, then the handler; always leaves a reply in r. */
void ps_router_dispatch(struct ps_req *r);
/* Hook that reads headers for the router (installed by the HTTP layer). */
void ps_router_set_header_reader(const char *(*fn)(const struct ps_req *r, const char *name, int kind));
enum { PS_HDR = 1, PS_QUERY = 2 };

const char *ps_method_name(enum ps_method m);
enum ps_method ps_method_parse(const char *s);

/* Services the router needs to authenticate requests (set once at start-up). */
void ps_router_set_keyring(const struct ps_jwt_keyring *kr);

/* A handler may need app-wide state (db, keys, config): modules keep their own pointers
 * given at registration time; the core provides this for the common ones. */
struct ps_db;
struct ps_config;
struct ps_pii_keys;
struct ps_app {
    struct ps_db *db;
    const struct ps_config *cfg;
    const struct ps_jwt_keyring *jwt;
    const struct ps_pii_keys *pii;
};
const struct ps_app *ps_app(void);
void ps_app_set(const struct ps_app *app);

#endif
