-- The capacity check reads every live booking of a provider near a start time. With all the
-- columns it reads in the index, that is an index-only range scan: no table look-up per
-- booking (the busiest part of order placement under load, see docs/PERFORMANCE.md).
CREATE INDEX slot_bookings_live ON slot_bookings (provider_id, start_ms, end_ms, released, hold_until, booking_id);
DROP INDEX slot_bookings_provider;
