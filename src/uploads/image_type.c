/* Magic-byte checks for the three image formats the platform takes (work-order photos). */
#include "uploads/image_type.h"

#include <string.h>

const char *image_type_sniff(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    if (!p)
        return NULL;
    /* JPEG: SOI marker followed by the start of another marker. */
    if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "image/jpeg";
    if (n >= 16 && memcmp(p, png, sizeof png) == 0)
        return "image/png";
    /* WebP: a RIFF container whose form type is WEBP and whose first chunk is VP8/VP8L/VP8X. */
    if (n >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBPVP8", 7) == 0)
        return "image/webp";
    return NULL;
}
