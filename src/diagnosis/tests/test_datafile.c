/* Unit tests of the Allegro datafile walker on fixtures built here: plain and packed
 * packfiles, an individually packed object, nested FILE objects, and damaged files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/errors.h"
#include "diagnosis/datafile.h"
#include "lzss_pack.h"

struct fx { unsigned char b[8192]; size_t n; };

static void put32(struct fx *f, uint32_t v)
{
    f->b[f->n++] = (unsigned char)(v >> 24);
    f->b[f->n++] = (unsigned char)(v >> 16);
    f->b[f->n++] = (unsigned char)(v >> 8);
    f->b[f->n++] = (unsigned char)v;
}
static void putid(struct fx *f, const char *id) { memcpy(f->b + f->n, id, 4); f->n += 4; }
static void putbytes(struct fx *f, const void *p, size_t n) { memcpy(f->b + f->n, p, n); f->n += n; }

static void prop(struct fx *f, const char *id, const char *value)
{
    putid(f, "prop");
    putid(f, id);
    put32(f, (uint32_t)strlen(value));
    putbytes(f, value, strlen(value));
}

static void object(struct fx *f, const char *type, const char *name, const char *data)
{
    if (name) prop(f, "NAME", name);
    putid(f, type);
    put32(f, (uint32_t)strlen(data));
    put32(f, (uint32_t)strlen(data));
    putbytes(f, data, strlen(data));
}

/* What a walk saw, flattened into one string: "depth:type:name:data|..." */
struct seen { char log[2048]; int n; };

static int record(const struct diag_df_object *o, void *ctx)
{
    struct seen *s = ctx;
    size_t at = strlen(s->log);
    snprintf(s->log + at, sizeof s->log - at, "%d:%s:%s:%.*s|", o->depth, o->type, o->name,
             strcmp(o->type, "FILE") == 0 ? 0 : (int)o->size, (const char *)o->data);
    s->n++;
    return 0;
}

static void build_plain(struct fx *f)
{
    f->n = 0;
    putid(f, "slh.");
    putid(f, "ALL.");
    put32(f, 2);
    prop(f, "DATE", "3-12-2019, 19:00");
    object(f, "CDEF", "PCODES", "P0301\tGeneric\tCylinder 1 Misfire Detected\n");
    object(f, "info", "GrabberInfo", "x");
}

static void plain_file(void **state)
{
    (void)state;
    struct fx f;
    build_plain(&f);
    struct seen s = { "", 0 };
    char err[200];
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.log, "0:CDEF:PCODES:P0301\tGeneric\tCylinder 1 Misfire Detected\n|"
                               "0:info:GrabberInfo:x|");
}

static void packed_file(void **state)
{
    (void)state;
    struct fx plain, packed;
    build_plain(&plain);
    size_t plen;
    unsigned char *z = test_lzss_pack(plain.b + 4, plain.n - 4, &plen);
    packed.n = 0;
    putid(&packed, "slh!");
    putbytes(&packed, z, plen);
    free(z);
    struct seen s = { "", 0 };
    assert_int_equal(diag_datafile_walk(packed.b, packed.n, record, &s, NULL, 0), 0);
    assert_int_equal(s.n, 2);
    assert_non_null(strstr(s.log, "0:CDEF:PCODES:P0301\tGeneric"));
}

static void packed_object_and_nesting(void **state)
{
    (void)state;
    const char *text = "B0001\tGeneric\tDriver Frontal Stage 1 Deployment Control\n"
                       "B0002\tGeneric\tDriver Frontal Stage 2 Deployment Control\n";
    size_t plen;
    unsigned char *z = test_lzss_pack((const unsigned char *)text, strlen(text), &plen);
    /* The nested datafile: a count, then one packed object (negative stored size). */
    struct fx inner;
    inner.n = 0;
    put32(&inner, 1);
    prop(&inner, "NAME", "BCODES");
    putid(&inner, "DATA");
    put32(&inner, (uint32_t)(0u - (uint32_t)plen));
    put32(&inner, (uint32_t)strlen(text));
    putbytes(&inner, z, plen);
    free(z);

    struct fx f;
    f.n = 0;
    putid(&f, "slh.");
    putid(&f, "ALL.");
    put32(&f, 2);
    prop(&f, "NAME", "CODES");
    putid(&f, "FILE");
    put32(&f, (uint32_t)inner.n);
    put32(&f, (uint32_t)inner.n);
    putbytes(&f, inner.b, inner.n);
    object(&f, "DATA", "LAST", "end");

    struct seen s = { "", 0 };
    char err[200];
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), 0);
    char want[512];
    snprintf(want, sizeof want, "0:FILE:CODES:|1:DATA:BCODES:%s|0:DATA:LAST:end|", text);
    assert_string_equal(s.log, want);
}

static int stop_at_first(const struct diag_df_object *o, void *ctx)
{
    (void)o;
    (*(int *)ctx)++;
    return 7;
}

static void callback_stops_walk(void **state)
{
    (void)state;
    struct fx f;
    build_plain(&f);
    int calls = 0;
    assert_int_equal(diag_datafile_walk(f.b, f.n, stop_at_first, &calls, NULL, 0), 7);
    assert_int_equal(calls, 1);
}

