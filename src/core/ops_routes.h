#ifndef PS_OPS_ROUTES_H
#define PS_OPS_ROUTES_H

/* Register /healthz, /readyz, /metrics and /api/openapi.json. */
int ps_ops_routes_register(void);
/* Build the OpenAPI document once every module has registered its routes. */
int ps_ops_openapi_freeze(void);

#endif
