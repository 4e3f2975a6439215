/* All SQL of the search module: the index (search_docs, with FTS5 on SQLite and a GIN-indexed
 * token array on PostgreSQL) and the query, ranked in C the same way on both backends. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"
#include "search/search.h"
#include "search/search_internal.h"
#include "search/tokenizer.h"

static int collect_one(void *ctx, const char *tok, int len, int start, int end)
{
    struct search_tokens *t = ctx;
    for (int i = 0; i < t->n; i++)
        if ((int)strlen(t->tok[i]) == len && !memcmp(t->tok[i], tok, (size_t)len))
            return 0;
    if (t->n >= SEARCH_MAX_DOC_TOKENS)
        return 1;
    char *copy = malloc((size_t)len + 1);
    if (!copy)
        return 1;
    memcpy(copy, tok, (size_t)len);
    copy[len] = '\0';
    t->tok[t->n++] = copy;
    return 0;
}

void search_tokens_collect(struct search_tokens *t, const char *text, int mode)
{
    if (text)
        search_tokenize(text, (int)strlen(text), (enum search_tok_mode)mode, collect_one, t);
}

void search_tokens_free(struct search_tokens *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->tok[i]);
    t->n = 0;
}

static bool is_pg(void)
{
    return ps_db_backend(ps_app()->db) == PS_DB_POSTGRES;
}

/* {"a","b"}: a PostgreSQL text[] literal (tokens never hold quotes or backslashes, but they
 * are escaped anyway). */
static int array_literal(const struct search_tokens *t, struct ps_buf *b)
{
    int rc = ps_buf_puts(b, "{");
    for (int i = 0; rc == 0 && i < t->n; i++) {
        rc = ps_buf_puts(b, i ? ",\"" : "\"");
        for (const char *p = t->tok[i]; rc == 0 && *p; p++) {
            if (*p == '"' || *p == '\\')
                rc = ps_buf_append(b, "\\", 1);
            if (rc == 0)
                rc = ps_buf_append(b, p, 1);
        }
        if (rc == 0)
            rc = ps_buf_puts(b, "\"");
    }
    return rc ? rc : ps_buf_puts(b, "}");
}

static const char SQL_PUT_SQLITE[] =
    "INSERT INTO search_docs (kind, ref_id, provider_id, title, body, snippet, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, ref_id) DO UPDATE SET "
    "provider_id = excluded.provider_id, title = excluded.title, body = excluded.body, "
    "snippet = excluded.snippet, updated_at = excluded.updated_at";
static const char SQL_PUT_PG[] =
    "INSERT INTO search_docs (kind, ref_id, provider_id, title, body, snippet, updated_at, tokens) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[]) ON CONFLICT (kind, ref_id) DO UPDATE SET "
    "provider_id = excluded.provider_id, title = excluded.title, body = excluded.body, "
    "snippet = excluded.snippet, updated_at = excluded.updated_at, tokens = excluded.tokens";

int search_index_put(struct ps_db_conn *c, const char *kind, const char *ref_id,
                     const char *provider_id, const char *title, const char *body,
                     const char *snippet)
{
    bool pg = is_pg();
    struct ps_buf arr;
    ps_buf_init(&arr, 1024 * 1024);
    struct search_tokens *t = NULL;
    int rc = 0;
    if (pg) {
        t = calloc(1, sizeof *t);
        if (!t)
            return PS_E_NOMEM;
        search_tokens_collect(t, title, SEARCH_TOK_DOCUMENT);
        search_tokens_collect(t, body, SEARCH_TOK_DOCUMENT);
        if ((rc = array_literal(t, &arr)) != 0)
            goto out;
    }
    struct ps_db_stmt *s;
    if ((rc = ps_db_prepare(c, pg ? SQL_PUT_PG : SQL_PUT_SQLITE, &s)) != 0)
        goto out;
    ps_db_bind_text(s, 1, kind);
    ps_db_bind_text(s, 2, ref_id);
    ps_db_bind_text(s, 3, provider_id);
    ps_db_bind_text(s, 4, title ? title : "");
    ps_db_bind_text(s, 5, body ? body : "");
    ps_db_bind_text(s, 6, snippet ? snippet : "");
    ps_db_bind_int64(s, 7, ps_now_ms());
    if (pg)
        ps_db_bind_text(s, 8, arr.data);
    rc = ps_db_step(s);
    ps_db_reset(s);
    rc = rc < 0 ? rc : 0;
out:
    if (t) {
        search_tokens_free(t);
        free(t);
    }
    ps_buf_free(&arr);
    if (rc < 0)
        ps_log_error("search: index %s %s: %s", kind, ref_id, ps_db_errmsg(c));
    return ps_db_err_to_ps(rc);
}

