/* The public routes of the verifiable service history (SPEC §6) and the module descriptor.
 * Everything here is public and read-only: a buyer of a used car needs no account to check
 * a service record against a signed tree head. Errors: malformed or inconsistent parameters
 * -> 422 naming the field; a leaf or tree size beyond the log -> 404. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/router.h"
#include "transparency/merkle.h"
#include "transparency/sth.h"
#include "transparency/translog_commands.h"
#include "transparency/translog_store.h"

static json_t *hex_array(const merkle_hash *h, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char hex[2 * MERKLE_HASH_LEN + 1];
        merkle_to_hex(h[i], hex);
        json_array_append_new(a, json_string(hex));
    }
    return a;
}

static int get_sth(struct ps_req *r)
{
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    struct sth s;
    char pk[STH_PK_HEX_LEN + 1];
    int rc = translog_store_sth_latest(c, &s);
    if (rc == 0)
        rc = translog_store_public_key(c, pk);
    ps_db_release(c);
    if (rc)
        return rc;
    char root[2 * MERKLE_HASH_LEN + 1], sig[STH_SIG_HEX_LEN + 1];
    merkle_to_hex(s.root, root);
    sodium_bin2hex(sig, sizeof sig, s.sig, sizeof s.sig);
    return ps_reply_json(r, 200, json_pack("{s:I, s:I, s:s, s:s, s:s}",
                                           "tree_size", (json_int_t)s.tree_size,
                                           "timestamp", (json_int_t)s.timestamp_ms,
                                           "root_hash", root, "signature", sig, "public_key", pk));
}

/* A path segment that must be a non-negative decimal integer. */
static bool parse_index(const char *s, uint64_t *out)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return false;
    *out = strtoull(s, NULL, 10);
    return true;
}

static int get_leaf(struct ps_req *r)
{
    uint64_t index;
    if (!parse_index(ps_req_param(r, "index"), &index))
        return ps_fail_field(r, "index", "must be a non-negative integer");
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    char *data = NULL;
    merkle_hash hash;
    int rc = translog_store_leaf(c, index, &data, hash);
    ps_db_release(c);
    if (rc)
        return rc;
    char hex[2 * MERKLE_HASH_LEN + 1];
    merkle_to_hex(hash, hex);
    json_t *body = json_pack("{s:I, s:s, s:s}", "index", (json_int_t)index, "leaf_data", data,
                             "leaf_hash", hex);
    free(data);
    return body ? ps_reply_json(r, 200, body) : PS_E_INTERNAL;
}

static int get_proof(struct ps_req *r)
{
    uint64_t index = (uint64_t)ps_json_int(r->query, "index", 0);
    uint64_t tree_size = (uint64_t)ps_json_int(r->query, "tree_size", 0);
    if (index >= tree_size)
        return ps_fail_field(r, "index", "must be less than tree_size");
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    uint64_t size = 0;
    merkle_hash path[MERKLE_MAX_PROOF];
    size_t n = 0;
    int rc = translog_store_size(c, &size);
    if (rc == 0 && tree_size > size)
        rc = PS_E_NOT_FOUND;
    else if (rc == 0 && merkle_inclusion_proof(translog_store_node, c, index, tree_size, path, &n))
        rc = PS_E_INTERNAL;
    ps_db_release(c);
    if (rc == PS_E_NOT_FOUND)
        return ps_reply_problem(r, rc, "tree_size %" PRIu64 " is larger than the log (%" PRIu64 " leaves)",
                                tree_size, size);
    if (rc)
        return rc;
    return ps_reply_json(r, 200, json_pack("{s:o}", "audit_path", hex_array(path, n)));
}

static int get_consistency(struct ps_req *r)
{
    uint64_t first = (uint64_t)ps_json_int(r->query, "first", 0);
    uint64_t second = (uint64_t)ps_json_int(r->query, "second", 0);
    if (first > second)
        return ps_fail_field(r, "first", "must not be greater than second");
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    uint64_t size = 0;
    merkle_hash proof[MERKLE_MAX_PROOF];
    size_t n = 0;
    int rc = translog_store_size(c, &size);
    if (rc == 0 && second > size)
        rc = PS_E_NOT_FOUND;
    else if (rc == 0 && merkle_consistency_proof(translog_store_node, c, first, second, proof, &n))
        rc = PS_E_INTERNAL;
    ps_db_release(c);
    if (rc == PS_E_NOT_FOUND)
        return ps_reply_problem(r, rc, "second %" PRIu64 " is larger than the log (%" PRIu64 " leaves)",
                                second, size);
    if (rc)
        return rc;
    return ps_reply_json(r, 200, json_pack("{s:o}", "proof", hex_array(proof, n)));
}

