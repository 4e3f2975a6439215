/* pitstop: one binary, several commands. Each command is small; the modules add their own
 * (user, seed, import-dtc, verify-log, ...) through src/core/module.h. */
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/http.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/module.h"
#include "core/openapi.h"
#include "core/ops_routes.h"
#include "core/pii.h"
#include "core/router.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static struct ps_config cfg;
static struct ps_jwt_keyring keyring;
static struct ps_pii_keys pii_keys;
static struct ps_app app;

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: pitstop COMMAND [OPTIONS]\n\n"
            "Pitstop, the automotive aftermarket service platform: one server for car owners,\n"
            "repair shops and the platform's operators.\n\n"
            "Commands:\n"
            "  serve [--listen HOST:PORT] [--database URL] [--web-dir DIR] [--threads N] [--log-level L]\n"
            "                       apply pending migrations, then serve HTTP until SIGTERM\n"
            "  migrate [--database URL]\n"
            "                       apply pending database migrations and exit\n"
            "  routes               list every HTTP route\n"
            "  openapi              print the OpenAPI 3.1 document\n"
            "  errors [--markdown]  list the problem types the API answers with\n"
            "  config [--markdown]  list the configuration settings\n");
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        for (const struct ps_command *c = (*m)->commands; c && c->name; c++)
            fprintf(out, "  %-20s %s\n", c->usage ? c->usage : c->name, c->help ? c->help : "");
    fprintf(out, "  --help               show this help\n\n"
                 "Configuration comes from environment variables (see `pitstop config`); with none set,\n"
                 "pitstop serves http://127.0.0.1:8080 on ./data/pitstop.db and generates its secrets into\n"
                 "./data/secrets. Exit status: 0 success, 1 failure, 2 misuse.\n");
}

static int print_config(bool markdown)
{
    if (markdown)
        printf("| variable | flag | default | meaning |\n|---|---|---|---|\n");
    for (const struct ps_config_doc *d = ps_config_docs; d->env; d++) {
        if (markdown)
            printf("| `%s` | %s%s%s | %s | %s |\n", d->env, d->flag ? "`" : "", d->flag ? d->flag : "",
                   d->flag ? "`" : "", d->def, d->help);
        else
            printf("%-32s %-12s %s (default: %s)\n", d->env, d->flag ? d->flag : "", d->help, d->def);
    }
    return EXIT_OK;
}

static int print_errors(bool markdown)
{
    if (markdown)
        printf("| status | type | title | hint |\n|---|---|---|---|\n");
    int code, status;
    const char *slug, *title;
    for (int i = 0; ps_err_at(i, &code, &status, &slug, &title) == 0; i++) {
        if (markdown)
            printf("| %d | `/errors/%s` | %s | %s |\n", status, slug, title, ps_err_hint(code));
        else
            printf("%d  /errors/%-24s %s\n", status, slug, title);
    }
    return EXIT_OK;
}

/* Config, secrets and keys: everything but the database. */
static int load_settings(int argc, char **argv)
{
    char err[512];
    if (sodium_init() < 0) {
        fprintf(stderr, "pitstop: libsodium failed to initialise\n");
        return EXIT_FAIL;
    }
    if (ps_config_load(&cfg, argc, argv, err, sizeof err)) {
        fprintf(stderr, "pitstop: %s\n", err);
        return EXIT_USAGE;
    }
    if (ps_config_ensure_secrets(&cfg, err, sizeof err)) {
        fprintf(stderr, "pitstop: %s\n", err);
        return EXIT_FAIL;
    }
    if (ps_jwt_keyring_init(&keyring, cfg.jwt_secret)) {
        fprintf(stderr, "pitstop: PITSTOP_JWT_SECRET must be at least 32 bytes (or kid:secret,... pairs)\n");
        return EXIT_USAGE;
    }
    unsigned char master[PS_PII_KEY_BYTES];
    if (ps_pii_parse_key(cfg.data_key, master)) {
        fprintf(stderr, "pitstop: PITSTOP_DATA_KEY must be 64 hex characters\n");
        return EXIT_USAGE;
    }
    ps_pii_keys_init(&pii_keys, master);
    sodium_memzero(master, sizeof master);
    app.cfg = &cfg;
    app.jwt = &keyring;
    app.pii = &pii_keys;
    ps_app_set(&app);
    ps_router_set_keyring(&keyring);
    return EXIT_OK;
}

static int register_routes(void)
{
    if (ps_ops_routes_register())
        return EXIT_FAIL;
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        if ((*m)->routes && ps_router_add((*m)->routes)) {
            fprintf(stderr, "pitstop: module %s has a malformed route table\n", (*m)->name);
            return EXIT_FAIL;
        }
    return EXIT_OK;
}

/* Modules' per-connection SQLite hooks (tokenizers): migrations may already need them. */
static void add_sqlite_hooks(void)
{
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        if ((*m)->sqlite_init)
            ps_db_sqlite_add_init((*m)->sqlite_init);
}

