/* `pitstop verify-log`: exit 0 with a summary when the log is intact, 1 naming the first
 * problem, 2 when the check cannot run. `pitstop transparency-demo N`: demo data only (refused
 * with PITSTOP_ENV=production) — appends N made-up service records, for trying the public
 * routes and verify-log before real orders exist. */
#include "transparency/translog_commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "transparency/translog.h"
#include "transparency/translog_verify.h"

#define DEMO_MAX 1000000
#define DEMO_BATCH 500

static int verify_log(const struct ps_app *app, int argc, char **argv)
{
    struct translog_verify_result res;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = translog_verify(c, &res);
    ps_db_release(c);
    if (rc == PS_E_CONFLICT) {
        fprintf(stderr, "verify-log: FAILED: %s\n", res.problem);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "verify-log: could not check the log (%s)\n", ps_err_title(rc));
        return 2;
    }
    char root[2 * MERKLE_HASH_LEN + 1];
    merkle_to_hex(res.root, root);
    printf("verify-log: ok: %" PRIu64 " leaves, %" PRIu64 " signed tree heads, %" PRIu64
           " consistency proofs, %" PRIu64 " subtree nodes checked; root %s\n",
           res.leaves, res.heads, res.consistency, res.nodes, root);
    return 0;
}

struct demo_batch { long long first, count; };

static int demo_tx(struct ps_db_conn *c, void *arg)
{
    const struct demo_batch *b = arg;
    for (long long i = b->first; i < b->first + b->count; i++) {
        char vin[32], order[32];
        snprintf(vin, sizeof vin, "LDEMO%012lld", i % 1000000000000LL);   /* 17 characters */
        snprintf(order, sizeof order, "demo-%lld", i);
        json_t *rec = json_pack(
            "{s:s, s:s, s:s, s:s, s:I, s:[s], s:[{s:s, s:i, s:i}], s:s, s:s, s:b}",
            "vin", vin, "provider_id", "demo", "provider_name", "演示汽修 Demo Garage",
            "date", "2026-11-23", "odometer_km", (json_int_t)(10000 + i * 37),
            "items", "oil_change",
            "parts", "name", "机油滤清器 oil filter", "qty", 1, "price_fen", 4500,
            "technician", "王师傅", "order_id", order, "demo", 1);
        int rc = translog_append(c, rec, NULL);
        json_decref(rec);
        if (rc)
            return rc;
    }
    return 0;
}

static int transparency_demo(const struct ps_app *app, int argc, char **argv)
{
    if (app->cfg && app->cfg->production) {
        fprintf(stderr, "transparency-demo: demo data is refused when PITSTOP_ENV=production\n");
        return 2;
    }
    char *end = NULL;
    long long n = argc > 1 ? strtoll(argv[1], &end, 10) : 0;
    if (argc != 2 || !end || *end || n < 1 || n > DEMO_MAX) {
        fprintf(stderr, "usage: pitstop transparency-demo N   (1 <= N <= %d)\n", DEMO_MAX);
        return 2;
    }
    for (long long done = 0; done < n; done += DEMO_BATCH) {
        struct demo_batch b = { done, n - done < DEMO_BATCH ? n - done : DEMO_BATCH };
        int rc = ps_db_write(app->db, demo_tx, &b);
        if (rc) {
            fprintf(stderr, "transparency-demo: append failed (%s)\n", ps_err_title(rc));
            return 1;
        }
    }
    printf("transparency-demo: appended %lld demo service records\n", n);
    return 0;
}

const struct ps_command translog_commands[] = {
    { "verify-log", "verify-log",
      "Re-check the service-history log: leaf hashes, subtree nodes, signed tree heads, consistency",
      verify_log, 1 },
    { "transparency-demo", "transparency-demo N",
      "Demo data: append N made-up service records to the transparency log (not in production)",
      transparency_demo, 1 },
    PS_COMMAND_END
};
