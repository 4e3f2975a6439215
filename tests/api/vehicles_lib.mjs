// Helpers for the vehicles and telemetry API tests: VINs with correct check digits, dates in
// China time, and a vehicle made for a new owner.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { api } from './lib.mjs';

const VALUES = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export function checkDigit(vin) {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    if (i === 8) continue;
    const c = vin[i];
    sum += (c >= '0' && c <= '9' ? Number(c) : VALUES[c]) * WEIGHTS[i];
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export function withCheckDigit(vin) {
  return vin.slice(0, 8) + checkDigit(vin) + vin.slice(9);
}

// A fresh valid VIN: wmi + 5 VDS characters + check digit + year code + plant + 6-digit serial.
export function newVin(wmi = 'LSV', year = 'N') {
  const serial = String(randomInt(0, 1e6)).padStart(6, '0');
  const vds = 'AB' + String(randomInt(100, 999));
  return withCheckDigit(`${wmi}${vds}0${year}${'A'}${serial}`);
}

// A VIN whose check digit is wrong.
export function badVin() {
  const v = newVin();
  const wrong = v[8] === '1' ? '2' : '1';
  return v.slice(0, 8) + wrong + v.slice(9);
}

// Today's date in China (UTC+8) as {y, m, d}, and date arithmetic matching the server's.
export function chinaToday() {
  const t = new Date(Date.now() + 8 * 3600 * 1000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
function daysIn(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
export function addMonths({ y, m, d }, months) {
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12), nm = (total % 12) + 1;
  return { y: ny, m: nm, d: Math.min(d, daysIn(ny, nm)) };
}
export function addDays(date, days) {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d) + days * 86400000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
export function endOfMonth({ y, m }) { return { y, m, d: daysIn(y, m) }; }
export function fmt({ y, m, d }) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Create a vehicle for owner; fields override the defaults. Returns the vehicle.
export async function addVehicle(owner, fields = {}) {
  const body = { vin: newVin(), odometer_km: 1000, fuel_type: 'gasoline', usage: 'private', ...fields };
  const res = await api('POST', '/api/v1/vehicles', { token: owner.token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}
