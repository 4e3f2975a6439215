// POST /api/v1/diagnoses: ranked causes from Chinese or English symptoms, trouble codes and the
// caller's vehicle (age, mileage, fuel type), from the rule base in src/diagnosis/data/rules.tsv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { api, assertProblem, newOwner } from './lib.mjs';
import { addVehicle } from './vehicles_lib.mjs';

const HAVE_CODES = existsSync('/usr/share/scantool/codes.dat');
const URGENCY = ['low', 'medium', 'high', 'stop_driving'];

let owner;
async function me() {
  if (!owner) owner = await newOwner();
  return owner;
}

async function diagnose(body, token) {
  return api('POST', '/api/v1/diagnoses', { token: token ?? (await me()).token, body });
}

function checkShape(body) {
  assert.ok(Array.isArray(body.causes) && body.causes.length > 0, JSON.stringify(body));
  let last = Infinity;
  let sum = 0;
  for (const c of body.causes) {
    assert.equal(typeof c.title, 'string');
    assert.ok(c.title.length > 0);
    assert.equal(typeof c.explanation, 'string');
    assert.ok(c.likelihood > 0 && c.likelihood <= 1, `likelihood ${c.likelihood}`);
    assert.ok(c.likelihood <= last, 'ranked best first');
    last = c.likelihood;
    sum += c.likelihood;
    assert.ok(URGENCY.includes(c.urgency), c.urgency);
    const st = c.recommended_service_type;
    assert.match(st.code, /^[a-z_]+$/);
    assert.ok(st.name_zh && st.name_en);
  }
  assert.ok(sum <= 1.0001, `likelihoods sum to ${sum}`);
}

