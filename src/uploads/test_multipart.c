/* Unit tests of the multipart/form-data reader and the image magic-byte checks, including
 * malformed, truncated and hostile bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/errors.h"
#include "uploads/image_type.h"
#include "uploads/multipart.h"

static void test_boundary(void **state)
{
    char b[MULTIPART_MAX_BOUNDARY + 1];
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=abc123", b), 0);
    assert_string_equal(b, "abc123");
    assert_int_equal(multipart_boundary("Multipart/Form-Data;charset=utf-8; boundary=\"x y\"", b),
                     PS_E_BAD_REQUEST);   /* a space inside is refused */
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"----WebKit-9z\"", b), 0);
    assert_string_equal(b, "----WebKit-9z");
    assert_int_equal(multipart_boundary("application/json", b), PS_E_MEDIA_TYPE);
    assert_int_equal(multipart_boundary("multipart/form-datax; boundary=a", b), PS_E_MEDIA_TYPE);
    assert_int_equal(multipart_boundary(NULL, b), PS_E_MEDIA_TYPE);
    assert_int_equal(multipart_boundary("multipart/form-data", b), PS_E_BAD_REQUEST);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=", b), PS_E_BAD_REQUEST);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"abc", b), PS_E_BAD_REQUEST);
    char longb[200] = "multipart/form-data; boundary=";
    memset(longb + strlen(longb), 'a', 71);
    assert_int_equal(multipart_boundary(longb, b), PS_E_BAD_REQUEST);
}

static const char body1[] =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n"
    "\r\n"
    "hello\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; name=\"file\"; filename=\"a;b.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\xff\xd8\xff\xe0--XyZ-not-a-delimiter\r\n"
    "--XyZ--\r\n";

static void test_find(void **state)
{
    struct multipart_part p;
    assert_int_equal(multipart_find(body1, sizeof body1 - 1, "XyZ", "file", &p), 0);
    assert_int_equal(p.len, 4 + 21);
    assert_memory_equal(p.data, "\xff\xd8\xff\xe0", 4);
    assert_int_equal(p.filename_len, 7);
    assert_memory_equal(p.filename, "a;b.jpg", 7);
    assert_int_equal(p.content_type_len, 10);
    assert_int_equal(multipart_find(body1, sizeof body1 - 1, "XyZ", "note", &p), 0);
    assert_int_equal(p.len, 5);
    assert_null(p.filename);
    assert_int_equal(multipart_find(body1, sizeof body1 - 1, "XyZ", "other", &p), PS_E_NOT_FOUND);
    assert_int_equal(multipart_find(body1, sizeof body1 - 1, "Nope", "file", &p), PS_E_BAD_REQUEST);
}

static void test_no_preamble_and_binary(void **state)
{
    char body[64];
    size_t n = 0;
    const char *head = "--b\r\nContent-Disposition: form-data; name=file\r\n\r\n";
    memcpy(body, head, strlen(head));
    n = strlen(head);
    body[n++] = '\0';
    body[n++] = '\r';
    body[n++] = '\n';
    body[n++] = '-';
    memcpy(body + n, "\r\n--b--", 7);
    n += 7;
    struct multipart_part p;
    assert_int_equal(multipart_find(body, n, "b", "file", &p), 0);
    assert_int_equal(p.len, 4);
    assert_memory_equal(p.data, "\0\r\n-", 4);
}

static void test_malformed(void **state)
{
    struct multipart_part p;
    /* truncated: no closing delimiter */
    const char *t1 = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc";
    assert_int_equal(multipart_find(t1, strlen(t1), "b", "file", &p), PS_E_BAD_REQUEST);
    /* no header terminator */
    const char *t2 = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n";
    assert_int_equal(multipart_find(t2, strlen(t2), "b", "file", &p), PS_E_BAD_REQUEST);
    /* missing Content-Disposition */
    const char *t3 = "--b\r\nContent-Type: image/png\r\n\r\nabc\r\n--b--";
    assert_int_equal(multipart_find(t3, strlen(t3), "b", "file", &p), PS_E_BAD_REQUEST);
    /* header line without a colon */
    const char *t4 = "--b\r\ngarbage\r\n\r\nabc\r\n--b--";
    assert_int_equal(multipart_find(t4, strlen(t4), "b", "file", &p), PS_E_BAD_REQUEST);
    /* unterminated quote in the name */
    const char *t5 = "--b\r\nContent-Disposition: form-data; name=\"file\r\n\r\nabc\r\n--b--";
    assert_int_equal(multipart_find(t5, strlen(t5), "b", "file", &p), PS_E_BAD_REQUEST);
    /* empty body, bad arguments */
    assert_int_equal(multipart_find("", 0, "b", "file", &p), PS_E_BAD_REQUEST);
    assert_int_equal(multipart_find(NULL, 0, "b", "file", &p), PS_E_BAD_REQUEST);
    assert_int_equal(multipart_find("--b--", 5, "", "file", &p), PS_E_BAD_REQUEST);
    /* closed at once: well formed, no such part */
    assert_int_equal(multipart_find("--b--\r\n", 7, "b", "file", &p), PS_E_NOT_FOUND);
    /* a delimiter followed by junk instead of CRLF */
    const char *t6 = "--bX\r\n";
    assert_int_equal(multipart_find(t6, strlen(t6), "b", "file", &p), PS_E_BAD_REQUEST);
}

static void test_too_many_parts(void **state)
{
    char *body = malloc(64 * 40);
    assert_non_null(body);
    size_t n = 0;
    for (int i = 0; i < 40; i++) {
        const char *part = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n";
        memcpy(body + n, part, strlen(part));
        n += strlen(part);
    }
    memcpy(body + n, "--b--", 5);
    n += 5;
    struct multipart_part p;
    assert_int_equal(multipart_find(body, n, "b", "file", &p), PS_E_BAD_REQUEST);
    free(body);
}

static void test_oversized_headers(void **state)
{
    size_t n = MULTIPART_MAX_HEADERS * 2 + 100;
    char *body = malloc(n);
    assert_non_null(body);
    const char *head = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\nX-Pad: ";
    memcpy(body, head, strlen(head));
    memset(body + strlen(head), 'a', n - strlen(head));
    memcpy(body + n - 20, "\r\n\r\nabc\r\n--b--\r\n", 16);
    struct multipart_part p;
    assert_int_equal(multipart_find(body, n - 4, "b", "file", &p), PS_E_BAD_REQUEST);
    free(body);
}

static void test_sniff(void **state)
{
    unsigned char jpg[16] = { 0xff, 0xd8, 0xff, 0xdb };
    unsigned char png[16] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    unsigned char webp[16] = { 'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ' };
    unsigned char gif[16] = { 'G', 'I', 'F', '8', '9', 'a' };
    assert_string_equal(image_type_sniff(jpg, sizeof jpg), "image/jpeg");
    assert_string_equal(image_type_sniff(png, sizeof png), "image/png");
    assert_string_equal(image_type_sniff(webp, sizeof webp), "image/webp");
    assert_null(image_type_sniff(gif, sizeof gif));
    assert_null(image_type_sniff(png, 8));          /* too short to be an image */
    assert_null(image_type_sniff(jpg, 2));
    assert_null(image_type_sniff(NULL, 0));
    webp[8] = 'A';
    assert_null(image_type_sniff(webp, sizeof webp));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_no_preamble_and_binary),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_too_many_parts),
        cmocka_unit_test(test_oversized_headers),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
