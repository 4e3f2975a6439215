/* Great-circle geometry for nearby search: haversine distance and the latitude/longitude box
 * that encloses a circle (what the spatial index is asked for). Pure, no I/O. */
#ifndef PS_PROVIDERS_GEO_H
#define PS_PROVIDERS_GEO_H

#include <stdbool.h>

#define PROVIDERS_EARTH_RADIUS_KM 6371.0088   /* IUGG mean radius */

/* Distance in kilometres between two points given in degrees. */
double providers_haversine_km(double lat1, double lng1, double lat2, double lng2);

struct providers_bbox { double min_lat, max_lat, min_lng, max_lng; };
/* A box that contains every point within radius_km of (lat, lng). Near the poles, or when the
 * circle crosses the antimeridian, the longitude range is widened to the whole globe. */
void providers_bbox_around(double lat, double lng, double radius_km, struct providers_bbox *out);
/* Latitude in [-90, 90] and longitude in [-180, 180], both finite. */
bool providers_coords_valid(double lat, double lng);
/* Inside the rough box of mainland China, Hong Kong, Macau and Taiwan (lat 3.8-53.6,
 * lng 73.4-135.1): where the platform's shops are. */
bool providers_coords_in_china(double lat, double lng);

#endif
