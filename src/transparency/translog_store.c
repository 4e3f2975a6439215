/* The transparency log's SQL. Hashes, keys and signatures are stored as lower-case hex; the
 * signing seed is sealed with the PII sealing key (derived from PITSTOP_DATA_KEY), so a copy
 * of the database alone cannot forge tree heads. */
#include "transparency/translog_store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/pii.h"
#include "core/router.h"

#define SEALED_MAX 256

static const char SQL_KEY_GET[] =
    "SELECT public_key, sealed_seed FROM translog_keys WHERE id = 1";
static const char SQL_KEY_PUT[] =
    "INSERT INTO translog_keys (id, public_key, sealed_seed, created_at) VALUES (1, $1, $2, $3)"
    " ON CONFLICT (id) DO NOTHING";
static const char SQL_SIZE[] = "SELECT tree_size FROM translog_head WHERE id = 1";
static const char SQL_CLAIM[] =
    "UPDATE translog_head SET tree_size = tree_size + 1 WHERE id = 1 RETURNING tree_size";
static const char SQL_NODE_GET[] =
    "SELECT hash FROM translog_nodes WHERE level = $1 AND node_index = $2";
static const char SQL_NODE_PUT[] =
    "INSERT INTO translog_nodes (level, node_index, hash) VALUES ($1, $2, $3)";
static const char SQL_LEAF_GET[] =
    "SELECT leaf_data, leaf_hash FROM translog_leaves WHERE leaf_index = $1";
static const char SQL_LEAF_PUT[] =
    "INSERT INTO translog_leaves (leaf_index, leaf_data, leaf_hash, created_at)"
    " VALUES ($1, $2, $3, $4)";
static const char SQL_STH_LATEST[] =
    "SELECT tree_size, timestamp_ms, root_hash, signature FROM translog_sths"
    " ORDER BY tree_size DESC LIMIT 1";
static const char SQL_STH_AT[] =
    "SELECT tree_size, timestamp_ms, root_hash, signature FROM translog_sths WHERE tree_size = $1";
static const char SQL_STH_PUT[] =
    "INSERT INTO translog_sths (tree_size, timestamp_ms, root_hash, signature)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size) DO NOTHING";
static const char SQL_EACH_LEAF[] =
    "SELECT leaf_index, leaf_data, leaf_hash FROM translog_leaves ORDER BY leaf_index";
static const char SQL_EACH_STH[] =
    "SELECT tree_size, timestamp_ms, root_hash, signature FROM translog_sths ORDER BY tree_size";
static const char SQL_EACH_NODE[] =
    "SELECT level, node_index, hash FROM translog_nodes ORDER BY level, node_index";

static int db_rc(int rc) { return rc < 0 ? ps_db_err_to_ps(rc) : 0; }

static const struct ps_pii_keys *seal_keys(void)
{
    const struct ps_app *app = ps_app();
    return app ? app->pii : NULL;
}

static bool hex_to_bin(const char *hex, unsigned char *out, size_t len)
{
    size_t got = 0;
    const char *end = NULL;
    return hex && strlen(hex) == 2 * len &&
           sodium_hex2bin(out, len, hex, 2 * len, NULL, &got, &end) == 0 && got == len && !*end;
}

/* Reads the key row; *found tells whether there is one. */
static int load_signer(struct ps_db_conn *c, struct sth_signer *out, bool *found)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_KEY_GET, &s);
    *found = false;
    if (rc < 0)
        return db_rc(rc);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        *found = true;
        const struct ps_pii_keys *keys = seal_keys();
        char seed_hex[2 * crypto_sign_SEEDBYTES + 8];
        unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
        const char *sealed = ps_db_col_text(s, 1);
        rc = PS_E_INTERNAL;
        if (keys && sealed && ps_pii_open(keys, sealed, seed_hex, sizeof seed_hex) == 0 &&
            hex_to_bin(seed_hex, seed, sizeof seed) &&
            hex_to_bin(ps_db_col_text(s, 0), pk, sizeof pk)) {
            sth_signer_from_seed(out, seed);
            /* The stored public key must be the one the sealed seed gives. */
            rc = sodium_memcmp(pk, out->pk, sizeof pk) == 0 ? 0 : PS_E_INTERNAL;
        }
        sodium_memzero(seed, sizeof seed);
        sodium_memzero(seed_hex, sizeof seed_hex);
        if (rc)
            ps_log_error("transparency: the signing key cannot be opened with this "
                         "PITSTOP_DATA_KEY, or its public key does not match");
    } else {
        rc = db_rc(rc);
    }
    ps_db_reset(s);
    return rc;
}

