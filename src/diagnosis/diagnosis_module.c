/* The diagnosis module as the core sees it: the trouble-code look-up and diagnosis routes,
 * the import-dtc command, the OpenAPI schemas, and the rule base loaded at start-up. */
#include <pthread.h>
#include <stdio.h>

#include "core/errors.h"
#include "core/log.h"
#include "diagnosis/diagnosis_internal.h"

extern const unsigned char diagnosis_rules_tsv[];
extern const unsigned char diagnosis_service_types_tsv[];

static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static struct diag_rules *rules;   /* lives as long as the process */

static void load_rules(void)
{
    char err[256] = "";
    int rc = diag_rules_load((const char *)diagnosis_service_types_tsv,
                             (const char *)diagnosis_rules_tsv, &rules, err, sizeof err);
    if (rc) {
        rules = NULL;
        ps_log_error("diagnosis: rule base does not load: %s", err);
    }
}

const struct diag_rules *diagnosis_rules(void)
{
    pthread_once(&rules_once, load_rules);
    return rules;
}

static int diagnosis_init(const struct ps_app *app)
{
    (void)app;
    /* A broken rule file stops the server at start-up, not at the first diagnosis. */
    return diagnosis_rules() ? 0 : PS_E_INTERNAL;
}

const struct ps_route diagnosis_routes[] = {
    { PS_GET, "/api/v1/dtc/:code", diagnosis_dtc_get, PS_PUBLIC,
      .summary = "Look up an OBD-II trouble code (generic and manufacturer texts)",
      .tag = "diagnosis", .response = "DtcCode", .errors = "404,422" },
    { PS_POST, "/api/v1/diagnoses", diagnosis_create, PS_AUTH, .body = diagnosis_create_params,
      .summary = "Rank likely causes from symptoms, trouble codes and the vehicle",
      .tag = "diagnosis", .response = "Diagnosis", .errors = "404,422" },
    PS_ROUTE_END
};

void diagnosis_schemas(json_t *components)
{
    json_t *variant = json_pack("{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}}}", "type", "object",
                                "required", "manufacturer", "description", "properties",
                                "manufacturer", "type", "string", "description", "type", "string");
    json_t *dtc = json_pack(
        "{s:s, s:[s,s,s,s,s], s:{s:{s:s, s:s}, s:{s:s, s:[s,s,s,s]}, s:{s:[s,s], s:s},"
        " s:{s:s, s:s}, s:{s:s, s:o}}}",
        "type", "object",
        "required", "code", "system", "description", "generic", "manufacturer_variants",
        "properties",
        "code", "type", "string", "pattern", "^[PCBU][0-9A-F]{4}$",
        "system", "type", "string", "enum", "powertrain", "chassis", "body", "network",
        "description", "type", "string", "null",
        "description", "the SAE generic text; for a code only manufacturers define, the first manufacturer text",
        "generic", "type", "boolean", "description", "whether description is the SAE generic text",
        "manufacturer_variants", "type", "array", "items", variant);
    json_t *cause = json_pack(
        "{s:s, s:[s,s,s,s,s,s], s:{s:{s:s, s:s}, s:{s:s}, s:{s:s, s:i, s:i, s:s}, s:{s:s},"
        " s:{s:s, s:[s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}}}, s:{s:s, s:[s,s,s,s]}}}",
        "type", "object",
        "required", "cause", "title", "likelihood", "explanation", "recommended_service_type", "urgency",
        "properties",
        "cause", "type", "string", "description", "stable id of the rule (docs/DIAGNOSIS.md)",
        "title", "type", "string",
        "likelihood", "type", "number", "minimum", 0, "maximum", 1,
        "description", "probability-like score; the causes' likelihoods sum to at most 1",
        "explanation", "type", "string",
        "recommended_service_type", "type", "object", "required", "code", "name_zh", "name_en",
        "properties", "code", "type", "string", "name_zh", "type", "string", "name_en", "type", "string",
        "urgency", "type", "string", "enum", "low", "medium", "high", "stop_driving");
    json_t *code = json_pack("{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}, s:{s:[s,s]}}}", "type", "object",
                             "required", "code", "system", "properties", "code", "type", "string",
                             "system", "type", "string", "description", "type", "string", "null");
    json_t *vehicle = json_pack("{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}", "type", "object",
                                "properties", "id", "type", "string", "fuel_type", "type", "string",
                                "odometer_km", "type", "integer", "age_years", "type", "number");
    json_t *diag = json_pack(
        "{s:s, s:[s,s,s], s:{s:{s:s, s:[s,s]}, s:{s:s, s:o}, s:{s:s, s:o}, s:o}}",
        "type", "object", "required", "language", "causes", "dtcs", "properties",
        "language", "type", "string", "enum", "zh", "en",
        "causes", "type", "array", "items", cause,
        "dtcs", "type", "array", "items", code,
        "vehicle", vehicle);
    if (dtc) json_object_set_new(components, "DtcCode", dtc);
    if (diag) json_object_set_new(components, "Diagnosis", diag);
}

const struct ps_module ps_module_diagnosis = {
    .name = "diagnosis",
    .routes = diagnosis_routes,
    .init = diagnosis_init,
    .schemas = diagnosis_schemas,
    .commands = diagnosis_commands,
};
