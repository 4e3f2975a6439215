/* The accounts module as the core sees it: routes, the `user` command, the OpenAPI schemas
 * and an hourly clean-up of expired refresh tokens, stale failures and counters. */
#include "accounts_internal.h"
#include "core/db.h"
#include "core/log.h"

static int accounts_init(const struct ps_app *app)
{
    /* Pay for the dummy hash at start-up rather than in the first unknown login. */
    (void)ps_password_dummy_hash();
    return 0;
}

static int purge_fn(struct ps_db_conn *c, void *arg)
{
    return accounts_store_purge(c, *(const int64_t *)arg);
}

/* Deletes are idempotent, so several nodes running this at once do no harm. */
static int accounts_purge_job(const struct ps_app *app)
{
    int64_t now = ps_now_ms();
    return ps_db_write(app->db, purge_fn, &now);
}

const struct ps_job accounts_jobs[] = {
    { "accounts.purge", 3600 * 1000, accounts_purge_job },
    PS_JOB_END
};

const struct ps_module ps_module_accounts = {
    .name = "accounts",
    .routes = accounts_routes,
    .init = accounts_init,
    .schemas = accounts_schemas,
    .commands = accounts_commands,
    .jobs = accounts_jobs,
};
