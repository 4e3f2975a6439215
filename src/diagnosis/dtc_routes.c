/* GET /api/v1/dtc/{code}: a trouble code's system, generic text and manufacturer texts. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "diagnosis/diagnosis.h"
#include "diagnosis/diagnosis_internal.h"
#include "diagnosis/dtc.h"
#include "diagnosis/dtc_store.h"

#define CODE_SHAPE_MSG "must be a trouble code: P, C, B or U and four hex digits (e.g. P0301)"

int diagnosis_dtc_get(struct ps_req *r)
{
    char code[DIAG_DTC_LEN + 1];
    if (!diag_dtc_normalise(ps_req_param(r, "code"), code))
        return ps_fail_field(r, "code", CODE_SHAPE_MSG);
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    struct dtc_record rec;
    int rc = dtc_store_lookup(c, &r->arena, code, &rec);
    ps_db_release(c);
    if (rc == PS_E_NOT_FOUND) {
        r->problem_detail = "No trouble code with this number is known";
        return rc;
    }
    if (rc) return rc;

    json_t *variants = json_array();
    for (int i = 0; i < rec.nvariants; i++)
        json_array_append_new(variants, json_pack("{s:s, s:s}", "manufacturer", rec.variants[i].manufacturer,
                                                  "description", rec.variants[i].description));
    /* description is the generic text; a code that only manufacturers define shows the first
     * of their texts, and `generic` tells which it is. */
    const char *desc = rec.description ? rec.description
                       : rec.nvariants ? rec.variants[0].description : NULL;
    json_t *body = json_pack("{s:s, s:s, s:s?, s:b, s:o}", "code", rec.code, "system", rec.system,
                             "description", desc, "generic", rec.description != NULL,
                             "manufacturer_variants", variants);
    if (!body) return PS_E_NOMEM;
    return ps_reply_json(r, 200, body);
}

int diagnosis_dtc_describe(struct ps_db_conn *c, const char *code, char *out, size_t cap)
{
    char norm[DIAG_DTC_LEN + 1];
    if (!diag_dtc_normalise(code, norm)) return PS_E_VALIDATION;
    struct ps_arena a;
    ps_arena_init(&a, 64 * 1024);
    struct dtc_record rec;
    int rc = dtc_store_lookup(c, &a, norm, &rec);
    if (rc == 0) {
        const char *d = rec.description ? rec.description : rec.nvariants ? rec.variants[0].description : NULL;
        if (d) snprintf(out, cap, "%s", d);
        else rc = PS_E_NOT_FOUND;
    }
    ps_arena_free(&a);
    return rc;
}