test('Chinese: 刹车有异响 -> brake pads first, in Chinese, with the matched words', async () => {
  const res = await diagnose({ symptoms: '刹车有异响' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  checkShape(res.body);
  assert.equal(res.body.language, 'zh');
  const top = res.body.causes[0];
  assert.equal(top.cause, 'brake_pads_worn');
  assert.equal(top.recommended_service_type.code, 'brake_pads');
  assert.equal(top.recommended_service_type.name_zh, '刹车片更换');
  assert.match(top.title, /刹车片/);
  assert.match(top.explanation, /刹车/);
  assert.match(top.explanation, /异响/);
});

test('Chinese: 方向盘抖动 and 发动机故障灯亮', async () => {
  let res = await diagnose({ symptoms: '方向盘抖动' });
  assert.equal(res.status, 200);
  assert.equal(res.body.causes[0].cause, 'wheel_imbalance');
  assert.equal(res.body.causes[0].recommended_service_type.code, 'wheel_balance');
  res = await diagnose({ symptoms: '发动机故障灯亮' });
  assert.equal(res.body.causes[0].cause, 'check_engine_general');
  assert.equal(res.body.causes[0].recommended_service_type.code, 'diagnosis');
  // full-width characters and punctuation are normalised
  res = await diagnose({ symptoms: '刹车时，方向盘抖动！' });
  assert.equal(res.body.causes[0].cause, 'brake_discs_warped');
});

test('English with stemming: "car pulls to the left"', async () => {
  const res = await diagnose({ symptoms: 'car pulls to the left' });
  assert.equal(res.status, 200);
  checkShape(res.body);
  assert.equal(res.body.language, 'en');
  const top = res.body.causes[0];
  assert.equal(top.cause, 'wheel_misalignment');
  assert.equal(top.recommended_service_type.code, 'wheel_alignment');
  assert.match(top.title, /alignment/i);
  const res2 = await diagnose({ symptoms: 'Steering wheel VIBRATES at highway speeds' });
  assert.equal(res2.body.causes[0].cause, 'wheel_imbalance');
});

test('trouble codes alone, with their texts when imported', async () => {
  const res = await diagnose({ dtcs: ['p0301'] });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  checkShape(res.body);
  assert.equal(res.body.causes[0].cause, 'spark_plugs_worn');
  assert.match(res.body.causes[0].explanation, /P0301/);
  assert.equal(res.body.dtcs.length, 1);
  assert.equal(res.body.dtcs[0].code, 'P0301');
  assert.equal(res.body.dtcs[0].system, 'powertrain');
  if (HAVE_CODES) assert.equal(res.body.dtcs[0].description, 'Cylinder 1 Misfire Detected');

  const cat = await diagnose({ dtcs: ['P0420'], symptoms: 'rotten egg smell' });
  assert.equal(cat.body.causes[0].cause, 'catalytic_converter');
  assert.equal(cat.body.causes[0].recommended_service_type.code, 'exhaust_repair');
});

test('codes typed into the text count too', async () => {
  const res = await diagnose({ symptoms: '读码显示 P0171' });
  assert.equal(res.status, 200);
  assert.equal(res.body.causes[0].cause, 'lean_mixture');
  assert.equal(res.body.dtcs[0].code, 'P0171');
  // codes alone do not make the answer English; Accept-Language decides, Chinese by default
  const zh = await diagnose({ symptoms: 'P0171' });
  assert.equal(zh.body.language, 'zh');
  const en = await api('POST', '/api/v1/diagnoses', {
    token: (await me()).token, body: { dtcs: ['P0171'] }, headers: { 'accept-language': 'en-GB,en;q=0.9' },
  });
  assert.equal(en.body.language, 'en');
  assert.match(en.body.causes[0].title, /lean/i);
});

test('the vehicle: an EV gets no oil change or spark plugs; a petrol car does', async () => {
  const o = await me();
  const ev = await addVehicle(o, { fuel_type: 'bev', odometer_km: 30000 });
  const petrol = await addVehicle(o, { fuel_type: 'gasoline', odometer_km: 95000 });
  const text = '保养灯亮了，该换机油，怠速抖动';
  const a = await diagnose({ vehicle_id: petrol.id, symptoms: text });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const pc = a.body.causes.map((c) => c.cause);
  assert.ok(pc.includes('oil_service_due'), pc.join());
  assert.ok(pc.includes('spark_plugs_worn'), pc.join());
  assert.equal(a.body.vehicle.id, petrol.id);
  assert.equal(a.body.vehicle.odometer_km, 95000);
  assert.match(a.body.causes.find((c) => c.cause === 'spark_plugs_worn').explanation, /95000/);

  const b = await diagnose({ vehicle_id: ev.id, symptoms: text });
  assert.equal(b.status, 200);
  const ec = b.body.causes.map((c) => c.cause);
  assert.ok(!ec.includes('oil_service_due'), ec.join());
  assert.ok(!ec.includes('spark_plugs_worn'), ec.join());

  const range = await diagnose({ vehicle_id: ev.id, symptoms: '续航下降得厉害' });
  assert.equal(range.body.causes[0].cause, 'ev_battery_degradation');
  assert.equal(range.body.causes[0].recommended_service_type.code, 'ev_battery_check');
});

test("someone else's vehicle, or a removed one, is 404", async () => {
  const other = await newOwner();
  const theirs = await addVehicle(other);
  const res = await diagnose({ vehicle_id: theirs.id, symptoms: '刹车有异响' });
  assertProblem(res, 404);
  const mine = await addVehicle(await me());
  const del = await api('DELETE', `/api/v1/vehicles/${mine.id}`, { token: (await me()).token });
  assert.ok(del.status === 204 || del.status === 200, `delete: ${del.status}`);
  assertProblem(await diagnose({ vehicle_id: mine.id, symptoms: '刹车有异响' }), 404);
});

test('bad input: 422 naming the field', async () => {
  assertProblem(await diagnose({ dtcs: ['P03'] }), 422, 'dtcs[0]');
  assertProblem(await diagnose({ dtcs: ['P0301', 'Q1234'], symptoms: 'noise' }), 422, 'dtcs[1]');
  assertProblem(await diagnose({ dtcs: 'P0301' }), 422, 'dtcs');
  assertProblem(await diagnose({ dtcs: Array(21).fill('P0301') }), 422, 'dtcs');
  assertProblem(await diagnose({ symptoms: 42 }), 422, 'symptoms');
  assertProblem(await diagnose({ symptoms: 'x'.repeat(1001) }), 422, 'symptoms');
  assertProblem(await diagnose({ symptoms: 'noise', colour: 'red' }), 422, 'colour');
  assertProblem(await diagnose({ vehicle_id: 42, symptoms: 'noise' }), 422, 'vehicle_id');
  assertProblem(await diagnose({ vehicle_id: '', symptoms: 'noise' }), 422, 'vehicle_id');
  // ids are opaque: one that names no vehicle of the caller is simply not found
  assertProblem(await diagnose({ vehicle_id: 'not-an-id', symptoms: 'noise' }), 404);
});

test('empty input: 422 asking for symptoms or codes', async () => {
  assertProblem(await diagnose({}), 422, 'symptoms');
  assertProblem(await diagnose({ symptoms: '   ', dtcs: [] }), 422, 'dtcs');
  assertProblem(await diagnose({ symptoms: null }), 422, 'symptoms');
});

test('nothing recognised: a general check, not an error', async () => {
  const res = await diagnose({ symptoms: 'hello there' });
  assert.equal(res.status, 200);
  assert.equal(res.body.causes.length, 1);
  assert.equal(res.body.causes[0].cause, 'general_inspection');
});

test('needs a token', async () => {
  const res = await api('POST', '/api/v1/diagnoses', { body: { symptoms: '刹车有异响' } });
  assertProblem(res, 401);
});
