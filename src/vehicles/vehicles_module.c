/* The vehicles module's descriptor (routes, schemas and start-up come in as they land). */
#include "core/module.h"

const struct ps_module ps_module_vehicles = {
    .name = "vehicles",
};
