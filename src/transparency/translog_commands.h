/* `pitstop verify-log` and the demo-data command `pitstop transparency-demo N`. */
#ifndef PS_TRANSPARENCY_COMMANDS_H
#define PS_TRANSPARENCY_COMMANDS_H

#include "core/module.h"

extern const struct ps_command translog_commands[];

#endif
