-- A counter that moves whenever anything nearby search shows changes (providers and their
-- services), so a node can keep answers in memory and know for sure when they are stale:
-- one indexed read per request instead of the whole spatial query (src/providers/nearby_cache.c).
CREATE TABLE nearby_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO nearby_generation (id, n) VALUES (1, 0);
CREATE TRIGGER nearby_gen_providers_ai AFTER INSERT ON providers BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER nearby_gen_providers_au AFTER UPDATE ON providers BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER nearby_gen_providers_ad AFTER DELETE ON providers BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER nearby_gen_services_ai AFTER INSERT ON provider_services BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER nearby_gen_services_au AFTER UPDATE ON provider_services BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER nearby_gen_services_ad AFTER DELETE ON provider_services BEGIN
    UPDATE nearby_generation SET n = n + 1 WHERE id = 1;
END;
