/* Fuel and energy consumption from the owner's logs. Pure arithmetic, no SQL. */
#ifndef VEHICLES_CONSUMPTION_H
#define VEHICLES_CONSUMPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fuel_fill { int64_t odometer_km; double liters; bool full_tank; };

/* Litres per 100 km over a full-tank interval: fills[0] is the previous full tank,
 * fills[n-1] the full tank that closes the interval, anything between are partial fills.
 * The fuel burnt is every litre put in after fills[0] (partials and the closing fill).
 * false when the interval is not closed (fewer than 2 entries, either end not full) or the
 * distance is not positive. The result is rounded to 2 decimals. */
bool fuel_l_per_100km(const struct fuel_fill *fills, size_t n, double *out);
/* kWh per 100 km for a charge: the energy put in replaces what was used since the previous
 * charge, so kwh / (odometer_km - prev_odometer_km) * 100. false when the distance is not
 * positive. Rounded to 2 decimals. */
bool charge_kwh_per_100km(int64_t prev_odometer_km, double kwh, int64_t odometer_km, double *out);

#endif
