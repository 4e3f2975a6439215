/* multipart/form-data, read carefully: every search is bounded by the body's length, header
 * blocks by MULTIPART_MAX_HEADERS and the number of parts by MULTIPART_MAX_PARTS. */
#include "uploads/multipart.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/errors.h"

/* find_bytes() is a GNU extension outside the feature set we build with: a bounded search of our
 * own (memchr for the first byte, then a compare). */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || n < m)
        return NULL;
    const char *end = hay + (n - m) + 1;     /* last possible start + 1 */
    const char *p = hay;
    while (p < end) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, needle, m) == 0)
            return p;
        p++;
    }
    return NULL;
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t'; }

/* RFC 2046 bchars, without the space (a trailing space is not allowed and inner ones are
 * never produced by real clients; refusing them keeps the parser simple). */
static bool is_bchar(char ch)
{
    if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
        return true;
    return strchr("'()+_,-./:=?", ch) != NULL && ch != '\0';
}

int multipart_boundary(const char *ct, char out[MULTIPART_MAX_BOUNDARY + 1])
{
    static const char type[] = "multipart/form-data";
    if (!ct)
        return PS_E_MEDIA_TYPE;
    while (is_space(*ct))
        ct++;
    if (strncasecmp(ct, type, sizeof type - 1) != 0)
        return PS_E_MEDIA_TYPE;
    const char *p = ct + sizeof type - 1;
    if (*p != ';' && *p != '\0' && !is_space(*p))
        return PS_E_MEDIA_TYPE;
    /* Walk the ;-separated parameters looking for boundary=. */
    while (*p) {
        while (*p == ';' || is_space(*p))
            p++;
        const char *name = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        size_t name_len = (size_t)(p - name);
        while (name_len && is_space(name[name_len - 1]))
            name_len--;
        if (*p != '=') {
            continue;
        }
        p++;
        const char *val;
        size_t val_len;
        if (*p == '"') {
            val = ++p;
            while (*p && *p != '"')
                p++;
            if (*p != '"')
                return PS_E_BAD_REQUEST;
            val_len = (size_t)(p - val);
            p++;
        } else {
            val = p;
            while (*p && *p != ';' && !is_space(*p))
                p++;
            val_len = (size_t)(p - val);
        }
        if (name_len == 8 && strncasecmp(name, "boundary", 8) == 0) {
            if (val_len == 0 || val_len > MULTIPART_MAX_BOUNDARY)
                return PS_E_BAD_REQUEST;
            for (size_t i = 0; i < val_len; i++)
                if (!is_bchar(val[i]))
                    return PS_E_BAD_REQUEST;
            memcpy(out, val, val_len);
            out[val_len] = '\0';
            return 0;
        }
    }
    return PS_E_BAD_REQUEST;
}

/* Value of parameter `key` in a Content-Disposition value (quoted or token). */
static bool disposition_param(const char *v, size_t n, const char *key, const char **out,
                              size_t *out_len)
{
    size_t klen = strlen(key);
    size_t i = 0;
    while (i < n) {
        /* at the start of a parameter (or of the disposition type) */
        while (i < n && (v[i] == ';' || is_space(v[i])))
            i++;
        size_t name_start = i;
        while (i < n && v[i] != '=' && v[i] != ';')
            i++;
        size_t name_len = i - name_start;
        while (name_len && is_space(v[name_start + name_len - 1]))
            name_len--;
        if (i >= n || v[i] != '=')
            continue;            /* the disposition type itself ("form-data") */
        i++;
        while (i < n && is_space(v[i]))
            i++;
        size_t val_start, val_len;
        if (i < n && v[i] == '"') {
            val_start = ++i;
            while (i < n && v[i] != '"') {
                if (v[i] == '\\' && i + 1 < n)
                    i++;
                i++;
            }
            if (i >= n)
                return false;    /* unterminated quote */
            val_len = i - val_start;
            i++;
        } else {
            val_start = i;
            while (i < n && v[i] != ';' && !is_space(v[i]))
                i++;
            val_len = i - val_start;
        }
        if (name_len == klen && strncasecmp(v + name_start, key, klen) == 0) {
            *out = v + val_start;
            *out_len = val_len;
            return true;
        }
    }
    return false;
}

