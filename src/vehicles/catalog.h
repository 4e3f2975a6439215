/* The platform's service-type catalog (src/providers/service_types.tsv, owned by providers),
 * embedded read-only so that reminders and findings only ever name real service types. */
#ifndef VEHICLES_CATALOG_H
#define VEHICLES_CATALOG_H

#include <stdbool.h>

/* Codes this module names itself (checked against the catalog by the unit tests). */
#define SERVICE_INSPECTION "inspection_agent"    /* 年检代办: the annual inspection */
#define SERVICE_DIAGNOSIS  "diagnosis"           /* trouble codes */
#define SERVICE_EV_BATTERY "ev_battery_check"    /* traction battery health */

/* Parse once (thread-safe). 0 or PS_E_INTERNAL. */
int catalog_init(void);
bool catalog_known(const char *code);
/* English / Chinese names; NULL for unknown codes. Static storage. */
const char *catalog_name_en(const char *code);
const char *catalog_name_zh(const char *code);

#endif