/* Open the database, apply pending migrations, let every module initialise. */
static int open_database(bool quiet)
{
    char err[512];
    add_sqlite_hooks();
    struct ps_db_options opt = { .readers = cfg.db_readers };
    if (ps_db_open(cfg.database_url, &opt, &app.db, err, sizeof err)) {
        fprintf(stderr, "pitstop: cannot open the database (PITSTOP_DATABASE_URL): %s\n", err);
        return EXIT_FAIL;
    }
    int applied = 0;
    if (ps_db_migrate(app.db, &applied, err, sizeof err)) {
        fprintf(stderr, "pitstop: migration failed: %s\n", err);
        return EXIT_FAIL;
    }
    if (applied && !quiet)
        ps_logf(PS_LOG_INFO, "applied %d migration(s)", applied);
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        if ((*m)->init && (*m)->init(&app) < 0) {
            fprintf(stderr, "pitstop: module %s failed to start\n", (*m)->name);
            return EXIT_FAIL;
        }
    return EXIT_OK;
}

static int cmd_migrate(int argc, char **argv)
{
    int rc = load_settings(argc, argv);
    if (rc)
        return rc;
    char err[512];
    add_sqlite_hooks();
    struct ps_db_options opt = { .readers = 1 };
    if (ps_db_open(cfg.database_url, &opt, &app.db, err, sizeof err)) {
        fprintf(stderr, "pitstop: cannot open the database (PITSTOP_DATABASE_URL): %s\n", err);
        return EXIT_FAIL;
    }
    int applied = 0;
    rc = ps_db_migrate(app.db, &applied, err, sizeof err);
    if (rc)
        fprintf(stderr, "pitstop: migration failed: %s\n", err);
    else
        printf("%d migration(s) applied; the schema is current\n", applied);
    ps_db_close(app.db);
    return rc ? EXIT_FAIL : EXIT_OK;
}

static bool wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

static int cmd_serve(int argc, char **argv)
{
    long long t0 = ps_mono_ns();
    /* Signals are taken by sigwait below: block them before any thread starts. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = load_settings(argc, argv);
    if (rc || (rc = register_routes()) || (rc = open_database(false)))
        return rc;
    if (ps_ops_openapi_freeze())
        return EXIT_FAIL;
    char err[512];
    struct ps_http *http;
    if (ps_http_start(&cfg, &http, err, sizeof err)) {
        fprintf(stderr, "pitstop: %s\n", err);
        return EXIT_FAIL;
    }
    ps_jobs_start(&app);
    ps_log_fields(PS_LOG_INFO, "serving", json_pack("{s:s,s:s,s:i,s:f}", "listen", cfg.listen,
                  "database", ps_db_backend(app.db) == PS_DB_SQLITE ? "sqlite" : "postgres",
                  "routes", ps_router_count(), "startup_ms", (double)(ps_mono_ns() - t0) / 1e6));
    int sig = 0;
    sigwait(&stop_signals, &sig);
    ps_logf(PS_LOG_INFO, "signal %d: draining requests in flight (up to %d s)", sig, PS_DRAIN_TIMEOUT_S);
    ps_http_stop(http, PS_DRAIN_TIMEOUT_S);
    ps_jobs_stop();
    ps_db_close(app.db);
    ps_logf(PS_LOG_INFO, "stopped cleanly");
    return EXIT_OK;
}

static int cmd_routes(void)
{
    if (register_routes())
        return EXIT_FAIL;
    for (int i = 0; i < ps_router_count(); i++) {
        const struct ps_route *rt = ps_router_at(i);
        printf("%-7s %-55s %s\n", ps_method_name(rt->method), rt->pattern, rt->summary ? rt->summary : "");
    }
    return EXIT_OK;
}

static int cmd_openapi(void)
{
    if (register_routes())
        return EXIT_FAIL;
    json_t *doc = ps_openapi_build();
    json_dumpf(doc, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(doc);
    return EXIT_OK;
}

static int cmd_module(const struct ps_command *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("Usage: pitstop %s\n%s\n", c->usage ? c->usage : c->name, c->help ? c->help : "");
            return EXIT_OK;
        }
    int rc = load_settings(0, NULL);
    if (rc)
        return rc;
    if (c->needs_db && (rc = open_database(true)))
        return rc;
    rc = c->run(&app, argc, argv);
    ps_db_close(app.db);
    return rc;
}

static const struct ps_command *find_module_command(const char *name)
{
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        for (const struct ps_command *c = (*m)->commands; c && c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    bool markdown = argc > 2 && strcmp(argv[2], "--markdown") == 0;
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if ((!strcmp(cmd, "serve") || !strcmp(cmd, "migrate")) && wants_help(argc - 2, argv + 2)) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "serve"))
        return cmd_serve(argc - 2, argv + 2);
    if (!strcmp(cmd, "migrate"))
        return cmd_migrate(argc - 2, argv + 2);
    if (!strcmp(cmd, "routes"))
        return cmd_routes();
    if (!strcmp(cmd, "openapi"))
        return cmd_openapi();
    if (!strcmp(cmd, "errors"))
        return print_errors(markdown);
    if (!strcmp(cmd, "config"))
        return print_config(markdown);
    const struct ps_command *c = find_module_command(cmd);
    if (c)
        return cmd_module(c, argc - 1, argv + 1);
    fprintf(stderr, "pitstop: unknown command '%s'\n\n", cmd);
    print_usage(stderr);
    return EXIT_USAGE;
}
