/* POST /api/v1/diagnoses: likely causes from symptoms (Chinese or English), trouble codes
 * and, when a vehicle is named, its age, mileage and fuel type. Nothing is stored: the
 * answer is computed from the rule base (rules.tsv) each time. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "diagnosis/diagnosis_internal.h"
#include "diagnosis/dtc.h"
#include "diagnosis/dtc_store.h"
#include "diagnosis/engine.h"
#include "diagnosis/text.h"
#include "vehicles/vehicles_api.h"

#define DIAG_MAX_CAUSES 5             /* causes in one answer */
#define DIAG_MIN_LIKELIHOOD 0.02      /* weaker causes are left out (the first never is) */

const struct ps_param diagnosis_create_params[] = {
    { "vehicle_id", PS_ID, PS_NULLABLE,
      .description = "one of the caller's vehicles: its age, mileage and fuel type adjust the ranking" },
    { "dtcs", PS_ARRAY, PS_NULLABLE, .max = DIAG_MAX_REQUEST_DTCS, .item = PS_STRING,
      .description = "OBD-II trouble codes read from the car, e.g. [\"P0301\"]" },
    { "symptoms", PS_STRING, PS_NULLABLE, .max = DIAG_MAX_SYMPTOM_CHARS,
      .description = "what the owner notices, in Chinese or English (\"刹车有异响\", \"car pulls to the left\")" },
    PS_PARAM_END
};

/* Years between a YYYY-MM-DD date (or a model year) and today, -1 when unknown. */
static double vehicle_age(const struct vehicle_brief *v)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    double today = 1900 + tm.tm_year + tm.tm_yday / 365.25;
    int y, m, d;
    if (v->registration_date[0] && sscanf(v->registration_date, "%4d-%2d-%2d", &y, &m, &d) == 3)
        return fmax(0, today - (y + (m - 1) / 12.0 + (d - 1) / 365.25));
    if (v->model_year > 1900)
        return fmax(0, today - (v->model_year + 0.5));  /* built mid-year on average */
    return -1;
}

/* Chinese when the text has Chinese in it; English when it has Latin letters; otherwise
 * the Accept-Language header decides, and Chinese is the default. */
static enum diag_lang pick_lang(struct ps_req *r, const char *symptoms)
{
    if (symptoms && diag_has_cjk(symptoms)) return DIAG_LANG_ZH;
    /* English words, not trouble codes: "P0301" alone says nothing about the language */
    for (const char *p = symptoms; p && *p;) {
        size_t n = 0;
        bool letter = false;
        while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9')) {
            if (p[n] > '9') letter = true;
            n++;
        }
        if (n == 0) { p++; continue; }
        char word[DIAG_DTC_LEN + 1], code[DIAG_DTC_LEN + 1];
        bool is_code = false;
        if (n == DIAG_DTC_LEN) {
            memcpy(word, p, n);
            word[n] = '\0';
            is_code = diag_dtc_normalise(word, code);
        }
        if (letter && !is_code) return DIAG_LANG_EN;
        p += n;
    }
    const char *al = ps_req_header(r, "Accept-Language");
    if (al && (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N')) return DIAG_LANG_EN;
    return DIAG_LANG_ZH;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
    return true;
}

static json_t *cause_json(const struct diag_rules *rb, const struct diag_cause *c, enum diag_lang lang)
{
    const struct diag_rule *rule = c->rule;
    const struct diag_service_type *st = &rb->services[rule->service];
    return json_pack("{s:s, s:s, s:f, s:s, s:{s:s, s:s, s:s}, s:s}",
                     "cause", rule->id,
                     "title", lang == DIAG_LANG_ZH ? rule->title_zh : rule->title_en,
                     "likelihood", round(c->likelihood * 100) / 100,
                     "explanation", c->explanation,
                     "recommended_service_type", "code", st->code, "name_zh", st->name_zh,
                     "name_en", st->name_en,
                     "urgency", diag_urgency_name(rule->urgency));
}

/* The codes of the query with their texts (null when the code is not in the table). */
static json_t *codes_json(struct ps_req *r, struct ps_db_conn *c, const struct diag_query *q)
{
    json_t *arr = json_array();
    for (int i = 0; i < q->ndtcs; i++) {
        struct dtc_record rec;
        const char *desc = NULL;
        if (dtc_store_lookup(c, &r->arena, q->dtcs[i], &rec) == 0)
            desc = rec.description ? rec.description : rec.nvariants ? rec.variants[0].description : NULL;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s?}", "code", q->dtcs[i],
                                             "system", diag_dtc_system(q->dtcs[i]), "description", desc));
    }
    return arr;
}

