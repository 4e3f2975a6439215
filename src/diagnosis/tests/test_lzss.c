/* Unit tests of the Allegro LZSS decoder: hand-made streams, round trips through the test
 * packer, overlapping references, caps and truncation, and (when Debian's scantool is
 * installed) its LZSS-packed scantool.dat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/errors.h"
#include "diagnosis/lzss.h"
#include "lzss_pack.h"

static void literals_only(void **state)
{
    (void)state;
    const unsigned char in[] = { 0xFF, 'A', 'L', 'L', '.', 'x', 'y', 'z', 'w', 0x01, '!' };
    unsigned char *out;
    size_t n;
    assert_int_equal(diag_lzss_unpack(in, sizeof in, 100, &out, &n), 0);
    assert_int_equal(n, 9);
    assert_memory_equal(out, "ALL.xyzw!", 9);
    assert_int_equal(out[n], 0);
    free(out);
}

static void reference_into_initial_zeros(void **state)
{
    (void)state;
    /* flags 0b00000010: a reference, then a literal. Position 4075 is three bytes before
     * the first write position (4078), so it copies zeros from the initial ring. */
    const unsigned char in[] = { 0x02, 0xEB, 0xF0, 'Q' };
    unsigned char *out;
    size_t n;
    assert_int_equal(diag_lzss_unpack(in, sizeof in, 100, &out, &n), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "\0\0\0Q", 4);
    free(out);
}

static void overlapping_reference_repeats(void **state)
{
    (void)state;
    /* 'a','b' then a reference to position 4078 of length 10: copies while it writes, so
     * it repeats "ab" five times. */
    const unsigned char in[] = { 0x03, 'a', 'b', 0xEE, 0xF0 | (10 - 3) };
    unsigned char *out;
    size_t n;
    assert_int_equal(diag_lzss_unpack(in, sizeof in, 100, &out, &n), 0);
    assert_int_equal(n, 12);
    assert_memory_equal(out, "abababababab", 12);
    free(out);
}

static void round_trip(const unsigned char *data, size_t len)
{
    size_t plen, n;
    unsigned char *packed = test_lzss_pack(data, len, &plen);
    unsigned char *out;
    assert_int_equal(diag_lzss_unpack(packed, plen, len + 10, &out, &n), 0);
    assert_int_equal(n, len);
    if (len) assert_memory_equal(out, data, len);
    free(out);
    free(packed);
}

static void round_trips(void **state)
{
    (void)state;
    round_trip((const unsigned char *)"", 0);
    round_trip((const unsigned char *)"a", 1);
    const char *text = "P0301\tGeneric\tCylinder 1 Misfire Detected\n"
                       "P0302\tGeneric\tCylinder 2 Misfire Detected\n"
                       "P0303\tGeneric\tCylinder 3 Misfire Detected\n";
    round_trip((const unsigned char *)text, strlen(text));
    /* Long runs and data longer than the ring: wraps the ring several times. */
    size_t len = 3 * DIAG_LZSS_RING + 123;
    unsigned char *buf = malloc(len);
    uint32_t x = 12345;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (i % 700 < 300) ? (unsigned char)'z' : (unsigned char)"ABCD"[(x >> 16) & 3];
    }
    round_trip(buf, len);
    free(buf);
}

static void caps_and_truncation(void **state)
{
    (void)state;
    unsigned char *out = NULL;
    size_t n;
    const unsigned char lit[] = { 0xFF, 'a', 'b', 'c', 'd' };
    assert_int_equal(diag_lzss_unpack(lit, sizeof lit, 3, &out, &n), PS_E_TOO_LARGE);
    assert_int_equal(diag_lzss_unpack(lit, sizeof lit, 4, &out, &n), 0);
    free(out);
    /* A reference cut after its first byte. */
    const unsigned char cut[] = { 0x00, 0xEE };
    assert_int_equal(diag_lzss_unpack(cut, sizeof cut, 100, &out, &n), PS_E_BAD_REQUEST);
    /* A flag byte with nothing after it (after eight items) is a clean end. */
    const unsigned char flag_only[] = { 0xFF, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0x00 };
    assert_int_equal(diag_lzss_unpack(flag_only, sizeof flag_only, 100, &out, &n), 0);
    assert_int_equal(n, 8);
    free(out);
    /* A reference cannot blow past the cap either. */
    const unsigned char ref[] = { 0x00, 0x00, 0x0F, 0x00, 0x0F };
    assert_int_equal(diag_lzss_unpack(ref, sizeof ref, 20, &out, &n), PS_E_TOO_LARGE);
}

/* Debian's scantool ships scantool.dat packed ("slh!"): it must unpack to a datafile. */
static void real_packed_file(void **state)
{
    (void)state;
    FILE *f = fopen("/usr/share/scantool/scantool.dat", "rb");
    if (!f) { skip(); return; }
    unsigned char *buf = malloc(1 << 20);
    size_t len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    assert_memory_equal(buf, "slh!", 4);
    unsigned char *out;
    size_t n;
    assert_int_equal(diag_lzss_unpack(buf + 4, len - 4, 16 << 20, &out, &n), 0);
    assert_true(n > len);
    assert_memory_equal(out, "ALL.", 4);
    free(out);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literals_only),
        cmocka_unit_test(reference_into_initial_zeros),
        cmocka_unit_test(overlapping_reference_repeats),
        cmocka_unit_test(round_trips),
        cmocka_unit_test(caps_and_truncation),
        cmocka_unit_test(real_packed_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
