#include "core/openapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_routes.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/router.h"

/* "/api/v1/orders/:id/pay" -> "/api/v1/orders/{id}/pay"; names of the params into params. */
static json_t *openapi_path(const char *pattern, json_t *params)
{
    char out[512];
    size_t o = 0;
    for (const char *p = pattern; *p && o + 3 < sizeof out; p++) {
        if (*p == ':' && (p == pattern || p[-1] == '/')) {
            size_t n = strcspn(p + 1, "/");
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
            json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", name, "in", "path",
                                                    "required", 1, "schema", "type", "string"));
            o += (size_t)snprintf(out + o, sizeof out - o, "{%s}", name);
            p += n;
        } else {
            out[o++] = *p;
        }
    }
    out[o < sizeof out ? o : sizeof out - 1] = '\0';
    return json_string(out);
}

static void add_query_params(const struct ps_param *table, json_t *params)
{
    json_t *schema = ps_params_schema(table);
    json_t *props = json_object_get(schema, "properties");
    for (const struct ps_param *p = table; p && p->name; p++) {
        json_t *param = json_pack("{s:s,s:s,s:b,s:O}", "name", p->name, "in", "query", "required",
                                  (p->flags & PS_REQUIRED) != 0, "schema", json_object_get(props, p->name));
        if (p->description)
            json_object_set_new(param, "description", json_string(p->description));
        json_array_append_new(params, param);
    }
    json_decref(schema);
}

static json_t *problem_response(int code)
{
    return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", ps_err_title(code), "content",
                     "application/problem+json", "schema", "$ref", "#/components/schemas/Problem");
}

static void add_error(json_t *responses, int status)
{
    char key[8];
    snprintf(key, sizeof key, "%d", status);
    if (json_object_get(responses, key))
        return;
    const char *slug, *title;
    for (int i = 0, code, st; ps_err_at(i, &code, &st, &slug, &title) == 0; i++)
        if (st == status) {
            json_object_set_new(responses, key, problem_response(code));
            return;
        }
}

static json_t *responses_of(const struct ps_route *rt, json_t *schemas)
{
    json_t *responses = json_object();
    int status = rt->status ? rt->status : 200;
    char key[8];
    snprintf(key, sizeof key, "%d", status);
    json_t *ok = json_pack("{s:s}", "description", rt->summary ? rt->summary : "OK");
    if (status != 204) {
        json_t *schema = json_pack("{s:s}", "type", "object");
        if (rt->response) {
            if (!json_object_get(schemas, rt->response))   /* a module forgot its schema */
                json_object_set_new(schemas, rt->response, json_pack("{s:s}", "type", "object"));
            json_decref(schema);
            schema = json_object();
            json_object_set_new(schema, "$ref", json_sprintf("#/components/schemas/%s", rt->response));
        }
        json_object_set_new(ok, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
    }
    json_object_set_new(responses, key, ok);
    if (rt->flags & PS_AUTH || rt->roles || rt->authenticate)
        add_error(responses, 401);
    if (rt->roles)
        add_error(responses, 403);
    if (rt->body || rt->flags & PS_JSON) {
        add_error(responses, 400);
        add_error(responses, 413);
        add_error(responses, 415);
    }
    if (rt->body || rt->query || (rt->flags & (PS_IDEMPOTENT | PS_IDEMPOTENT_TX)))
        add_error(responses, 422);
    for (const char *e = rt->errors; e && *e;) {
        add_error(responses, (int)strtol(e, NULL, 10));
        e += strcspn(e, ",");
        if (*e == ',')
            e++;
    }
    return responses;
}

static json_t *operation_of(const struct ps_route *rt, int index, json_t *path_params, json_t *schemas)
{
    json_t *op = json_object();
    char opid[300];
    snprintf(opid, sizeof opid, "%s_%d", ps_method_name(rt->method), index);
    for (char *c = opid; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    json_object_set_new(op, "operationId", json_string(opid));
    json_object_set_new(op, "summary", json_string(rt->summary ? rt->summary : rt->pattern));
    json_object_set_new(op, "tags", json_pack("[s]", rt->tag ? rt->tag : "platform"));
    json_t *params = json_deep_copy(path_params);
    if (rt->query)
        add_query_params(rt->query, params);
    if (rt->flags & (PS_IDEMPOTENT | PS_IDEMPOTENT_TX))
        json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s,s:i},s:s}", "name", "Idempotency-Key",
                                                "in", "header", "required", 0, "schema", "type", "string",
                                                "maxLength", 255, "description",
                                                "Replays the first answer for the same key and body (24 h)"));
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (rt->body)
        json_object_set_new(op, "requestBody", json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content",
                                                         "application/json", "schema", ps_params_schema(rt->body)));
    else if (rt->flags & PS_UPLOAD)
        json_object_set_new(op, "requestBody", json_pack(
            "{s:b,s:{s:{s:{s:s,s:{s:{s:s,s:s}},s:[s]}}}}", "required", 1, "content", "multipart/form-data",
            "schema", "type", "object", "properties", "file", "type", "string", "format", "binary",
            "required", "file"));
    json_object_set_new(op, "responses", responses_of(rt, schemas));
    if (rt->flags & PS_AUTH || rt->roles)
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
    else if (rt->auth_scheme)
        json_object_set_new(op, "security", json_pack("[{s:[]}]", rt->auth_scheme));
    else
        json_object_set_new(op, "security", json_array());
    return op;
}

static json_t *problem_schema(void)
{
    return json_pack("{s:s,s:[s,s,s],s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s,s:{s:s,s:{s:{s:s},s:{s:s}}}}}}",
                     "type", "object", "required", "type", "title", "status", "properties",
                     "type", "type", "string", "title", "type", "string", "status", "type", "integer",
                     "detail", "type", "string", "hint", "type", "string", "instance", "type", "string",
                     "errors", "type", "array", "items", "type", "object", "properties",
                     "field", "type", "string", "message", "type", "string");
}

json_t *ps_openapi_build(void)
{
    json_t *schemas = json_object();
    json_object_set_new(schemas, "Problem", problem_schema());
    ps_audit_schemas(schemas);
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        if ((*m)->schemas)
            (*m)->schemas(schemas);
    json_t *paths = json_object();
    for (int i = 0; i < ps_router_count(); i++) {
        const struct ps_route *rt = ps_router_at(i);
        json_t *path_params = json_array();
        json_t *path = openapi_path(rt->pattern, path_params);
        json_t *item = json_object_get(paths, json_string_value(path));
        if (!item) {
            item = json_object();
            json_object_set_new(paths, json_string_value(path), item);
        }
        char method[16];
        snprintf(method, sizeof method, "%s", ps_method_name(rt->method));
        for (char *c = method; *c; c++)
            *c = (char)(*c + 32);
        json_object_set_new(item, method, operation_of(rt, i, path_params, schemas));
        json_decref(path_params);
        json_decref(path);
    }
    return json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:o,s:{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s}}}}",
                     "openapi", "3.1.0",
                     "info", "title", "Pitstop API", "version", "1.0.0", "description",
                     "Automotive aftermarket service platform: owners, providers and operators.",
                     "servers", "url", "/",
                     "paths", paths,
                     "components", "schemas", schemas, "securitySchemes", "bearer", "type", "http",
                     "scheme", "bearer", "bearerFormat", "JWT",
                     "device", "type", "apiKey", "in", "header", "name", "Authorization",
                     "description", "Device <token>: a vehicle device's token, shown once when it was added");
}
