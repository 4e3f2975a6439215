// Data for bench/orders.lua: approved providers with 50 bays open all day, owners with cars,
// and one line per (owner, provider, slot) booking: "Bearer <token>\t<JSON body>".
//   PITSTOP_URL=http://127.0.0.1:8080 PITSTOP_TEST_OPERATOR_LOGIN=... PITSTOP_TEST_OPERATOR_PASSWORD=... \
//     node bench/orders_setup.mjs --providers 20 --owners 200 --days 7 --out /tmp/orders.lines
// Capacity = providers x 48 slots a day x days x 50 bays (20 x 48 x 7 x 50 = 336,000 orders).
import { writeFileSync } from 'node:fs';
import { newOwner } from '../tests/api/lib.mjs';
import { newProvider, newVehicle, slotAt } from '../tests/api/orders_fixtures.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const P = Number(arg('providers', 20));
const O = Number(arg('owners', 200));
const DAYS = Number(arg('days', 7));
const out = arg('out', 'orders.lines');

const providers = [];
for (let i = 0; i < P; i++) providers.push(await newProvider({ bays: 50, duration_min: 30, lat: 31.2 + i * 0.001 }));
const owners = [];
for (let i = 0; i < O; i += 10) {
  owners.push(...await Promise.all([...Array(Math.min(10, O - i))].map(async () => {
    const o = await newOwner();
    return { o, v: await newVehicle(o) };
  })));
}
const lines = [];
let k = 0;
for (let d = 2; d < 2 + DAYS; d++) {
  for (let half = 0; half < 48; half++) {
    for (const p of providers) {
      const { o, v } = owners[k++ % owners.length];
      const slot = slotAt(d, Math.floor(half / 2), (half % 2) * 30);
      lines.push(`Bearer ${o.token}\t${JSON.stringify({ vehicle_id: v.id, provider_id: p.providerId, service_id: p.serviceId, slot_start: slot })}`);
    }
  }
}
// Interleave so consecutive requests hit different providers and slots.
writeFileSync(out, lines.join('\n') + '\n');
console.log(`${lines.length} bookings (${lines.length * 50} orders of capacity) in ${out}`);
