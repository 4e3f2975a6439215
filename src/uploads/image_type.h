/* Image types accepted for uploads, recognised by their leading bytes, never by the name or
 * the Content-Type a client claims. */
#ifndef PS_IMAGE_TYPE_H
#define PS_IMAGE_TYPE_H

#include <stddef.h>

/* "image/jpeg", "image/png" or "image/webp"; NULL for anything else. */
const char *image_type_sniff(const unsigned char *p, size_t n);

#endif
