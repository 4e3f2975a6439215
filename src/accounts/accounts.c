/* Accounts' business rules (see accounts.h): input rules for sign-up and login, login
 * normalisation and the role catalogue. Pure functions, no I/O. */
#include "accounts.h"

#include <string.h>

#include "core/json.h"

static const char *const platform_roles[] = { "owner", "operator", "reviewer", "support", "analyst", NULL };
static const char *const provider_roles[] = { "provider_admin", "advisor", "technician", "finance", NULL };

static bool in_list(const char *const *list, const char *s)
{
    for (; s && *list; list++) {
        if (strcmp(*list, s) == 0)
            return true;
    }
    return false;
}

bool accounts_is_platform_role(const char *role) { return in_list(platform_roles, role); }
bool accounts_is_provider_role(const char *role) { return in_list(provider_roles, role); }

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool accounts_valid_phone(const char *s)
{
    if (!s || strlen(s) != ACCOUNTS_PHONE_LEN || s[0] != '1' || s[1] < '3' || s[1] > '9')
        return false;
    for (int i = 2; i < ACCOUNTS_PHONE_LEN; i++) {
        if (!is_digit(s[i]))
            return false;
    }
    return true;
}

/* Characters allowed unquoted in the local part (RFC 5322 atext, plus dots between atoms). */
static bool local_char(unsigned char c)
{
    return is_alpha((char)c) || is_digit((char)c) || c >= 0x80 || strchr("!#$%&'*+/=?^_`{|}~.-", c);
}

static bool domain_char(unsigned char c)
{
    return is_alpha((char)c) || is_digit((char)c) || c >= 0x80 || c == '-' || c == '.';
}

const char *accounts_normalize_email(const char *in, char *out, size_t outlen)
{
    static const char *const msg = "must be an email address";
    size_t n = in ? strlen(in) : 0;
    if (n == 0 || n > ACCOUNTS_EMAIL_MAX || n + 1 > outlen || ps_utf8_len(in, n) < 0)
        return msg;
    const char *at = strchr(in, '@');
    if (!at || strchr(at + 1, '@'))
        return msg;
    size_t local_len = (size_t)(at - in), domain_len = n - local_len - 1;
    if (local_len == 0 || local_len > 64 || domain_len < 3)
        return msg;
    for (size_t i = 0; i < local_len; i++) {
        if (!local_char((unsigned char)in[i]))
            return msg;
    }
    if (in[0] == '.' || in[local_len - 1] == '.' || strstr(in, "..") )
        return msg;
    const char *d = at + 1;
    bool dot = false;
    for (size_t i = 0; i < domain_len; i++) {
        if (!domain_char((unsigned char)d[i]))
            return msg;
        dot |= d[i] == '.';
    }
    /* a dotted name whose labels are not empty and neither start nor end with '-' */
    if (!dot || d[0] == '.' || d[domain_len - 1] == '.' || d[0] == '-' || d[domain_len - 1] == '-' ||
        strstr(d, ".-") || strstr(d, "-."))
        return msg;
    for (size_t i = 0; i <= n; i++)
        out[i] = lower(in[i]);
    return NULL;
}

const char *accounts_password_problem(const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    long long chars = ps_utf8_len(pw ? pw : "", n);
    if (chars < 0)
        return "must be valid UTF-8";
    if (chars < ACCOUNTS_PASSWORD_MIN)
        return "must be at least 8 characters long";
    if (chars > ACCOUNTS_PASSWORD_MAX)
        return "must be at most 256 characters long";
    bool letter = false, digit = false;
    for (size_t i = 0; i < n; i++) {
        /* letters of any script count: every byte of a non-ASCII character is >= 0x80 */
        letter |= is_alpha(pw[i]) || (unsigned char)pw[i] >= 0x80;
        digit |= is_digit(pw[i]);
    }
    if (!letter || !digit)
        return "must contain both letters and digits";
    return NULL;
}

const char *accounts_clean_name(const char *in, char *out, size_t outlen)
{
    if (outlen)
        out[0] = '\0';
    if (!in)
        return "must not be empty";
    while (is_space(*in))
        in++;
    size_t n = strlen(in);
    while (n > 0 && is_space(in[n - 1]))
        n--;
    if (n == 0)
        return "must not be empty";
    long long chars = ps_utf8_len(in, n);
    if (chars < 0)
        return "must be valid UTF-8";
    if (chars > ACCOUNTS_NAME_MAX_CHARS || n + 1 > outlen)
        return "must be at most 64 characters long";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x20 || c == 0x7f)
            return "must not contain control characters";
    }
    memcpy(out, in, n);
    out[n] = '\0';
    return NULL;
}

/* Strips spaces and dashes and a leading +86 / 0086; true when what is left is a phone. */
static bool phone_from_login(const char *s, char out[ACCOUNTS_PHONE_LEN + 1])
{
    char digits[32];
    size_t n = 0;
    if (s[0] == '+') {
        if (strncmp(s, "+86", 3) != 0)
            return false;
        s += 3;
    } else if (strncmp(s, "0086", 4) == 0) {
        s += 4;
    }
    for (; *s; s++) {
        if (*s == ' ' || *s == '-')
            continue;
        if (!is_digit(*s) || n + 1 >= sizeof digits)
            return false;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    if (!accounts_valid_phone(digits))
        return false;
    memcpy(out, digits, ACCOUNTS_PHONE_LEN + 1);
    return true;
}

enum accounts_login_kind accounts_classify_login(const char *login, char *norm, size_t normlen)
{
    char trimmed[ACCOUNTS_EMAIL_MAX + 2];
    char phone[ACCOUNTS_PHONE_LEN + 1];
    if (normlen)
        norm[0] = '\0';
    if (!login)
        return ACCOUNTS_LOGIN_UNKNOWN;
    while (is_space(*login))
        login++;
    size_t n = strnlen(login, sizeof trimmed);
    while (n > 0 && is_space(login[n - 1]))
        n--;
    if (n >= sizeof trimmed)
        n = sizeof trimmed - 1;     /* over-long input: counted under its prefix */
    memcpy(trimmed, login, n);
    trimmed[n] = '\0';

    if (phone_from_login(trimmed, phone) && normlen > ACCOUNTS_PHONE_LEN) {
        memcpy(norm, phone, ACCOUNTS_PHONE_LEN + 1);
        return ACCOUNTS_LOGIN_PHONE;
    }
    if (strchr(trimmed, '@') && !accounts_normalize_email(trimmed, norm, normlen))
        return ACCOUNTS_LOGIN_EMAIL;
    if (normlen > n) {
        for (size_t i = 0; i <= n; i++)
            norm[i] = lower(trimmed[i]);
    }
    return ACCOUNTS_LOGIN_UNKNOWN;
}

void accounts_login_key(const struct ps_pii_keys *k, const char *normalized,
                        char out[PS_PII_INDEX_LEN + 1])
{
    /* A prefix keeps these keys apart from the phone blind index of the users table. */
    char buf[ACCOUNTS_EMAIL_MAX + 16];
    size_t n = strlen(normalized);
    if (n > ACCOUNTS_EMAIL_MAX + 1)
        n = ACCOUNTS_EMAIL_MAX + 1;
    memcpy(buf, "login:", 6);
    memcpy(buf + 6, normalized, n);
    buf[6 + n] = '\0';
    ps_pii_blind_index(k, buf, out);
}
