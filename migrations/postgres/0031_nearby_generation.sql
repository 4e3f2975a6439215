-- A counter that moves whenever anything nearby search shows changes (providers and their
-- services), so a node can keep answers in memory and know for sure when they are stale:
-- one indexed read per request instead of the whole spatial query (src/providers/nearby_cache.c).
CREATE TABLE nearby_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO nearby_generation (id, n) VALUES (1, 0);
CREATE FUNCTION nearby_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER nearby_gen_providers AFTER INSERT OR UPDATE OR DELETE ON providers
    FOR EACH STATEMENT EXECUTE FUNCTION nearby_generation_bump();
CREATE TRIGGER nearby_gen_services AFTER INSERT OR UPDATE OR DELETE ON provider_services
    FOR EACH STATEMENT EXECUTE FUNCTION nearby_generation_bump();
