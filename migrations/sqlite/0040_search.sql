-- Full-text search (SPEC §5): one row per searchable thing (provider, service, post).
CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,                  -- provider | service | post
    ref_id      TEXT NOT NULL,
    provider_id TEXT,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    snippet     TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (kind, ref_id)
);
-- The FTS5 index over it (search_fts, tokenizer pitstop_cjk) and the triggers that keep it in
-- step are created by the search module when it starts (src/search/search_store.c): the
-- tokenizer is C code registered on each connection, and a bare `pitstop migrate` connection
-- may not have it.