static void damaged_files(void **state)
{
    (void)state;
    struct fx f;
    struct seen s = { "", 0 };
    char err[200];
    build_plain(&f);
    /* Every truncation of a valid file is refused (or stops cleanly), never overread. */
    for (size_t cut = 0; cut < f.n; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, f.b, cut);
        s.log[0] = '\0';
        assert_int_equal(diag_datafile_walk(copy, cut, record, &s, err, sizeof err), PS_E_BAD_REQUEST);
        assert_true(err[0] != '\0');
        free(copy);
    }
    /* Wrong magic numbers. */
    build_plain(&f);
    memcpy(f.b, "PK\x03\x04", 4);
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), PS_E_BAD_REQUEST);
    assert_non_null(strstr(err, "magic"));
    build_plain(&f);
    memcpy(f.b + 4, "ALX.", 4);
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), PS_E_BAD_REQUEST);
    /* A property claiming more bytes than there are. */
    build_plain(&f);
    f.b[22] = 0x7F;                       /* length of the DATE property */
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), PS_E_BAD_REQUEST);
    /* A huge object count. */
    build_plain(&f);
    f.b[8] = 0x7F;
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), PS_E_BAD_REQUEST);
}

static void deep_nesting_refused(void **state)
{
    (void)state;
    /* FILE inside FILE inside ... deeper than the cap, built from the inside out. */
    static struct fx layers[2];
    struct fx *cur = &layers[0], *next = &layers[1];
    cur->n = 0;
    put32(cur, 0);
    for (int d = 0; d < DIAG_DF_MAX_DEPTH + 2; d++) {
        next->n = 0;
        put32(next, 1);
        putid(next, "FILE");
        put32(next, (uint32_t)cur->n);
        put32(next, (uint32_t)cur->n);
        putbytes(next, cur->b, cur->n);
        struct fx *t = cur; cur = next; next = t;
    }
    struct fx f;
    f.n = 0;
    putid(&f, "slh.");
    putid(&f, "ALL.");
    putbytes(&f, cur->b, cur->n);
    struct seen s = { "", 0 };
    char err[200];
    assert_int_equal(diag_datafile_walk(f.b, f.n, record, &s, err, sizeof err), PS_E_BAD_REQUEST);
    assert_non_null(strstr(err, "deep"));
}

/* Random damage to valid files (plain and packed) must be refused or walked, never crash
 * or overread (run under ASan by tests/run.sh asan). */
static int count_objects(const struct diag_df_object *o, void *ctx)
{
    (void)o;
    (*(int *)ctx)++;
    return 0;
}

static void mutations_never_crash(void **state)
{
    (void)state;
    struct fx plain, packed;
    build_plain(&plain);
    size_t plen;
    unsigned char *z = test_lzss_pack(plain.b + 4, plain.n - 4, &plen);
    packed.n = 0;
    putid(&packed, "slh!");
    putbytes(&packed, z, plen);
    free(z);
    uint32_t x = 2463534242u;
    for (int round = 0; round < 4000; round++) {
        const struct fx *src = round % 2 ? &packed : &plain;
        unsigned char *m = malloc(src->n);
        memcpy(m, src->b, src->n);
        int flips = 1 + round % 4;
        for (int k = 0; k < flips; k++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            size_t at = 4 + x % (src->n - 4);
            m[at] = (unsigned char)(x >> 8);
        }
        size_t len = round % 7 == 0 ? src->n - (x % src->n) : src->n;
        int n = 0;
        int rc = diag_datafile_walk(m, len, count_objects, &n, NULL, 0);
        assert_true(rc == 0 || rc == PS_E_BAD_REQUEST || rc == PS_E_TOO_LARGE);
        free(m);
    }
}

/* The real file, when Debian's scantool is installed. */
static void real_codes_dat(void **state)
{
    (void)state;
    FILE *fp = fopen("/usr/share/scantool/codes.dat", "rb");
    if (!fp) { skip(); return; }
    unsigned char *buf = malloc(1 << 20);
    size_t len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    struct seen s = { "", 0 };
    assert_int_equal(diag_datafile_walk(buf, len, record, &s, NULL, 0), 0);
    assert_int_equal(s.n, 5);
    free(buf);
}

/* scantool.dat is LZSS-packed ("slh!"): a real-world check of packed walking. */
static int count_only(const struct diag_df_object *o, void *ctx)
{
    (void)o;
    (*(int *)ctx)++;
    return 0;
}

static void real_packed_scantool_dat(void **state)
{
    (void)state;
    FILE *fp = fopen("/usr/share/scantool/scantool.dat", "rb");
    if (!fp) { skip(); return; }
    unsigned char *buf = malloc(1 << 20);
    size_t len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    int n = 0;
    char err[200];
    assert_int_equal(diag_datafile_walk(buf, len, count_only, &n, err, sizeof err), 0);
    assert_true(n >= 10);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_file),
        cmocka_unit_test(packed_file),
        cmocka_unit_test(packed_object_and_nesting),
        cmocka_unit_test(callback_stops_walk),
        cmocka_unit_test(damaged_files),
        cmocka_unit_test(deep_nesting_refused),
        cmocka_unit_test(mutations_never_crash),
        cmocka_unit_test(real_codes_dat),
        cmocka_unit_test(real_packed_scantool_dat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