static int create_signer(struct ps_db_conn *c)
{
    const struct ps_pii_keys *keys = seal_keys();
    if (!keys)
        return PS_E_INTERNAL;
    unsigned char seed[crypto_sign_SEEDBYTES];
    char seed_hex[2 * crypto_sign_SEEDBYTES + 1], pk_hex[STH_PK_HEX_LEN + 1], sealed[SEALED_MAX];
    struct sth_signer k;
    randombytes_buf(seed, sizeof seed);
    sth_signer_from_seed(&k, seed);
    sodium_bin2hex(seed_hex, sizeof seed_hex, seed, sizeof seed);
    sodium_bin2hex(pk_hex, sizeof pk_hex, k.pk, sizeof k.pk);
    int rc = ps_pii_seal(keys, seed_hex, sealed, sizeof sealed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(seed_hex, sizeof seed_hex);
    sodium_memzero(&k, sizeof k);
    if (rc)
        return rc;
    struct ps_db_stmt *s;
    if ((rc = ps_db_prepare(c, SQL_KEY_PUT, &s)) < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_text(s, 1, pk_hex)) == 0 && (rc = ps_db_bind_text(s, 2, sealed)) == 0 &&
        (rc = ps_db_bind_int64(s, 3, ps_now_ms())) == 0)
        rc = ps_db_step(s);
    ps_db_reset(s);
    return db_rc(rc);
}

int translog_store_signer(struct ps_db_conn *c, bool create, struct sth_signer *out)
{
    bool found;
    int rc = load_signer(c, out, &found);
    if (rc || found)
        return rc;
    if (!create)
        return PS_E_NOT_FOUND;
    /* Another node may have won the race: ON CONFLICT keeps its key, and we read it back. */
    if ((rc = create_signer(c)))
        return rc;
    rc = load_signer(c, out, &found);
    return rc ? rc : found ? 0 : PS_E_INTERNAL;
}

int translog_store_public_key(struct ps_db_conn *c, char out[STH_PK_HEX_LEN + 1])
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_KEY_GET, &s);
    if (rc < 0)
        return db_rc(rc);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        const char *pk = ps_db_col_text(s, 0);
        snprintf(out, STH_PK_HEX_LEN + 1, "%s", pk ? pk : "");
        rc = 0;
    } else {
        rc = rc == PS_DB_DONE ? PS_E_NOT_FOUND : db_rc(rc);
    }
    ps_db_reset(s);
    return rc;
}

int translog_store_put_sth(struct ps_db_conn *c, const struct sth *st)
{
    char root[2 * MERKLE_HASH_LEN + 1], sig[STH_SIG_HEX_LEN + 1];
    merkle_to_hex(st->root, root);
    sodium_bin2hex(sig, sizeof sig, st->sig, sizeof st->sig);
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_STH_PUT, &s);
    if (rc < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_int64(s, 1, (int64_t)st->tree_size)) == 0 &&
        (rc = ps_db_bind_int64(s, 2, st->timestamp_ms)) == 0 &&
        (rc = ps_db_bind_text(s, 3, root)) == 0 && (rc = ps_db_bind_text(s, 4, sig)) == 0)
        rc = ps_db_step(s);
    ps_db_reset(s);
    return db_rc(rc);
}

int translog_store_ensure_started(struct ps_db_conn *c)
{
    struct sth_signer k;
    int rc = translog_store_signer(c, true, &k);
    if (rc)
        return rc;
    struct sth existing;
    rc = translog_store_sth_at(c, 0, &existing);
    if (rc == PS_E_NOT_FOUND) {
        struct sth empty = { .tree_size = 0, .timestamp_ms = ps_now_ms() };
        merkle_empty_root(empty.root);
        sth_sign(&k, &empty);
        rc = translog_store_put_sth(c, &empty);
    }
    sodium_memzero(&k, sizeof k);
    return rc;
}

static int one_int(struct ps_db_conn *c, const char *sql, uint64_t *out)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc < 0)
        return db_rc(rc);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        int64_t v = ps_db_col_int64(s, 0);
        *out = v < 0 ? 0 : (uint64_t)v;
        rc = 0;
    } else {
        rc = rc == PS_DB_DONE ? PS_E_INTERNAL : db_rc(rc);   /* the head row is always there */
    }
    ps_db_reset(s);
    return rc;
}

int translog_store_size(struct ps_db_conn *c, uint64_t *size) { return one_int(c, SQL_SIZE, size); }

int translog_store_claim_index(struct ps_db_conn *c, uint64_t *index)
{
    uint64_t size = 0;
    int rc = one_int(c, SQL_CLAIM, &size);
    if (rc == 0 && size == 0)
        rc = PS_E_INTERNAL;
    *index = size - 1;
    return rc;
}

int translog_store_node(void *ctx, int level, uint64_t index, merkle_hash out)
{
    struct ps_db_conn *c = ctx;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_NODE_GET, &s);
    if (rc < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_int64(s, 1, level)) == 0 && (rc = ps_db_bind_int64(s, 2, (int64_t)index)) == 0)
        rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        rc = merkle_from_hex(ps_db_col_text(s, 0), out) == 0 ? 0 : PS_E_INTERNAL;
    else
        rc = rc == PS_DB_DONE ? PS_E_NOT_FOUND : db_rc(rc);
    ps_db_reset(s);
    return rc;
}

