/* `pitstop user create`: makes an account with a platform role from the command line (the
 * first operator comes from here). Exit codes: 0 done, 1 failed (e.g. the login exists),
 * 2 misuse. Every account made here is written to the audit log with actor "cli". */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts_internal.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"

static const char user_usage[] =
    "usage: pitstop user create --role ROLE (--email EMAIL | --phone PHONE) --password PASSWORD\n"
    "                           [--name NAME]\n"
    "\n"
    "Creates an account that can log in at once. ROLE is a platform role: operator, reviewer,\n"
    "support, analyst, or owner (every account is an owner as well). Give exactly one of\n"
    "--email and --phone (a mainland mobile number, 11 digits). The password needs at least\n"
    "8 characters with letters and digits. NAME defaults to the email's local part, or to\n"
    "the role for a phone account. Options may also be written --opt=value.\n"
    "Provider roles (provider_admin, advisor, ...) are granted when an operator approves a\n"
    "provider application, not here.\n"
    "\n"
    "The account is written to the audit log (actor \"cli\", action user.create).\n"
    "Exit status: 0 created, 1 failed (e.g. an account with that login exists), 2 misuse.\n";

struct user_opts {
    const char *role, *email, *phone, *password, *name;
};

static int misuse(const char *fmt, const char *arg)
{
    fprintf(stderr, "pitstop user: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'pitstop user --help'.\n");
    return 2;
}

/* Reads --opt VALUE and --opt=VALUE pairs after "create". Returns 0 or an exit code. */
static int parse_opts(int argc, char **argv, struct user_opts *o)
{
    static const char *const names[] = { "role", "email", "phone", "password", "name" };
    const char **slots[] = { &o->role, &o->email, &o->phone, &o->password, &o->name };
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(user_usage, stdout);
            return -1;
        }
        if (strncmp(arg, "--", 2) != 0)
            return misuse("unexpected argument '%s'", arg);
        const char *eq = strchr(arg, '=');
        size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        const char **slot = NULL;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            if (strlen(names[k]) == n && strncmp(arg + 2, names[k], n) == 0)
                slot = slots[k];
        }
        if (!slot)
            return misuse("unknown option '%s'", arg);
        if (*slot)
            return misuse("option '%s' given twice", arg);
        if (eq) {
            *slot = eq + 1;
        } else if (i + 1 < argc) {
            *slot = argv[++i];
        } else {
            return misuse("option '%s' needs a value", arg);
        }
    }
    return 0;
}

struct create_tx {
    struct accounts_user user;
    const char *phone_index;
    const char *role;
    const char *login_kind;
    bool taken;
};

static int create_fn(struct ps_db_conn *c, void *arg)
{
    struct create_tx *a = arg;
    bool taken = false;
    a->taken = false;
    int rc = accounts_store_login_taken(c, a->user.email, a->phone_index, &taken);
    if (rc != 0)
        return rc;
    if (taken) {
        a->taken = true;
        return 0;
    }
    if ((rc = accounts_store_insert_user(c, &a->user, a->phone_index)) != 0 ||
        (rc = accounts_store_role_add(c, a->user.id, "owner", NULL, a->user.created_at)) != 0)
        return rc;
    if (strcmp(a->role, "owner") != 0 &&
        (rc = accounts_store_role_add(c, a->user.id, a->role, NULL, a->user.created_at)) != 0)
        return rc;
    return ps_audit(c, "cli", "user.create", "user", a->user.id,
                    json_pack("{s:s, s:s}", "role", a->role, "login", a->login_kind));
}

static int user_create(const struct ps_app *app, const struct user_opts *o)
{
    struct create_tx tx = { .role = o->role };
    struct accounts_user *u = &tx.user;
    char phone_index[PS_PII_INDEX_LEN + 1];
    const char *msg;

    if (!o->role)
        return misuse("%s", "--role is required");
    if (!accounts_is_platform_role(o->role))
        return misuse("--role must be one of operator, reviewer, support, analyst, owner (not '%s')", o->role);
    if (!o->email == !o->phone)
        return misuse("%s", "give exactly one of --email and --phone");
    if (!o->password)
        return misuse("%s", "--password is required");
    if ((msg = accounts_password_problem(o->password)))
        return misuse("--password %s", msg);
    if (o->email && (msg = accounts_normalize_email(o->email, u->email, sizeof u->email)))
        return misuse("--email %s", msg);
    if (o->phone && !accounts_valid_phone(o->phone))
        return misuse("--phone must be a mainland mobile number (11 digits starting 13-19), not '%s'", o->phone);

    char default_name[ACCOUNTS_NAME_BYTES];
    if (o->name) {
        snprintf(default_name, sizeof default_name, "%s", o->name);
    } else if (o->email) {
        snprintf(default_name, sizeof default_name, "%.*s",
                 (int)(strchr(u->email, '@') - u->email), u->email);
    } else {
        /* not the phone's digits: the name is stored in clear, the phone never is */
        snprintf(default_name, sizeof default_name, "%s", o->role);
    }
    if ((msg = accounts_clean_name(default_name, u->name, sizeof u->name)))
        return misuse("--name %s", msg);

    ps_id_new(u->id);
    u->created_at = ps_now_ms();
    tx.login_kind = o->email ? "email" : "phone";
    if (o->phone) {
        if (ps_pii_seal(app->pii, o->phone, u->phone_sealed, sizeof u->phone_sealed) != 0) {
            fprintf(stderr, "pitstop user: could not seal the phone number\n");
            return 1;
        }
        ps_pii_blind_index(app->pii, o->phone, phone_index);
        tx.phone_index = phone_index;
    }
    if (ps_password_hash(o->password, u->password_hash) != 0) {
        fprintf(stderr, "pitstop user: could not hash the password (out of memory)\n");
        return 1;
    }

    int rc = ps_db_write(app->db, create_fn, &tx);
    sodium_memzero(u->password_hash, sizeof u->password_hash);
    if (rc == PS_E_DUPLICATE || (rc == 0 && tx.taken)) {
        fprintf(stderr, "pitstop user: an account with this %s already exists\n", tx.login_kind);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "pitstop user: could not create the account: %s\n", ps_err_title(rc));
        return 1;
    }
    printf("created user %s (%s) with role %s\n", u->id, u->name, o->role);
    return 0;
}

static int user_command(const struct ps_app *app, int argc, char **argv)
{
    if (argc < 2)
        return misuse("%s", "missing subcommand (create)");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(user_usage, stdout);
        return 0;
    }
    if (strcmp(argv[1], "create") != 0)
        return misuse("unknown subcommand '%s' (known: create)", argv[1]);
    struct user_opts o = { 0 };
    int rc = parse_opts(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (!app || !app->db || !app->pii) {
        fprintf(stderr, "pitstop user: the database is not open\n");
        return 1;
    }
    return user_create(app, &o);
}

const struct ps_command accounts_commands[] = {
    { "user", "user create --role ROLE (--email E | --phone P) --password W [--name N]",
      "create an account with a platform role: operator, reviewer, support, analyst or owner "
      "(exit 0 created, 1 failed e.g. login taken, 2 misuse)", user_command, 1 },
    PS_COMMAND_END
};
