-- Full-text search (SPEC §5): one row per searchable thing (provider, service, post). tokens
-- holds the distinct tokens the C tokenizer (src/search/tokenizer.c) produced for title and
-- body, the same tokens FTS5 indexes on SQLite; a query is `tokens @> <query tokens>` served
-- by the GIN index, so both backends answer alike.
CREATE TABLE search_docs (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,                  -- provider | service | post
    ref_id      TEXT NOT NULL,
    provider_id TEXT,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    snippet     TEXT NOT NULL,
    tokens      TEXT[] NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_tokens ON search_docs USING GIN (tokens);
