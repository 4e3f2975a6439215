/* The WMI table: who built a vehicle and in which country, from VIN positions 1-3.
 * Data, not code: src/vehicles/data/wmi.tsv and wmi_regions.tsv are embedded in the binary
 * and parsed once (thread-safe) on first use. */
#ifndef VEHICLES_WMI_H
#define VEHICLES_WMI_H

struct wmi_entry {
    char wmi[4];
    const char *manufacturer;
    const char *make;
    const char *country;
};

/* Parse the embedded tables (idempotent). 0, or PS_E_INTERNAL when a row is malformed. */
int wmi_init(void);
/* The entry for the VIN's first three characters, NULL when unknown. Borrowed, static. */
const struct wmi_entry *wmi_lookup(const char *vin);
/* Country from the first two characters (ISO 3780 ranges), NULL when unassigned. */
const char *wmi_region_country(const char *vin);
/* Number of WMI rows loaded. */
int wmi_count(void);

#endif
