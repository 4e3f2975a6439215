/* Bounded growable buffer; see buf.h. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

void ps_buf_init(struct ps_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
}

static int reserve(struct ps_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return PS_E_TOO_LARGE;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t alloc = b->alloc ? b->alloc : 256;
    while (alloc < need)
        alloc *= 2;
    if (alloc > b->max + 1)
        alloc = b->max + 1;
    char *p = realloc(b->data, alloc);
    if (!p)
        return PS_E_NOMEM;
    b->data = p;
    b->alloc = alloc;
    return 0;
}

int ps_buf_append(struct ps_buf *b, const void *data, size_t n)
{
    int rc = reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int ps_buf_puts(struct ps_buf *b, const char *s)
{
    return ps_buf_append(b, s, strlen(s));
}

int ps_buf_printf(struct ps_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return PS_E_INTERNAL;
    int rc = reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *ps_buf_detach(struct ps_buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->alloc = 0;
    return p;
}

void ps_buf_reset(struct ps_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void ps_buf_free(struct ps_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}
