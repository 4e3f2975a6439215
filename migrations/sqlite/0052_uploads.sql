-- Uploaded images (work-order photos). The bytes live in the upload directory under the id;
-- order_id/owner_id/provider_id are set when a photo is attached to an order, and decide who
-- else may see it.
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    uploader_id  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    order_id     TEXT,
    owner_id     TEXT,
    provider_id  TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX uploads_uploader ON uploads (uploader_id, id);
CREATE INDEX uploads_order ON uploads (order_id) WHERE order_id IS NOT NULL;
