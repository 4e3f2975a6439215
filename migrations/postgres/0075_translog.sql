-- The verifiable service history (SPEC §6, docs/TRANSPARENCY.md): an append-only RFC 6962
-- Merkle log. translog_head is the single row every append updates first (the row lock
-- orders appends across nodes); translog_nodes keeps every complete subtree hash so that
-- proofs read O(log n) rows; translog_sths holds a signed tree head for every size 0..n;
-- translog_keys the Ed25519 key pair, its seed sealed under PITSTOP_DATA_KEY. Hashes, keys and
-- signatures are lower-case hex.
CREATE TABLE translog_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT NOT NULL CHECK (tree_size >= 0)
);
INSERT INTO translog_head (id, tree_size) VALUES (1, 0);

CREATE TABLE translog_leaves (
    leaf_index BIGINT PRIMARY KEY,
    leaf_data  TEXT NOT NULL,      -- canonical JSON, the exact bytes hashed
    leaf_hash  TEXT NOT NULL,      -- SHA-256(0x00 || leaf_data)
    created_at BIGINT NOT NULL
);

CREATE TABLE translog_nodes (
    level      INTEGER NOT NULL,   -- the subtree covers 2^level leaves
    node_index BIGINT NOT NULL,    -- ... starting at leaf node_index * 2^level
    hash       TEXT NOT NULL,
    PRIMARY KEY (level, node_index)
);

CREATE TABLE translog_sths (
    tree_size    BIGINT PRIMARY KEY,
    timestamp_ms BIGINT NOT NULL,
    root_hash    TEXT NOT NULL,
    signature    TEXT NOT NULL
);

CREATE TABLE translog_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    public_key  TEXT NOT NULL,
    sealed_seed TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Nothing the application runs may rewrite history (verify-log catches whoever drops these).
CREATE FUNCTION translog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER translog_leaves_append_only BEFORE UPDATE OR DELETE ON translog_leaves
    FOR EACH ROW EXECUTE FUNCTION translog_append_only();
CREATE TRIGGER translog_sths_append_only BEFORE UPDATE OR DELETE ON translog_sths
    FOR EACH ROW EXECUTE FUNCTION translog_append_only();
CREATE TRIGGER translog_nodes_append_only BEFORE UPDATE OR DELETE ON translog_nodes
    FOR EACH ROW EXECUTE FUNCTION translog_append_only();
