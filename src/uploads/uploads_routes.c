/* The uploads module's routes (being built). */
#include "core/module.h"

const struct ps_module ps_module_uploads = {
    .name = "uploads",
};
