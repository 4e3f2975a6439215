/* OpenAPI component schemas of the vehicles module's answers (named by .response in the
 * route table). Written as one JSON text: easier to read and diff than json_pack calls. */
#include <jansson.h>

#include "core/log.h"
#include "vehicles/vehicles_internal.h"

#define STR "{\"type\":\"string\"}"
#define STR_N "{\"type\":[\"string\",\"null\"]}"
#define INT "{\"type\":\"integer\"}"
#define INT_N "{\"type\":[\"integer\",\"null\"]}"
#define NUM_N "{\"type\":[\"number\",\"null\"]}"
#define BOOL "{\"type\":\"boolean\"}"
#define TIME "{\"type\":\"string\",\"format\":\"date-time\"}"
#define TIME_N "{\"type\":[\"string\",\"null\"],\"format\":\"date-time\"}"
#define DATE "{\"type\":\"string\",\"format\":\"date\"}"
#define DATE_N "{\"type\":[\"string\",\"null\"],\"format\":\"date\"}"
#define LIST(item) \
    "{\"type\":\"object\",\"required\":[\"items\",\"next_cursor\"],\"properties\":{" \
    "\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/" item "\"}}," \
    "\"next_cursor\":" STR_N "}}"

static const char schemas_json[] = "{"
    "\"VinDecoded\":{\"type\":\"object\",\"required\":[\"vin\",\"check_digit_valid\",\"wmi\","
    "\"manufacturer\",\"country\",\"model_year\",\"plant_code\",\"serial\"],\"properties\":{"
    "\"vin\":" STR ",\"check_digit_valid\":" BOOL ",\"wmi\":" STR ",\"manufacturer\":" STR_N ","
    "\"make\":" STR_N ",\"country\":" STR_N ",\"model_year\":" INT_N ",\"plant_code\":" STR ","
    "\"serial\":" STR "}},"

    "\"Vehicle\":{\"type\":\"object\",\"required\":[\"id\",\"vin\",\"fuel_type\",\"usage\",\"odometer_km\"],"
    "\"properties\":{\"id\":" STR ",\"vin\":" STR ",\"plate\":" STR_N ",\"nickname\":" STR_N ","
    "\"make\":" STR_N ",\"model\":" STR_N ",\"wmi\":" STR ",\"manufacturer\":" STR_N ","
    "\"country\":" STR_N ",\"model_year\":" INT_N ",\"plant_code\":" STR ",\"serial\":" STR ","
    "\"check_digit_valid\":" BOOL ","
    "\"fuel_type\":{\"type\":\"string\",\"enum\":[\"gasoline\",\"diesel\",\"hybrid\",\"phev\",\"bev\"]},"
    "\"seats\":" INT_N ",\"usage\":{\"type\":\"string\",\"enum\":[\"private\",\"commercial\"]},"
    "\"registration_date\":" DATE_N ",\"insurance_expiry\":" DATE_N ",\"odometer_km\":" INT ","
    "\"odometer_updated_at\":" TIME_N ","
    "\"state\":{\"type\":\"object\",\"description\":\"latest telemetry\",\"properties\":{"
    "\"fuel_level_pct\":" NUM_N ",\"battery_soc_pct\":" NUM_N ",\"battery_soh_pct\":" NUM_N ","
    "\"coolant_temp_c\":" NUM_N ",\"voltage\":" NUM_N ",\"updated_at\":" TIME_N "}},"
    "\"created_at\":" TIME ",\"updated_at\":" TIME "}},"
    "\"VehicleList\":" LIST("Vehicle") ","

    "\"OdometerReading\":{\"type\":\"object\",\"required\":[\"km\",\"recorded_at\",\"source\"],"
    "\"properties\":{\"id\":" STR ",\"km\":" INT ",\"recorded_at\":" TIME ","
    "\"source\":{\"type\":\"string\",\"enum\":[\"owner\",\"telemetry\",\"service\"]}}},"
    "\"OdometerList\":" LIST("OdometerReading") ","

    "\"FuelLog\":{\"type\":\"object\",\"required\":[\"id\",\"liters\",\"price_fen\",\"odometer_km\","
    "\"full_tank\",\"l_per_100km\"],\"properties\":{\"id\":" STR ",\"liters\":{\"type\":\"number\"},"
    "\"price_fen\":" INT ",\"odometer_km\":" INT ",\"full_tank\":" BOOL ","
    "\"l_per_100km\":{\"type\":[\"number\",\"null\"],\"description\":\"set on an entry that closes a full-tank interval\"},"
    "\"logged_at\":" TIME ",\"created_at\":" TIME "}},"
    "\"FuelLogList\":" LIST("FuelLog") ","

    "\"ChargeLog\":{\"type\":\"object\",\"required\":[\"id\",\"kwh\",\"price_fen\",\"odometer_km\","
    "\"kwh_per_100km\"],\"properties\":{\"id\":" STR ",\"kwh\":{\"type\":\"number\"},"
    "\"price_fen\":" INT ",\"odometer_km\":" INT ","
    "\"kwh_per_100km\":{\"type\":[\"number\",\"null\"],\"description\":\"energy of this charge over the distance since the previous one\"},"
    "\"logged_at\":" TIME ",\"created_at\":" TIME "}},"
    "\"ChargeLogList\":" LIST("ChargeLog") ","

    "\"ServiceRecord\":{\"type\":\"object\",\"required\":[\"id\",\"source\",\"title\",\"date\"],"
    "\"properties\":{\"id\":" STR ",\"source\":{\"type\":\"string\",\"enum\":[\"owner\",\"order\"]},"
    "\"service_type\":" STR_N ",\"title\":" STR ",\"date\":" DATE ",\"odometer_km\":" INT_N ","
    "\"cost_fen\":" INT_N ",\"provider_id\":" STR_N ",\"provider_name\":" STR_N ","
    "\"order_id\":" STR_N ",\"leaf_index\":" INT_N ",\"notes\":" STR_N ","
    "\"verified\":{\"type\":\"boolean\",\"description\":\"an order's record in the transparency log\"},"
    "\"created_at\":" TIME "}},"
    "\"ServiceRecordList\":" LIST("ServiceRecord") ","

    "\"VehicleAlert\":{\"type\":\"object\",\"required\":[\"id\",\"kind\",\"title\",\"created_at\"],"
    "\"properties\":{\"id\":" STR ",\"kind\":{\"type\":\"string\",\"enum\":[\"odometer_rollback\","
    "\"dtc\",\"battery_soh_low\"]},\"title\":" STR ",\"detail\":{\"type\":\"object\"},"
    "\"created_at\":" TIME "}},"
    "\"VehicleAlertList\":" LIST("VehicleAlert") ","

    "\"Reminder\":{\"type\":\"object\",\"required\":[\"kind\",\"title\",\"status\"],\"properties\":{"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"maintenance\",\"inspection\",\"insurance\"]},"
    "\"service_type\":" STR_N ",\"title\":" STR ",\"title_zh\":" STR_N ",\"due_date\":" DATE_N ","
    "\"due_km\":" INT_N ",\"status\":{\"type\":\"string\",\"enum\":[\"ok\",\"due_soon\",\"overdue\"]}}},"
    "\"ReminderList\":{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":"
    "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Reminder\"}}}},"

    "\"Inspection\":{\"type\":\"object\",\"required\":[\"next_due_date\",\"kind\",\"window_start\"],"
    "\"properties\":{\"next_due_date\":" DATE ",\"kind\":{\"type\":\"string\",\"enum\":[\"sticker\",\"on_site\"]},"
    "\"window_start\":" DATE ",\"in_window\":" BOOL ","
    "\"rule\":{\"type\":\"string\",\"enum\":[\"private_small\",\"private_large\",\"commercial\"]},"
    "\"months_since_registration\":" INT "}},"

    "\"HealthReport\":{\"type\":\"object\",\"required\":[\"score\",\"findings\"],\"properties\":{"
    "\"score\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100},"
    "\"findings\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"severity\",\"title\","
    "\"recommended_service_type\"],\"properties\":{\"severity\":{\"type\":\"string\",\"enum\":[\"low\","
    "\"medium\",\"high\"]},\"title\":" STR ",\"recommended_service_type\":{\"type\":[\"object\",\"null\"],"
    "\"properties\":{\"code\":" STR ",\"name_zh\":" STR ",\"name_en\":" STR "}}}}}}},"

    "\"DeviceToken\":{\"type\":\"object\",\"required\":[\"device_id\",\"token\"],\"properties\":{"
    "\"device_id\":" STR ",\"token\":{\"type\":\"string\",\"description\":\"shown once; send as Authorization: Device <token>\"},"
    "\"vehicle_id\":" STR ",\"name\":" STR_N ",\"authorization\":" STR "}},"
    "\"Device\":{\"type\":\"object\",\"required\":[\"device_id\"],\"properties\":{\"device_id\":" STR ","
    "\"name\":" STR_N ",\"created_at\":" TIME ",\"last_seen_at\":" TIME_N ",\"revoked\":" BOOL "}},"
    "\"DeviceList\":" LIST("Device") ","
    "\"TelemetryAccepted\":{\"type\":\"object\",\"required\":[\"accepted\"],\"properties\":{"
    "\"accepted\":" INT "}}"
    "}";

void vehicles_schemas(json_t *schemas)
{
    json_error_t err;
    json_t *all = json_loads(schemas_json, 0, &err);
    if (!all) {
        ps_log_error("vehicles schemas: %s at %d", err.text, err.position);
        return;
    }
    json_object_update(schemas, all);
    json_decref(all);
}
