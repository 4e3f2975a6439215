/* Accounts' business rules: what a valid phone, email, password and name are, how a typed
 * login is normalised, and which roles exist. No HTTP and no SQL here, so all of it is
 * unit-tested directly (test_accounts.c). Shared by the routes and the `user` command. */
#ifndef ACCOUNTS_H
#define ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/pii.h"

#define ACCOUNTS_NAME_MAX_CHARS 64
#define ACCOUNTS_NAME_BYTES (ACCOUNTS_NAME_MAX_CHARS * 4 + 1)    /* UTF-8 worst case */
#define ACCOUNTS_EMAIL_MAX 254                                   /* RFC 5321 path limit */
#define ACCOUNTS_PHONE_LEN 11
#define ACCOUNTS_PASSWORD_MIN 8
#define ACCOUNTS_PASSWORD_MAX 256
#define ACCOUNTS_ACCESS_TTL_S 900                                /* 15 minutes */
#define ACCOUNTS_REFRESH_TTL_MS (30LL * 24 * 3600 * 1000)        /* 30 days */

/* A mainland mobile number: 1, then 3-9, then 9 digits (exactly 11 digits, nothing else). */
bool accounts_valid_phone(const char *s);

/* Checks an email and writes it lower-cased into out. NULL when fine, else a message for
 * the client ("must be an email address"). */
const char *accounts_normalize_email(const char *in, char *out, size_t outlen);

/* NULL when the password is acceptable (>= 8 characters, with letters and digits), else a
 * message for the client. */
const char *accounts_password_problem(const char *pw);

/* Trims surrounding white space into out; NULL when the result is a usable display name
 * (1-64 characters, no control characters), else a message. */
const char *accounts_clean_name(const char *in, char *out, size_t outlen);

enum accounts_login_kind { ACCOUNTS_LOGIN_UNKNOWN = 0, ACCOUNTS_LOGIN_PHONE, ACCOUNTS_LOGIN_EMAIL };

/* What the user typed at login: a phone (spaces, dashes and a +86 prefix are tolerated) or an
 * email (any case). norm receives the normalised form; for anything else it receives the
 * trimmed, lower-cased input so that failures can still be counted against it. */
enum accounts_login_kind accounts_classify_login(const char *login, char *norm, size_t normlen);

/* Key under which failed logins are counted: the blind index of the normalised login, so
 * that what people type is never stored in clear. */
void accounts_login_key(const struct ps_pii_keys *k, const char *normalized,
                        char out[PS_PII_INDEX_LEN + 1]);

/* owner, operator, reviewer, support, analyst: held without a provider, carried in tokens. */
bool accounts_is_platform_role(const char *role);
/* provider_admin, advisor, technician, finance: held per provider, checked in the database. */
bool accounts_is_provider_role(const char *role);

#endif
