/* Configuration: environment variables first, then command-line flags, then defaults.
 * Secrets that are not given are generated once into the secrets file (mode 0600) and reused,
 * so `pitstop serve` works with no configuration and keeps its keys across restarts. */
#ifndef PS_CONFIG_H
#define PS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/log.h"

struct ps_config {
    char listen[128];          /* PITSTOP_LISTEN, "host:port" */
    char listen_host[64];
    int listen_port;
    char database_url[1024];   /* PITSTOP_DATABASE_URL */
    char jwt_secret[1024];     /* PITSTOP_JWT_SECRET (one secret or "kid:secret,kid:secret") */
    char data_key[128];        /* PITSTOP_DATA_KEY, 64 hex chars */
    char webhook_secret[256];  /* PITSTOP_PAYMENT_WEBHOOK_SECRET */
    char upload_dir[512];      /* PITSTOP_UPLOAD_DIR */
    char web_dir[512];         /* PITSTOP_WEB_DIR: the built front end */
    char secrets_file[512];    /* PITSTOP_SECRETS_FILE */
    enum ps_log_level log_level; /* PITSTOP_LOG_LEVEL */
    int threads;               /* PITSTOP_THREADS: 0 = a thread per connection */
    int db_readers;            /* PITSTOP_DB_POOL */
    bool production;           /* PITSTOP_ENV=production: secrets must be given, no sandbox */
    bool sandbox_gateway;      /* PITSTOP_SANDBOX_GATEWAY (default on, off in production) */
    int signup_per_hour;       /* PITSTOP_RATE_SIGNUP_PER_HOUR per client address */
    int login_max_failures;    /* PITSTOP_LOGIN_MAX_FAILURES within the lock window */
    int login_lock_s;          /* PITSTOP_LOGIN_LOCK_SECONDS */
};

/* One row per setting, for --help and docs/OPERATIONS.md. */
struct ps_config_doc { const char *env; const char *flag; const char *def; const char *help; };
extern const struct ps_config_doc ps_config_docs[];

/* Fill c from defaults, then the environment, then flags in argv (--listen, --database,
 * --log-level, --web-dir, --threads). Unknown flags and bad values are errors that name the
 * variable or flag. *argc/argv are not modified. Returns 0 or PS_E_BAD_REQUEST. */
int ps_config_load(struct ps_config *c, int argc, char **argv, char *err, size_t errlen);
/* Make sure every secret is set: missing ones are read from, or generated into, the
 * secrets file (created with mode 0600 in a directory created if missing). In production
 * mode missing secrets are an error instead. Returns 0 or PS_E_BAD_REQUEST. */
int ps_config_ensure_secrets(struct ps_config *c, char *err, size_t errlen);

#endif
