/* A small, bounded multipart/form-data reader (RFC 7578) for the upload route: it finds one
 * named part in a body that is already in memory and points into it; nothing is copied. */
#ifndef PS_MULTIPART_H
#define PS_MULTIPART_H

#include <stddef.h>

#include "core/limits.h"


struct multipart_part {
    const char *name;          size_t name_len;         /* form field name */
    const char *filename;      size_t filename_len;     /* may be NULL */
    const char *content_type;  size_t content_type_len; /* as declared; may be NULL */
    const unsigned char *data; size_t len;              /* the part's bytes, borrowed from body */
};

/* Extract the boundary from a Content-Type header value ("multipart/form-data;
 * boundary=..." with the value quoted or not). Returns 0, PS_E_MEDIA_TYPE when the type is not
 * multipart/form-data, PS_E_BAD_REQUEST when the boundary is missing or malformed. */
int multipart_boundary(const char *content_type, char out[MULTIPART_MAX_BOUNDARY + 1]);

/* Find the part whose field name is `field`. Returns 0, PS_E_NOT_FOUND when the body is
 * well formed but has no such part, PS_E_BAD_REQUEST when the body is malformed. */
int multipart_find(const char *body, size_t len, const char *boundary, const char *field,
                   struct multipart_part *out);

#endif