static const char SQL_DELETE[] = "DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2";

int search_index_delete(struct ps_db_conn *c, const char *kind, const char *ref_id)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_DELETE, &s);
    if (rc == 0) {
        ps_db_bind_text(s, 1, kind);
        ps_db_bind_text(s, 2, ref_id);
        rc = ps_db_step(s);
        ps_db_reset(s);
    }
    return ps_db_err_to_ps(rc < 0 ? rc : 0);
}

/* Candidates in the order the documents were indexed (the same on both backends), which FTS5
 * returns natively: the scan stops after 200 matches instead of sorting every match (42,000
 * for 保养 over 10,000 demo providers). They are ranked in C below. */
static const char SQL_QUERY_SQLITE[] =
    "SELECT d.kind, d.ref_id, d.provider_id, d.title, d.snippet FROM search_fts "
    "JOIN search_docs d ON d.id = search_fts.rowid "
    "WHERE search_fts MATCH $1 AND ($2 = '' OR d.kind = $2) "
    "ORDER BY search_fts.rowid LIMIT 200";
static const char SQL_QUERY_PG[] =
    "SELECT kind, ref_id, provider_id, title, snippet FROM search_docs "
    "WHERE tokens @> $1::text[] AND ($2 = '' OR kind = $2) "
    "ORDER BY id LIMIT 200";

struct hit {
    json_t *item;
    int title_hits;
    int kind_rank;
    const char *kind, *ref_id;
};

static int kind_rank(const char *k)
{
    return !strcmp(k, "provider") ? 0 : !strcmp(k, "service") ? 1 : 2;
}

static int cmp_hit(const void *pa, const void *pb)
{
    const struct hit *a = pa, *b = pb;
    if (a->title_hits != b->title_hits)
        return b->title_hits - a->title_hits;
    if (a->kind_rank != b->kind_rank)
        return a->kind_rank - b->kind_rank;
    return strcmp(a->ref_id, b->ref_id);
}

/* How many query tokens occur among the title's tokens. */
static int title_hits(const struct search_tokens *q, const char *title)
{
    struct search_tokens *t = calloc(1, sizeof *t);
    if (!t)
        return 0;
    search_tokens_collect(t, title, SEARCH_TOK_DOCUMENT);
    int hits = 0;
    for (int i = 0; i < q->n; i++)
        for (int j = 0; j < t->n; j++)
            if (!strcmp(q->tok[i], t->tok[j])) {
                hits++;
                break;
            }
    search_tokens_free(t);
    free(t);
    return hits;
}

