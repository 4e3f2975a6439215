/* Configuration loading and the generated-once secrets file; see config.h. */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.h"

const struct ps_config_doc ps_config_docs[] = {
    { "PITSTOP_LISTEN", "--listen", "127.0.0.1:8080", "address and port to serve on" },
    { "PITSTOP_DATABASE_URL", "--database", "sqlite:./data/pitstop.db",
      "sqlite:PATH or postgres://user:pass@host:port/db" },
    { "PITSTOP_JWT_SECRET", NULL, "generated into the secrets file",
      "access-token signing secret (>= 32 bytes), or kid:secret,kid:secret for rotation (first signs)" },
    { "PITSTOP_DATA_KEY", NULL, "generated into the secrets file",
      "64 hex chars: key that encrypts personal data at rest" },
    { "PITSTOP_PAYMENT_WEBHOOK_SECRET", NULL, "generated into the secrets file",
      "HMAC secret of payment gateway webhooks" },
    { "PITSTOP_UPLOAD_DIR", NULL, "./data/uploads", "where uploaded photos are stored" },
    { "PITSTOP_WEB_DIR", "--web-dir", "./web/dist", "the built front end served at /" },
    { "PITSTOP_SECRETS_FILE", NULL, "./data/secrets", "where generated secrets are kept (mode 0600)" },
    { "PITSTOP_LOG_LEVEL", "--log-level", "info", "debug, info, warn or error" },
    { "PITSTOP_THREADS", "--threads", "0", "HTTP worker threads; 0 = one thread per connection" },
    { "PITSTOP_DB_POOL", NULL, "4 (SQLite readers) / 8 (PostgreSQL)", "database connections in the pool" },
    { "PITSTOP_ENV", NULL, "development", "production: secrets must be given, sandbox gateway off" },
    { "PITSTOP_SANDBOX_GATEWAY", NULL, "on (off in production)", "built-in sandbox payment gateway" },
    { "PITSTOP_RATE_SIGNUP_PER_HOUR", NULL, "1000", "sign-ups accepted per client address per hour" },
    { "PITSTOP_LOGIN_MAX_FAILURES", NULL, "5", "failed logins for one login before it is locked" },
    { "PITSTOP_LOGIN_LOCK_SECONDS", NULL, "900", "failure window and lock time for one login" },
    { NULL, NULL, NULL, NULL },
};

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    snprintf(err, errlen, fmt, a, b ? b : "");
    return PS_E_BAD_REQUEST;
}

static int set_str(char *dst, size_t cap, const char *val, const char *name, char *err, size_t errlen)
{
    if (strlen(val) >= cap)
        return fail(err, errlen, "%s is too long%s", name, NULL);
    memcpy(dst, val, strlen(val) + 1);
    return 0;
}

