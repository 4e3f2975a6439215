/* Shared between the diagnosis module's own files; not for other modules. */
#ifndef DIAG_INTERNAL_H
#define DIAG_INTERNAL_H

#include <jansson.h>

#include "core/module.h"
#include "core/router.h"
#include "diagnosis/rules.h"

extern const struct ps_command diagnosis_commands[];
extern const struct ps_route diagnosis_routes[];

/* The rule base built from the embedded data files, loaded once (thread-safe). NULL when
 * the data is broken, which diagnosis_init() reports at start-up. */
const struct diag_rules *diagnosis_rules(void);

/* Route handlers (registered in diagnosis_module.c). */
int diagnosis_dtc_get(struct ps_req *r);
int diagnosis_create(struct ps_req *r);
extern const struct ps_param diagnosis_create_params[];

/* OpenAPI component schemas: DtcCode, Diagnosis. */
void diagnosis_schemas(json_t *components);

#endif
