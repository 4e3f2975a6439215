/* A growable byte buffer with a ceiling: appends past `max` fail with PS_E_TOO_LARGE
 * instead of growing, so every buffer fed by a client has a known worst case. */
#ifndef PS_BUF_H
#define PS_BUF_H

#include <stddef.h>

struct ps_buf {
    char *data;     /* always NUL-terminated when non-NULL */
    size_t len;
    size_t alloc;
    size_t max;
};

void ps_buf_init(struct ps_buf *b, size_t max);
/* 0, PS_E_TOO_LARGE (nothing appended) or PS_E_NOMEM. */
int ps_buf_append(struct ps_buf *b, const void *data, size_t n);
int ps_buf_puts(struct ps_buf *b, const char *s);
int ps_buf_printf(struct ps_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the memory to the caller (free() it); the buffer is empty afterwards. */
char *ps_buf_detach(struct ps_buf *b, size_t *len);
void ps_buf_reset(struct ps_buf *b);
void ps_buf_free(struct ps_buf *b);

#endif