int diagnosis_create(struct ps_req *r)
{
    const struct diag_rules *rb = diagnosis_rules();
    if (!rb) return PS_E_INTERNAL;
    struct diag_query q;
    memset(&q, 0, sizeof q);
    q.facts.km = -1;
    q.facts.age_years = -1;

    const char *symptoms = ps_json_str(r->json, "symptoms", NULL);
    const json_t *dtcs = json_object_get(r->json, "dtcs");
    size_t i;
    const json_t *item;
    json_array_foreach(dtcs, i, item) {
        char code[DIAG_DTC_LEN + 1];
        char field[32];
        snprintf(field, sizeof field, "dtcs[%zu]", i);
        if (!diag_dtc_normalise(json_string_value(item), code))
            ps_errs_add(&r->errs, field, "must be a trouble code: P, C, B or U and four hex digits (e.g. P0301)");
        else
            diag_query_add_dtc(&q, code);
    }
    if (r->errs.n) return PS_E_VALIDATION;
    if (blank(symptoms) && q.ndtcs == 0) {
        ps_errs_add(&r->errs, "symptoms", "describe the symptoms, or give trouble codes in dtcs");
        ps_errs_add(&r->errs, "dtcs", "give trouble codes, or describe the symptoms");
        return PS_E_VALIDATION;
    }
    q.symptoms = symptoms;
    q.lang = pick_lang(r, symptoms);

    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    struct vehicle_brief v;
    const char *vehicle_id = ps_json_str(r->json, "vehicle_id", NULL);
    if (vehicle_id) {
        /* someone else's vehicle is "not found", like one that does not exist */
        int rc = vehicles_load_owned(c, ps_req_user(r), vehicle_id, &v);
        if (rc) {
            ps_db_release(c);
            if (rc == PS_E_NOT_FOUND) r->problem_detail = "No such vehicle";
            return rc;
        }
        q.facts.fuel = diag_fuel_bit(v.fuel_type);
        q.facts.km = v.odometer_km;
        q.facts.age_years = vehicle_age(&v);
    }

    struct diag_cause causes[DIAG_MAX_CAUSES];
    int n = diag_rank(rb, &q, causes, DIAG_MAX_CAUSES);
    json_t *arr = json_array();
    for (int k = 0; k < n; k++) {
        if (k > 0 && causes[k].likelihood < DIAG_MIN_LIKELIHOOD) break;
        json_array_append_new(arr, cause_json(rb, &causes[k], q.lang));
    }
    json_t *codes = codes_json(r, c, &q);
    ps_db_release(c);

    json_t *body = json_pack("{s:s, s:o, s:o}", "language", q.lang == DIAG_LANG_ZH ? "zh" : "en",
                             "causes", arr, "dtcs", codes);
    if (!body) return PS_E_NOMEM;
    if (vehicle_id) {
        json_t *veh = json_pack("{s:s, s:s, s:I}", "id", v.id, "fuel_type", v.fuel_type,
                                "odometer_km", (json_int_t)v.odometer_km);
        if (veh && q.facts.age_years >= 0)
            json_object_set_new(veh, "age_years", json_real(round(q.facts.age_years * 10) / 10));
        if (veh) json_object_set_new(body, "vehicle", veh);
    }
    return ps_reply_json(r, 200, body);
}
