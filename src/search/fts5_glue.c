/* The pitstop_cjk FTS5 tokenizer: the C tokenizer of tokenizer.c registered on each SQLite
 * connection through the fts5_api pointer (SELECT fts5(?1) with sqlite3_bind_pointer). */
#include <sqlite3.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"
#include "search/search_internal.h"
#include "search/tokenizer.h"

struct glue {
    void *ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
};

static int emit(void *ctx, const char *tok, int len, int start, int end)
{
    struct glue *g = ctx;
    return g->xToken(g->ctx, 0, tok, len, start, end);
}

/* The tokenizer keeps no state: every instance is the same static object. */
static int dummy_instance;

static int cjk_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    *out = (Fts5Tokenizer *)&dummy_instance;
    return SQLITE_OK;
}

static void cjk_delete(Fts5Tokenizer *t) {}

static int cjk_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
    struct glue g = { ctx, xToken };
    enum search_tok_mode mode = (flags & FTS5_TOKENIZE_QUERY) ? SEARCH_TOK_QUERY
                                                               : SEARCH_TOK_DOCUMENT;
    return search_tokenize(text, len, mode, emit, &g);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int search_sqlite_init(void *handle)
{
    static fts5_tokenizer tok = { cjk_create, cjk_delete, cjk_tokenize };
    fts5_api *api = fts5_api_of(handle);
    if (!api || api->iVersion < 2) {
        ps_log_error("search: this SQLite has no FTS5");
        return PS_E_INTERNAL;
    }
    if (api->xCreateTokenizer(api, "pitstop_cjk", NULL, &tok, NULL) != SQLITE_OK)
        return PS_E_INTERNAL;
    return 0;
}
