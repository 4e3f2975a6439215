-- OBD-II trouble codes, imported from Debian scantool's codes.dat by `pitstop import-dtc`
-- (src/diagnosis/import.c). Reference data: the import upserts, so running it again changes
-- nothing, and a newer codes.dat updates texts in place.

-- One row per code. description is the SAE generic text, NULL when the file only has
-- manufacturer texts for the code.
CREATE TABLE dtc_codes (
    code        TEXT PRIMARY KEY,          -- normalised: P0301, C0035, B0001, U0100
    system      TEXT NOT NULL CHECK (system IN ('powertrain', 'chassis', 'body', 'network')),
    description TEXT
);

-- Manufacturer-specific meanings of a code. seq numbers the texts one manufacturer gives
-- for the same code (the file has a few such pairs), in file order.
CREATE TABLE dtc_variants (
    code         TEXT NOT NULL REFERENCES dtc_codes (code),
    manufacturer TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (code, manufacturer, seq)
);
