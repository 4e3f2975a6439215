/* GET /api/v1/search: tokenise q exactly as documents were, then match every token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/router.h"
#include "search/search_internal.h"
#include "search/tokenizer.h"

static const char *const kinds[] = { "provider", "service", "post", NULL };

static const struct ps_param search_query[] = {
    { "q", PS_STRING, PS_REQUIRED, .min = 1, .max = 200,
      .description = "words or Chinese text; every token must match" },
    { "type", PS_ENUM, 0, .choices = kinds, .description = "only this kind of result" },
    { "limit", PS_INT, 0, .min = 1, .max = 100, .description = "at most this many items (default 20)" },
    PS_PARAM_END
};

static int search_get(struct ps_req *r)
{
    const char *q = ps_json_str(r->query, "q", "");
    const char *kind = ps_json_str(r->query, "type", "");
    int limit = (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT);
    struct search_tokens *t = calloc(1, sizeof *t);
    if (!t)
        return PS_E_NOMEM;
    search_tokens_collect(t, q, SEARCH_TOK_QUERY);
    if (t->n == 0) {
        free(t);
        return ps_fail_field(r, "q", "must contain at least one letter, digit or CJK character");
    }
    if (t->n > SEARCH_MAX_QUERY_TOKENS) {
        for (int i = SEARCH_MAX_QUERY_TOKENS; i < t->n; i++)
            free(t->tok[i]);
        t->n = SEARCH_MAX_QUERY_TOKENS;
    }
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    json_t *out = search_store_query(c, t, kind, limit);
    ps_db_release(c);
    search_tokens_free(t);
    free(t);
    if (!out)
        return PS_E_DB;
    return ps_reply_json(r, 200, out);
}

static const struct ps_route search_routes[] = {
    { PS_GET, "/api/v1/search", search_get, PS_PUBLIC, .query = search_query,
      .summary = "Full-text search over providers and services (Chinese and English)",
      .tag = "search", .response = "SearchResults" },
    PS_ROUTE_END
};

static json_t *obj_schema(json_t *required, json_t *props)
{
    return json_pack("{s:s, s:o, s:o}", "type", "object", "required", required, "properties", props);
}

static void search_schemas(json_t *components)
{
    json_t *hit = obj_schema(json_pack("[s,s,s,s]", "type", "id", "title", "snippet"),
        json_pack("{s:{s:s, s:[s,s,s]}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}",
                  "type", "type", "string", "enum", "provider", "service", "post",
                  "id", "type", "string", "title", "type", "string",
                  "snippet", "type", "string", "provider_id", "type", "string"));
    json_object_set_new(components, "SearchHit", hit);
    json_object_set_new(components, "SearchResults", obj_schema(json_pack("[s]", "items"),
        json_pack("{s:{s:s, s:{s:s}}}", "items", "type", "array", "items", "$ref",
                  "#/components/schemas/SearchHit")));
}

static int search_init(const struct ps_app *app)
{
    return search_store_init(app->db);
}

const struct ps_module ps_module_search = {
    .name = "search",
    .routes = search_routes,
    .init = search_init,
    .schemas = search_schemas,
    .sqlite_init = search_sqlite_init,
};
