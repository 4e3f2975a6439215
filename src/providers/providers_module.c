/* The providers module: onboarding, catalog and prices, schedules and slots, nearby search,
 * reviews, and the demo seed. */
#include "core/module.h"

const struct ps_module ps_module_providers = {
    .name = "providers",
};
