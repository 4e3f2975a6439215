/* What the search module's files share (not for other modules: see search.h). */
#ifndef PS_SEARCH_INTERNAL_H
#define PS_SEARCH_INTERNAL_H

#include <jansson.h>

#include "core/limits.h"
#include "core/buf.h"

struct ps_db_conn;

#define SEARCH_CANDIDATES       200   /* matches ranked per query (see docs/PROVIDERS.md) */
#define SEARCH_MAX_DOC_TOKENS   4096

/* Register the pitstop_cjk FTS5 tokenizer on one SQLite connection (module .sqlite_init). */
int search_sqlite_init(void *sqlite3_handle);

struct search_tokens {
    int n;
    char *tok[SEARCH_MAX_DOC_TOKENS];   /* malloc'ed copies; free with search_tokens_free */
};
/* Distinct tokens of text in the given mode (appended to t). */
void search_tokens_collect(struct search_tokens *t, const char *text, int mode);
void search_tokens_free(struct search_tokens *t);

/* Create the SQLite FTS5 index and triggers if missing (module init). */
struct ps_db;
int search_store_init(struct ps_db *db);

/* Run a query; kind may be "" for all kinds. Returns {items:[...]} (new reference) or NULL
 * on a database error. */
json_t *search_store_query(struct ps_db_conn *c, const struct search_tokens *q, const char *kind,
                           int limit);

#endif
