/* Commission rates per service type from the platform catalog (src/providers/service_types.tsv,
 * embedded into this module): the fallback when the database has no service_types table. */
#ifndef PS_LEDGER_RATES_H
#define PS_LEDGER_RATES_H

#include <stdbool.h>

/* The catalog's commission_bps for code; false when the code is not in the catalog. */
bool ledger_catalog_rate(const char *code, int *bps);

#endif