static const struct ps_param proof_query[] = {
    { "index", PS_INT, PS_REQUIRED, .min = 0, .max = LLONG_MAX, .description = "leaf index" },
    { "tree_size", PS_INT, PS_REQUIRED, .min = 1, .max = LLONG_MAX,
      .description = "size of the tree the path leads to (at most the current size)" },
    PS_PARAM_END
};

static const struct ps_param consistency_query[] = {
    { "first", PS_INT, PS_REQUIRED, .min = 1, .max = LLONG_MAX, .description = "older tree size" },
    { "second", PS_INT, PS_REQUIRED, .min = 1, .max = LLONG_MAX,
      .description = "newer tree size (at most the current size)" },
    PS_PARAM_END
};

static const struct ps_route translog_routes[] = {
    { PS_GET, "/api/v1/transparency/sth", get_sth, PS_PUBLIC,
      .summary = "The newest signed tree head of the service-history log", .tag = "transparency",
      .response = "SignedTreeHead" },
    { PS_GET, "/api/v1/transparency/leaves/:index", get_leaf, PS_PUBLIC,
      .summary = "One leaf: the canonical JSON service record and its RFC 6962 leaf hash",
      .tag = "transparency", .response = "TransparencyLeaf", .errors = "404,422" },
    { PS_GET, "/api/v1/transparency/proof", get_proof, PS_PUBLIC, .query = proof_query,
      .summary = "Inclusion proof (RFC 6962 §2.1.1 audit path) of a leaf in a tree size",
      .tag = "transparency", .response = "InclusionProof", .errors = "404,422" },
    { PS_GET, "/api/v1/transparency/consistency", get_consistency, PS_PUBLIC,
      .query = consistency_query,
      .summary = "Consistency proof (RFC 6962 §2.1.2) between two tree sizes",
      .tag = "transparency", .response = "ConsistencyProof", .errors = "404,422" },
    PS_ROUTE_END
};

static void translog_schemas(json_t *schemas)
{
    json_object_set_new(schemas, "SignedTreeHead", json_pack(
        "{s:s, s:[s,s,s,s,s], s:{s:{s:s, s:i}, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}}",
        "type", "object",
        "required", "tree_size", "timestamp", "root_hash", "signature", "public_key",
        "properties",
        "tree_size", "type", "integer", "minimum", 0,
        "timestamp", "type", "integer", "description", "milliseconds since the epoch",
        "root_hash", "type", "string", "description", "hex SHA-256 Merkle tree hash (RFC 6962)",
        "signature", "type", "string",
        "description", "hex Ed25519 signature of \"pitstop-sth-v1\\n<tree_size>\\n<timestamp>\\n<root_hash>\\n\"",
        "public_key", "type", "string", "description", "hex Ed25519 public key"));
    json_object_set_new(schemas, "TransparencyLeaf", json_pack(
        "{s:s, s:[s,s,s], s:{s:{s:s, s:i}, s:{s:s, s:s}, s:{s:s, s:s}}}",
        "type", "object", "required", "index", "leaf_data", "leaf_hash",
        "properties",
        "index", "type", "integer", "minimum", 0,
        "leaf_data", "type", "string", "description", "canonical JSON (sorted keys, no spaces): the bytes hashed",
        "leaf_hash", "type", "string", "description", "hex SHA-256(0x00 || leaf_data)"));
    json_object_set_new(schemas, "InclusionProof", json_pack(
        "{s:s, s:[s], s:{s:{s:s, s:{s:s}}}}",
        "type", "object", "required", "audit_path",
        "properties", "audit_path", "type", "array", "items", "type", "string"));
    json_object_set_new(schemas, "ConsistencyProof", json_pack(
        "{s:s, s:[s], s:{s:{s:s, s:{s:s}}}}",
        "type", "object", "required", "proof",
        "properties", "proof", "type", "array", "items", "type", "string"));
}

static int start_tx(struct ps_db_conn *c, void *arg) { return translog_store_ensure_started(c); }

/* The signing key and the head of the empty tree exist before the first request. */
static int translog_init(const struct ps_app *app)
{
    int rc = ps_db_write(app->db, start_tx, NULL);
    if (rc)
        ps_log_error("transparency: cannot create the signing key or the first tree head (%d)", rc);
    return rc;
}

const struct ps_module ps_module_transparency = {
    .name = "transparency",
    .routes = translog_routes,
    .init = translog_init,
    .schemas = translog_schemas,
    .commands = translog_commands,
};
