/* OpenAPI component schemas of the providers module (named by the routes' .response). */
#include <jansson.h>
#include <stdio.h>

#include "providers/providers_internal.h"

static json_t *ref(const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", buf);
}

static json_t *list_of(const char *name)
{
    return json_pack("{s:s, s:[s], s:{s:{s:s, s:o}, s:{s:[s,s]}}}", "type", "object",
                     "required", "items", "properties", "items", "type", "array", "items", ref(name),
                     "next_cursor", "type", "string", "null");
}

#define S  "{s:s}"
#define T(x) "type", x

void providers_schemas(json_t *c)
{
    json_object_set_new(c, "ServiceType", json_pack("{s:s, s:[s,s,s,s], s:{s:" S ", s:" S ", s:" S ", s:" S ", s:" S "}}",
        T("object"), "required", "code", "name_zh", "name_en", "category", "properties",
        "code", T("string"), "name_zh", T("string"), "name_en", T("string"), "category", T("string"),
        "duration_min", T("integer")));
    json_object_set_new(c, "ServiceTypes", json_pack("{s:s, s:{s:{s:s, s:o}}}", T("object"),
        "properties", "items", T("array"), "items", ref("ServiceType")));
    json_object_set_new(c, "ProviderApplication", json_pack(
        "{s:s, s:[s,s], s:{s:" S ", s:{s:[s,s,s]}, s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", "
        "s:{s:s, s:" S "}, s:{s:[s,s]}, s:{s:[s,s]}, s:" S ", s:" S "}}",
        T("object"), "required", "id", "status", "properties",
        "id", T("string"), "status", "enum", "pending", "approved", "rejected",
        "business_name", T("string"), "uscc", T("string"), "address", T("string"),
        "city", T("string"), "lat", T("number"), "lng", T("number"), "phone", T("string"),
        "service_types", T("array"), "items", T("string"),
        "reason", "type", "string", "null", "provider_id", "type", "string", "null",
        "created_at", T("string"), "applicant_id", T("string")));
    json_object_set_new(c, "ProviderApplications", list_of("ProviderApplication"));
    json_object_set_new(c, "ApplicationDecision", json_pack("{s:s, s:[s,s], s:{s:" S ", s:" S ", s:" S ", s:" S "}}",
        T("object"), "required", "application_id", "status", "properties",
        "application_id", T("string"), "status", T("string"), "provider_id", T("string"),
        "reason", T("string")));
    json_object_set_new(c, "Service", json_pack(
        "{s:s, s:[s,s,s,s,s,s], s:{s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:{s:[s,s]}, s:" S ", s:" S ", s:" S ", s:" S "}}",
        T("object"), "required", "id", "service_type", "price_fen", "labor_fen", "parts_fen", "duration_min",
        "properties", "id", T("string"), "provider_id", T("string"), "service_type", T("string"),
        "category", T("string"), "name", T("string"), "description", "type", "string", "null",
        "labor_fen", T("integer"), "parts_fen", T("integer"), "price_fen", T("integer"),
        "duration_min", T("integer")));
    json_object_set_new(c, "Services", json_pack("{s:s, s:{s:{s:s, s:o}}}", T("object"),
        "properties", "items", T("array"), "items", ref("Service")));
    json_t *hours = json_pack("{s:s, s:{s:s, s:{s:" S ", s:" S ", s:" S "}}}", T("array"), "items",
        T("object"), "properties", "weekday", T("integer"), "open", T("string"), "close", T("string"));
    json_object_set_new(c, "Schedule", json_pack("{s:s, s:{s:" S ", s:" S ", s:" S ", s:O, s:{s:s, s:" S "}}}",
        T("object"), "properties", "timezone", T("string"), "bays", T("integer"),
        "is_open", T("boolean"), "weekly", hours, "closed_dates", T("array"), "items", T("string")));
    json_object_set_new(c, "Provider", json_pack(
        "{s:s, s:[s,s,s,s], s:{s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", "
        "s:" S ", s:" S ", s:o, s:{s:s, s:o}}}",
        T("object"), "required", "id", "name", "rating", "review_count", "properties",
        "id", T("string"), "name", T("string"), "address", T("string"), "city", T("string"),
        "lat", T("number"), "lng", T("number"), "phone", T("string"), "rating", T("number"),
        "review_count", T("integer"), "timezone", T("string"), "bays", T("integer"),
        "opening_hours", hours, "services", T("array"), "items", ref("Service")));
    json_object_set_new(c, "Slots", json_pack("{s:s, s:[s], s:{s:" S ", s:" S ", s:" S ", s:" S ", "
        "s:{s:s, s:{s:s, s:{s:" S ", s:" S "}}}}}",
        T("object"), "required", "slots", "properties", "date", T("string"), "timezone", T("string"),
        "service_id", T("string"), "duration_min", T("integer"),
        "slots", T("array"), "items", T("object"), "properties", "start", T("string"),
        "available", T("integer")));
    json_object_set_new(c, "StaffMember", json_pack("{s:s, s:{s:" S ", s:" S ", s:" S "}}",
        T("object"), "properties", "user_id", T("string"), "name", T("string"), "role", T("string")));
    json_object_set_new(c, "StaffList", json_pack("{s:s, s:{s:{s:s, s:o}}}", T("object"),
        "properties", "items", T("array"), "items", ref("StaffMember")));
    json_object_set_new(c, "NearbyItem", json_pack(
        "{s:s, s:[s,s,s], s:{s:{s:s, s:{s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S ", s:" S "}}, "
        "s:" S ", s:{s:s, s:{s:" S ", s:" S ", s:" S ", s:" S ", s:" S "}}}}",
        T("object"), "required", "provider", "distance_km", "service", "properties",
        "provider", T("object"), "properties", "id", T("string"), "name", T("string"),
        "address", T("string"), "lat", T("number"), "lng", T("number"), "rating", T("number"),
        "review_count", T("integer"), "distance_km", T("number"),
        "service", T("object"), "properties", "id", T("string"), "price_fen", T("integer"),
        "labor_fen", T("integer"), "parts_fen", T("integer"), "duration_min", T("integer")));
    json_object_set_new(c, "NearbyResults", json_pack("{s:s, s:[s], s:{s:{s:s, s:o}, s:" S "}}",
        T("object"), "required", "items", "properties", "items", T("array"), "items",
        ref("NearbyItem"), "total", T("integer")));
    json_object_set_new(c, "Review", json_pack(
        "{s:s, s:[s,s], s:{s:" S ", s:" S ", s:" S ", s:" S ", s:{s:[s,s]}, s:{s:[s,s]}, s:" S ", s:" S "}}",
        T("object"), "required", "id", "rating", "properties", "id", T("string"),
        "order_id", T("string"), "provider_id", T("string"), "rating", T("integer"),
        "comment", "type", "string", "null", "reply", "type", "string", "null",
        "author_name", T("string"), "created_at", T("string")));
    json_t *reviews = list_of("Review");
    json_object_set_new(json_object_get(reviews, "properties"), "rating", json_pack(S, T("number")));
    json_object_set_new(json_object_get(reviews, "properties"), "review_count", json_pack(S, T("integer")));
    json_object_set_new(c, "Reviews", reviews);
    json_decref(hours);
}
