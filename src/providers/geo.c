/* Haversine distance and bounding boxes (see geo.h). */
#include "providers/geo.h"

#include <math.h>

#define DEG2RAD (M_PI / 180.0)
/* Length of one degree of latitude on the mean sphere, in km. */
#define KM_PER_DEG_LAT (PROVIDERS_EARTH_RADIUS_KM * DEG2RAD)

double providers_haversine_km(double lat1, double lng1, double lat2, double lng2)
{
    double p1 = lat1 * DEG2RAD, p2 = lat2 * DEG2RAD;
    double dp = (lat2 - lat1) * DEG2RAD, dl = (lng2 - lng1) * DEG2RAD;
    double s1 = sin(dp / 2), s2 = sin(dl / 2);
    double a = s1 * s1 + cos(p1) * cos(p2) * s2 * s2;
    if (a > 1.0)
        a = 1.0;          /* rounding near antipodes */
    return 2.0 * PROVIDERS_EARTH_RADIUS_KM * asin(sqrt(a));
}

void providers_bbox_around(double lat, double lng, double radius_km, struct providers_bbox *out)
{
    double dlat = radius_km / KM_PER_DEG_LAT;
    out->min_lat = lat - dlat;
    out->max_lat = lat + dlat;
    /* The widest longitude span of the circle is at the latitude nearest the pole. */
    double far_lat = fabs(lat) + dlat;
    if (far_lat >= 89.9 || out->min_lat < -90.0 || out->max_lat > 90.0) {
        out->min_lng = -180.0;
        out->max_lng = 180.0;
    } else {
        double dlng = dlat / cos(far_lat * DEG2RAD);
        out->min_lng = lng - dlng;
        out->max_lng = lng + dlng;
        if (out->min_lng < -180.0 || out->max_lng > 180.0) {
            out->min_lng = -180.0;
            out->max_lng = 180.0;
        }
    }
    if (out->min_lat < -90.0)
        out->min_lat = -90.0;
    if (out->max_lat > 90.0)
        out->max_lat = 90.0;
}

bool providers_coords_valid(double lat, double lng)
{
    return isfinite(lat) && isfinite(lng) && lat >= -90.0 && lat <= 90.0 && lng >= -180.0 &&
           lng <= 180.0;
}

bool providers_coords_in_china(double lat, double lng)
{
    return providers_coords_valid(lat, lng) && lat >= 3.8 && lat <= 53.6 && lng >= 73.4 &&
           lng <= 135.1;
}