static int parse_int(const char *val, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(val, &end, 10);
    if (errno || end == val || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_bool(const char *val, bool *out)
{
    static const char *const yes[] = { "1", "on", "true", "yes" };
    static const char *const no[] = { "0", "off", "false", "no" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(val, yes[i]) == 0) { *out = true; return 0; }
        if (strcmp(val, no[i]) == 0) { *out = false; return 0; }
    }
    return -1;
}

static int split_listen(struct ps_config *c, const char *name, char *err, size_t errlen)
{
    const char *colon = strrchr(c->listen, ':');
    if (!colon || colon == c->listen || (size_t)(colon - c->listen) >= sizeof c->listen_host ||
        parse_int(colon + 1, 1, 65535, &c->listen_port))
        return fail(err, errlen, "%s must be host:port (e.g. 127.0.0.1:8080), got '%s'", name, c->listen);
    memcpy(c->listen_host, c->listen, (size_t)(colon - c->listen));
    c->listen_host[colon - c->listen] = '\0';
    return 0;
}

/* Applies one setting by its environment name; `shown` is what errors call it. */
static int apply(struct ps_config *c, const char *env, const char *val, const char *shown,
                 char *err, size_t errlen)
{
    int rc = 0;
    if (strcmp(env, "PITSTOP_LISTEN") == 0) {
        if ((rc = set_str(c->listen, sizeof c->listen, val, shown, err, errlen)) == 0)
            rc = split_listen(c, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_DATABASE_URL") == 0) {
        if (strncmp(val, "sqlite:", 7) && strncmp(val, "postgres://", 11) && strncmp(val, "postgresql://", 13))
            return fail(err, errlen, "%s must start with sqlite:, postgres:// or postgresql://, got '%s'", shown, val);
        rc = set_str(c->database_url, sizeof c->database_url, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_JWT_SECRET") == 0) {
        rc = set_str(c->jwt_secret, sizeof c->jwt_secret, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_DATA_KEY") == 0) {
        rc = set_str(c->data_key, sizeof c->data_key, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_PAYMENT_WEBHOOK_SECRET") == 0) {
        rc = set_str(c->webhook_secret, sizeof c->webhook_secret, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_UPLOAD_DIR") == 0) {
        rc = set_str(c->upload_dir, sizeof c->upload_dir, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_WEB_DIR") == 0) {
        rc = set_str(c->web_dir, sizeof c->web_dir, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_SECRETS_FILE") == 0) {
        rc = set_str(c->secrets_file, sizeof c->secrets_file, val, shown, err, errlen);
    } else if (strcmp(env, "PITSTOP_LOG_LEVEL") == 0) {
        if (ps_log_parse_level(val, &c->log_level))
            return fail(err, errlen, "%s must be debug, info, warn or error, got '%s'", shown, val);
    } else if (strcmp(env, "PITSTOP_THREADS") == 0) {
        if (parse_int(val, 0, 1024, &c->threads))
            return fail(err, errlen, "%s must be a number from 0 to 1024, got '%s'", shown, val);
    } else if (strcmp(env, "PITSTOP_DB_POOL") == 0) {
        if (parse_int(val, 1, 256, &c->db_readers))
            return fail(err, errlen, "%s must be a number from 1 to 256, got '%s'", shown, val);
    } else if (strcmp(env, "PITSTOP_ENV") == 0) {
        if (strcmp(val, "production") && strcmp(val, "development"))
            return fail(err, errlen, "%s must be development or production, got '%s'", shown, val);
        c->production = strcmp(val, "production") == 0;
        if (c->production)
            c->sandbox_gateway = false;
    } else if (strcmp(env, "PITSTOP_SANDBOX_GATEWAY") == 0) {
        if (parse_bool(val, &c->sandbox_gateway))
            return fail(err, errlen, "%s must be on or off, got '%s'", shown, val);
    } else if (strcmp(env, "PITSTOP_RATE_SIGNUP_PER_HOUR") == 0) {
        if (parse_int(val, 1, 100000000, &c->signup_per_hour))
            return fail(err, errlen, "%s must be a positive number, got '%s'", shown, val);
    } else if (strcmp(env, "PITSTOP_LOGIN_MAX_FAILURES") == 0) {
        if (parse_int(val, 1, 1000, &c->login_max_failures))
            return fail(err, errlen, "%s must be a number from 1 to 1000, got '%s'", shown, val);
    } else if (strcmp(env, "PITSTOP_LOGIN_LOCK_SECONDS") == 0) {
        if (parse_int(val, 1, 86400 * 7, &c->login_lock_s))
            return fail(err, errlen, "%s must be a number of seconds, got '%s'", shown, val);
    }
    return rc;
}

int ps_config_load(struct ps_config *c, int argc, char **argv, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->database_url, sizeof c->database_url, "sqlite:./data/pitstop.db");
    snprintf(c->upload_dir, sizeof c->upload_dir, "./data/uploads");
    snprintf(c->web_dir, sizeof c->web_dir, "./web/dist");
    snprintf(c->secrets_file, sizeof c->secrets_file, "./data/secrets");
    c->log_level = PS_LOG_INFO;
    c->sandbox_gateway = true;
    c->signup_per_hour = 1000;
    c->login_max_failures = 5;
    c->login_lock_s = 900;
    int rc = split_listen(c, "PITSTOP_LISTEN", err, errlen);
    if (rc)
        return rc;

    /* PITSTOP_ENV first: it changes the defaults of other settings. */
    const char *env_mode = getenv("PITSTOP_ENV");
    if (env_mode && (rc = apply(c, "PITSTOP_ENV", env_mode, "PITSTOP_ENV", err, errlen)))
        return rc;
    for (const struct ps_config_doc *d = ps_config_docs; d->env; d++) {
        const char *val = getenv(d->env);
        if (val && *val && (rc = apply(c, d->env, val, d->env, err, errlen)))
            return rc;
    }
    for (int i = 0; i < argc; i++) {
        const struct ps_config_doc *d;
        for (d = ps_config_docs; d->env; d++)
            if (d->flag && strcmp(argv[i], d->flag) == 0)
                break;
        if (!d->env)
            return fail(err, errlen, "unknown option '%s'%s (see --help)", argv[i], NULL);
        if (i + 1 >= argc)
            return fail(err, errlen, "option %s needs a value%s", argv[i], NULL);
        if ((rc = apply(c, d->env, argv[i + 1], d->flag, err, errlen)))
            return rc;
        i++;
    }
    ps_log_set_level(c->log_level);
    return 0;
}

/* mkdir -p for the directory part of path. */
static int make_parent_dirs(const char *path)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];
    randombytes_buf(raw, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
    sodium_memzero(raw, sizeof raw);
}

struct secret_slot { const char *name; char *value; size_t cap; size_t gen_bytes; };

/* Reads KEY=value lines; only fills slots that are still empty (the environment wins). */
static int read_secrets(const char *path, struct secret_slot *slots, int n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : -1;
    char line[1200];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq || line[0] == '#')
            continue;
        *eq = '\0';
        for (int i = 0; i < n; i++)
            if (strcmp(line, slots[i].name) == 0 && !slots[i].value[0] && strlen(eq + 1) < slots[i].cap)
                memcpy(slots[i].value, eq + 1, strlen(eq + 1) + 1);
    }
    fclose(f);
    return 0;
}

int ps_config_ensure_secrets(struct ps_config *c, char *err, size_t errlen)
{
    struct secret_slot slots[] = {
        { "PITSTOP_JWT_SECRET", c->jwt_secret, sizeof c->jwt_secret, 48 },
        { "PITSTOP_DATA_KEY", c->data_key, sizeof c->data_key, 32 },
        { "PITSTOP_PAYMENT_WEBHOOK_SECRET", c->webhook_secret, sizeof c->webhook_secret, 32 },
    };
    const int n = (int)(sizeof slots / sizeof slots[0]);
    if (sodium_init() < 0)
        return fail(err, errlen, "libsodium failed to initialise%s%s", "", NULL);
    int missing = 0;
    for (int i = 0; i < n; i++)
        missing += !slots[i].value[0];
    if (!missing)
        return 0;
    if (c->production) {
        for (int i = 0; i < n; i++)
            if (!slots[i].value[0])
                return fail(err, errlen, "%s must be set when PITSTOP_ENV=production%s", slots[i].name, NULL);
    }
    if (read_secrets(c->secrets_file, slots, n))
        return fail(err, errlen, "cannot read the secrets file %s (PITSTOP_SECRETS_FILE)%s", c->secrets_file, NULL);
    int generated = 0;
    for (int i = 0; i < n; i++)
        if (!slots[i].value[0]) {
            random_hex(slots[i].value, slots[i].gen_bytes);
            generated++;
        }
    if (!generated)
        return 0;

    if (make_parent_dirs(c->secrets_file))
        return fail(err, errlen, "cannot create the directory of %s (PITSTOP_SECRETS_FILE)%s", c->secrets_file, NULL);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", c->secrets_file);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return fail(err, errlen, "cannot write %s (PITSTOP_SECRETS_FILE)%s", c->secrets_file, NULL);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return fail(err, errlen, "cannot write %s%s", c->secrets_file, NULL);
    }
    fprintf(f, "# Generated by pitstop on first start. Keep it secret, keep it safe: losing\n"
               "# PITSTOP_DATA_KEY makes encrypted personal data unreadable.\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "%s=%s\n", slots[i].name, slots[i].value);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, c->secrets_file))
        return fail(err, errlen, "cannot write %s (PITSTOP_SECRETS_FILE)%s", c->secrets_file, NULL);
    chmod(c->secrets_file, 0600);
    ps_logf(PS_LOG_INFO, "generated %d secret(s) into %s", generated, c->secrets_file);
    return 0;
}
