/* The search module: full-text search over providers and services with a CJK tokenizer. */
#include "core/module.h"

const struct ps_module ps_module_search = {
    .name = "search",
};