/* Parse a part's header block [h, h+n): fills name/filename/content_type. */
static int parse_part_headers(const char *h, size_t n, struct multipart_part *part)
{
    bool have_disposition = false;
    size_t i = 0;
    while (i < n) {
        const char *line = h + i;
        const char *eol = find_bytes(line, n - i, "\r\n", 2);
        size_t line_len = eol ? (size_t)(eol - line) : n - i;
        i += line_len + (eol ? 2 : 0);
        const char *colon = memchr(line, ':', line_len);
        if (!colon)
            return PS_E_BAD_REQUEST;
        size_t name_len = (size_t)(colon - line);
        const char *val = colon + 1;
        size_t val_len = line_len - name_len - 1;
        while (val_len && is_space(*val)) {
            val++;
            val_len--;
        }
        while (val_len && is_space(val[val_len - 1]))
            val_len--;
        if (name_len == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
            if (val_len < 9 || strncasecmp(val, "form-data", 9) != 0)
                return PS_E_BAD_REQUEST;
            if (!disposition_param(val, val_len, "name", &part->name, &part->name_len))
                return PS_E_BAD_REQUEST;
            if (!disposition_param(val, val_len, "filename", &part->filename, &part->filename_len))
                part->filename = NULL;
            have_disposition = true;
        } else if (name_len == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
            part->content_type = val;
            part->content_type_len = val_len;
        }
    }
    return have_disposition ? 0 : PS_E_BAD_REQUEST;
}

int multipart_find(const char *body, size_t len, const char *boundary, const char *field,
                   struct multipart_part *out)
{
    char delim[MULTIPART_MAX_BOUNDARY + 5];   /* "\r\n--" + boundary */
    size_t blen = boundary ? strlen(boundary) : 0;
    if (!body || blen == 0 || blen > MULTIPART_MAX_BOUNDARY || !field)
        return PS_E_BAD_REQUEST;
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    size_t dlen = blen + 4;

    /* The first delimiter may start the body (no preamble) or follow a preamble's CRLF. */
    size_t pos;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        pos = dlen - 2;
    } else {
        const char *d = find_bytes(body, len, delim, dlen);
        if (!d)
            return PS_E_BAD_REQUEST;
        pos = (size_t)(d - body) + dlen;
    }

    size_t flen = strlen(field);
    for (int nparts = 0; nparts < MULTIPART_MAX_PARTS; nparts++) {
        /* After a delimiter: "--" closes the body, otherwise optional spaces and CRLF. */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            return PS_E_NOT_FOUND;
        while (pos < len && is_space(body[pos]))
            pos++;
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
            return PS_E_BAD_REQUEST;
        pos += 2;

        /* Headers end at an empty line; a part without headers is malformed for form-data. */
        size_t window = len - pos < MULTIPART_MAX_HEADERS + 4 ? len - pos : MULTIPART_MAX_HEADERS + 4;
        const char *hend = find_bytes(body + pos, window, "\r\n\r\n", 4);
        if (!hend)
            return PS_E_BAD_REQUEST;
        struct multipart_part part = { 0 };
        int rc = parse_part_headers(body + pos, (size_t)(hend - (body + pos)), &part);
        if (rc)
            return rc;
        size_t data_start = (size_t)(hend - body) + 4;
        const char *next = find_bytes(body + data_start, len - data_start, delim, dlen);
        if (!next)
            return PS_E_BAD_REQUEST;   /* truncated: no closing delimiter */
        part.data = (const unsigned char *)body + data_start;
        part.len = (size_t)(next - (body + data_start));
        if (part.name_len == flen && memcmp(part.name, field, flen) == 0) {
            *out = part;
            return 0;
        }
        pos = (size_t)(next - body) + dlen;
    }
    return PS_E_BAD_REQUEST;   /* too many parts */
}
