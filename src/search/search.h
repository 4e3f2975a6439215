/* Full-text search, for the modules that own searchable things: they index an entry inside
 * their own write transaction and the search module answers GET /api/v1/search. */
#ifndef PS_SEARCH_H
#define PS_SEARCH_H

struct ps_db_conn;

/* Index (or re-index) one thing. kind: "provider" | "service" | "post"; ref_id its id;
 * provider_id may be NULL; title and body are what is searched; snippet is what a hit shows.
 * Returns 0 or a PS_E_* code. */
int search_index_put(struct ps_db_conn *c, const char *kind, const char *ref_id,
                     const char *provider_id, const char *title, const char *body,
                     const char *snippet);
/* Remove one thing from the index (absent is fine). */
int search_index_delete(struct ps_db_conn *c, const char *kind, const char *ref_id);

#endif
