/* Consumption between fills (the full-to-full method) and between charges. */
#include "vehicles/consumption.h"

#include <math.h>

static double round2(double v) { return round(v * 100.0) / 100.0; }

bool fuel_l_per_100km(const struct fuel_fill *fills, size_t n, double *out)
{
    if (n < 2 || !fills[0].full_tank || !fills[n - 1].full_tank)
        return false;
    int64_t distance = fills[n - 1].odometer_km - fills[0].odometer_km;
    if (distance <= 0)
        return false;
    double liters = 0;
    for (size_t i = 1; i < n; i++)
        liters += fills[i].liters;
    *out = round2(liters * 100.0 / (double)distance);
    return true;
}

bool charge_kwh_per_100km(int64_t prev_odometer_km, double kwh, int64_t odometer_km, double *out)
{
    int64_t distance = odometer_km - prev_odometer_km;
    if (distance <= 0)
        return false;
    *out = round2(kwh * 100.0 / (double)distance);
    return true;
}
