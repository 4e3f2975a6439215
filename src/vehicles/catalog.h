/* The platform's service-type catalog (src/providers/service_types.tsv, owned by providers),
 * embedded read-only so that reminders and findings only ever name real service types. */
#ifndef VEHICLES_CATALOG_H
#define VEHICLES_CATALOG_H

#include <stdbool.h>

/* Parse once (thread-safe). 0 or PS_E_INTERNAL. */
int catalog_init(void);
bool catalog_known(const char *code);
/* English / Chinese names; NULL for unknown codes. Static storage. */
const char *catalog_name_en(const char *code);
const char *catalog_name_zh(const char *code);

#endif
