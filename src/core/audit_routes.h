#ifndef PS_AUDIT_ROUTES_H
#define PS_AUDIT_ROUTES_H

#include <jansson.h>

/* Register GET /api/v1/admin/audit-log (operators only). */
int ps_audit_routes_register(void);
/* Its OpenAPI schema. */
void ps_audit_schemas(json_t *schemas);

#endif