int translog_store_put_node(struct ps_db_conn *c, int level, uint64_t index, const merkle_hash hash)
{
    char hex[2 * MERKLE_HASH_LEN + 1];
    merkle_to_hex(hash, hex);
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_NODE_PUT, &s);
    if (rc < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_int64(s, 1, level)) == 0 && (rc = ps_db_bind_int64(s, 2, (int64_t)index)) == 0 &&
        (rc = ps_db_bind_text(s, 3, hex)) == 0)
        rc = ps_db_step(s);
    ps_db_reset(s);
    return db_rc(rc);
}

int translog_store_put_leaf(struct ps_db_conn *c, uint64_t index, const char *data,
                            const merkle_hash hash, int64_t now_ms)
{
    char hex[2 * MERKLE_HASH_LEN + 1];
    merkle_to_hex(hash, hex);
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_LEAF_PUT, &s);
    if (rc < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_int64(s, 1, (int64_t)index)) == 0 && (rc = ps_db_bind_text(s, 2, data)) == 0 &&
        (rc = ps_db_bind_text(s, 3, hex)) == 0 && (rc = ps_db_bind_int64(s, 4, now_ms)) == 0)
        rc = ps_db_step(s);
    ps_db_reset(s);
    return db_rc(rc);
}

/* Fills out from a row (tree_size, timestamp_ms, root_hash, signature); false if malformed. */
static bool sth_from_row(struct ps_db_stmt *s, struct sth *out)
{
    memset(out, 0, sizeof *out);
    int64_t size = ps_db_col_int64(s, 0);
    out->tree_size = size < 0 ? 0 : (uint64_t)size;
    out->timestamp_ms = ps_db_col_int64(s, 1);
    return size >= 0 && merkle_from_hex(ps_db_col_text(s, 2), out->root) == 0 &&
           hex_to_bin(ps_db_col_text(s, 3), out->sig, sizeof out->sig);
}

static int sth_query(struct ps_db_conn *c, const char *sql, int64_t arg, bool has_arg, struct sth *out)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc < 0)
        return db_rc(rc);
    if (has_arg && (rc = ps_db_bind_int64(s, 1, arg)) < 0)
        goto out;
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        rc = sth_from_row(s, out) ? 0 : PS_E_INTERNAL;
    else
        rc = rc == PS_DB_DONE ? PS_E_NOT_FOUND : db_rc(rc);
out:
    ps_db_reset(s);
    return db_rc(rc);
}

int translog_store_sth_latest(struct ps_db_conn *c, struct sth *out)
{
    return sth_query(c, SQL_STH_LATEST, 0, false, out);
}

int translog_store_sth_at(struct ps_db_conn *c, uint64_t tree_size, struct sth *out)
{
    return sth_query(c, SQL_STH_AT, (int64_t)tree_size, true, out);
}

int translog_store_leaf(struct ps_db_conn *c, uint64_t index, char **data, merkle_hash hash)
{
    *data = NULL;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_LEAF_GET, &s);
    if (rc < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_int64(s, 1, (int64_t)index)) == 0)
        rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        const char *d = ps_db_col_text(s, 0);
        *data = strdup(d ? d : "");
        rc = !*data ? PS_E_NOMEM : merkle_from_hex(ps_db_col_text(s, 1), hash) ? PS_E_INTERNAL : 0;
        if (rc) {
            free(*data);
            *data = NULL;
        }
    } else {
        rc = rc == PS_DB_DONE ? PS_E_NOT_FOUND : db_rc(rc);
    }
    ps_db_reset(s);
    return rc;
}

int translog_store_each_leaf(struct ps_db_conn *c, translog_leaf_cb cb, void *ctx)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_EACH_LEAF, &s);
    if (rc < 0)
        return db_rc(rc);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        merkle_hash h;
        bool ok = merkle_from_hex(ps_db_col_text(s, 2), h) == 0;
        const char *data = ps_db_col_text(s, 1);
        if ((rc = cb(ctx, ps_db_col_int64(s, 0), data ? data : "", ok, h)))
            break;
    }
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : db_rc(rc);
}

int translog_store_each_sth(struct ps_db_conn *c, translog_sth_cb cb, void *ctx)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_EACH_STH, &s);
    if (rc < 0)
        return db_rc(rc);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        struct sth st;
        bool ok = sth_from_row(s, &st);
        if ((rc = cb(ctx, ps_db_col_int64(s, 0), &st, ok)))
            break;
    }
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : db_rc(rc);
}

int translog_store_each_node(struct ps_db_conn *c, translog_node_cb cb, void *ctx)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_EACH_NODE, &s);
    if (rc < 0)
        return db_rc(rc);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        merkle_hash h;
        bool ok = merkle_from_hex(ps_db_col_text(s, 2), h) == 0;
        if ((rc = cb(ctx, (int)ps_db_col_int64(s, 0), ps_db_col_int64(s, 1), ok, h)))
            break;
    }
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : db_rc(rc);
}