json_t *search_store_query(struct ps_db_conn *c, const struct search_tokens *q, const char *kind,
                           int limit)
{
    bool pg = is_pg();
    struct ps_buf expr;
    ps_buf_init(&expr, 64 * 1024);
    int rc = 0;
    if (pg) {
        rc = array_literal(q, &expr);
    } else {
        /* Each token quoted on its own (quotes doubled): user text never becomes FTS5 syntax. */
        for (int i = 0; rc == 0 && i < q->n; i++) {
            rc = ps_buf_puts(&expr, i ? " \"" : "\"");
            for (const char *p = q->tok[i]; rc == 0 && *p; p++)
                rc = ps_buf_append(&expr, p, 1) || (*p == '"' && ps_buf_append(&expr, "\"", 1));
            if (rc == 0)
                rc = ps_buf_puts(&expr, "\"");
        }
    }
    struct hit *hits = calloc(SEARCH_CANDIDATES, sizeof *hits);
    json_t *result = NULL;
    int n = 0;
    struct ps_db_stmt *s = NULL;
    if (rc || !hits || ps_db_prepare(c, pg ? SQL_QUERY_PG : SQL_QUERY_SQLITE, &s) != 0)
        goto out;
    ps_db_bind_text(s, 1, expr.data);
    ps_db_bind_text(s, 2, kind);
    while ((rc = ps_db_step(s)) == PS_DB_ROW && n < SEARCH_CANDIDATES) {
        const char *title = ps_db_col_text(s, 3);
        json_t *item = json_pack("{s:s, s:s, s:s, s:s}", "type", ps_db_col_text(s, 0),
                                 "id", ps_db_col_text(s, 1), "title", title ? title : "",
                                 "snippet", ps_db_col_text(s, 4) ? ps_db_col_text(s, 4) : "");
        if (!item)
            continue;
        if (!ps_db_col_is_null(s, 2))
            json_object_set_new(item, "provider_id", json_string(ps_db_col_text(s, 2)));
        hits[n].item = item;
        hits[n].title_hits = title_hits(q, title);
        hits[n].kind = json_string_value(json_object_get(item, "type"));
        hits[n].ref_id = json_string_value(json_object_get(item, "id"));
        hits[n].kind_rank = kind_rank(hits[n].kind);
        n++;
    }
    ps_db_reset(s);
    if (rc < 0) {
        ps_log_error("search: query failed: %s", ps_db_errmsg(c));
        goto out;
    }
    qsort(hits, (size_t)n, sizeof *hits, cmp_hit);
    json_t *items = json_array();
    for (int i = 0; i < n && i < limit; i++) {
        json_array_append(items, hits[i].item);
    }
    result = json_pack("{s:o}", "items", items);
out:
    for (int i = 0; hits && i < n; i++)
        json_decref(hits[i].item);
    free(hits);
    ps_buf_free(&expr);
    return result;
}

/* SQLite: the FTS5 index (external content over search_docs, keyed by its id) and its
 * triggers, created once the pitstop_cjk tokenizer is registered; a fresh index is filled
 * from search_docs (the 'rebuild' command) so rows written before it existed are found. */
static const char SQL_FTS_SCHEMA[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, "
    "content = 'search_docs', content_rowid = 'id', tokenize = 'pitstop_cjk');"
    "CREATE TRIGGER IF NOT EXISTS search_docs_ai AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END;"
    "CREATE TRIGGER IF NOT EXISTS search_docs_ad AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END;"
    "CREATE TRIGGER IF NOT EXISTS search_docs_au AFTER UPDATE ON search_docs BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END;";
static const char SQL_FTS_EXISTS[] =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'";
static const char SQL_FTS_REBUILD[] = "INSERT INTO search_fts (search_fts) VALUES ('rebuild')";

static int fts_schema_tx(struct ps_db_conn *c, void *arg)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_FTS_EXISTS, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    bool exists = ps_db_step(s) == PS_DB_ROW;
    ps_db_reset(s);
    if (exists)
        return 0;
    if ((rc = ps_db_exec(c, SQL_FTS_SCHEMA)) != 0 || (rc = ps_db_exec(c, SQL_FTS_REBUILD)) != 0) {
        ps_log_error("search: cannot create the FTS5 index: %s", ps_db_errmsg(c));
        return ps_db_err_to_ps(rc);
    }
    return 0;
}

int search_store_init(struct ps_db *db)
{
    if (ps_db_backend(db) != PS_DB_SQLITE)
        return 0;
    return ps_db_write(db, fts_schema_tx, NULL);
}
