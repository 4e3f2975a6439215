// Benchmark data for bench/run.sh: providers through the CLI seed, owners and vehicles in bulk
// through the database's own CLI, a few dozen owners logged in through the API, and per
// scenario the request list wrk replays plus one real answer (the size of nginx's reference).
//
//   PITSTOP_URL=http://127.0.0.1:8080 PITSTOP_DATABASE_URL=sqlite:/tmp/b.db \
//     node bench/gen.mjs --providers 10000 --owners 100000 --out /tmp/bench-data
//
// Writes into --out, per scenario:
//   <scenario>.sample   one real answer body
//   <scenario>.paths    GET paths, one a line                       (nearby, provider, search)
//   <scenario>.lines    "PATH<TAB>Authorization<TAB>JSON body"       (login, orders, telemetry)
// A scenario whose endpoint fails is reported and left out (no .sample), so run.sh skips it.
// --seed N changes the (otherwise fixed) choice of points, terms, shops and logins.
// Node 18+, standard library only.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = parseArgs(process.argv.slice(2));
const PROVIDERS = Number(args.providers ?? 2000);
const OWNERS = Number(args.owners ?? 5000);
const OUT = args.out ?? 'bench-data';
const BASE = process.env.PITSTOP_URL ?? 'http://127.0.0.1:8080';
const DB_URL = process.env.PITSTOP_DATABASE_URL ?? 'sqlite:./data/pitstop.db';
const BIN = process.env.PITSTOP_BIN ?? 'build-release/pitstop';
const IS_PG = DB_URL.startsWith('postgres');
const PASSWORD = 'benchpass2024';
const EMAIL_DOMAIN = 'bench.example.com';

// How much to generate, scaled to the run: enough distinct requests that wrk does not replay
// the same few (the nearby cache would then answer everything) and, for orders, enough free
// bays that the run measures placements rather than 409s.
const SESSIONS = Number(args.sessions ?? (OWNERS >= 50000 ? 64 : 16));
const NEARBY_POINTS = Number(args['nearby-points'] ?? (PROVIDERS >= 10000 ? 200000 : 50000));
const ORDER_SLOTS = Number(args['order-slots'] ?? (PROVIDERS >= 10000 ? 160000 : 40000));
const TELEMETRY_BATCH = 500;

const CITY_CENTRES = [
  [31.2304, 121.4737], [39.9042, 116.4074], [23.1291, 113.2644], [22.5431, 114.0579],
  [30.2741, 120.1551], [30.5728, 104.0668], [30.5928, 114.3055], [32.0603, 118.7969],
  [34.3416, 108.9398], [29.5630, 106.5516],
];
const NEARBY_SERVICE_TYPES = ['oil_change', 'car_wash', 'minor_service', 'brake_pads', 'tire_rotation',
  'wheel_alignment', 'battery_replacement', 'ac_service'];
const SEARCH_TERMS = ['保养', '机油', '刹车', '轮胎', '洗车', '快修店', '上海', '浦东', '北京 朝阳',
  '新能源', '空调', '小保养', '刹车片更换', '汽车美容', 'oil', 'brake', 'Free inspection', 'car wash',
  'detailing', '四轮定位', '蓄电池', '钣金喷漆', '成都 保养', '杭州 洗车'];

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1], i++;
  }
  return out;
}

const log = (msg) => process.stderr.write(`gen: ${msg}\n`);

// Seeded (mulberry32): every run asks the same questions, so runs compare. The nearby answer
// cache is a hash table, so which 64 points collide depends on the points themselves: with
// fresh points each run, nearby_hot moved by 4x between runs for no change of code.
let randState = Number(args.seed ?? 20261123) >>> 0;
function rand() {
  randState = (randState + 0x6D2B79F5) >>> 0;
  let t = randState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];

// --- the database's own CLI --------------------------------------------------------

function sqlitePath() {
  return DB_URL.replace(/^sqlite:(\/\/)?/, '');
}

// Rows of a query as arrays of strings (tab-separated output of sqlite3 / psql).
function query(sql) {
  const text = IS_PG
    ? execFileSync('psql', [DB_URL, '-X', '-At', '-F', '\t', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : execFileSync('sqlite3', ['-batch', '-noheader', '-separator', '\t', '-cmd', '.timeout 10000', sqlitePath(), sql],
      { encoding: 'utf8', maxBuffer: 1 << 30 });
  return text.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

// Runs a script of statements in one transaction (fed on stdin: it can be tens of MB).
function execScript(statements) {
  const body = `BEGIN;\n${statements.join('\n')}\nCOMMIT;\n`;
  if (IS_PG) {
    execFileSync('psql', [DB_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { input: body, stdio: ['pipe', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  } else {
    execFileSync('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', sqlitePath()],
      { input: body, stdio: ['pipe', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  }
}

const sqlText = (s) => (s === null ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

// --- identifiers --------------------------------------------------------------------

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
// Same shape as core/id.c (48 bits of milliseconds, then randomness, Crockford base32), so
// bulk rows look exactly like rows the server makes.
function newId(ms = Date.now()) {
  let s = '';
  for (let i = 9, t = ms; i >= 0; i--, t = Math.floor(t / 32)) s = ID_ALPHABET[t % 32] + s;
  const rnd = randomBytes(16);
  for (let i = 0; i < 16; i++) s += ID_ALPHABET[rnd[i] & 31];
  return s;
}

const VIN_VALUES = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5,
  P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_SERIAL_CHARS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

// A SAIC Volkswagen (LSV) VIN, model year 2020, unique per index, with its ISO 3779 check digit.
function vinFor(index) {
  let descriptor = '';
  for (let i = 0, n = Math.floor(index / 1e6); i < 5; i++, n = Math.floor(n / 33)) descriptor += VIN_SERIAL_CHARS[n % 33];
  const chars = ['L', 'S', 'V', ...descriptor, '0', 'L', 'A', ...String(index % 1e6).padStart(6, '0')];
  const sum = chars.reduce((acc, ch, i) => acc + (/[0-9]/.test(ch) ? Number(ch) : VIN_VALUES[ch]) * VIN_WEIGHTS[i], 0);
  chars[8] = sum % 11 === 10 ? 'X' : String(sum % 11);
  return chars.join('');
}

// --- HTTP ---------------------------------------------------------------------------

async function api(method, path, { auth, body } = {}) {
  const headers = {};
  if (auth) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST' && path === '/api/v1/orders') headers['idempotency-key'] = newId();
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON: keep the text */ }
  return { status: res.status, text, json };
}

// Runs fn over items with at most `width` in flight (the server has two cores; argon2id
// logins are CPU-bound, so a wide fan-out only queues).
async function inPool(items, width, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

// --- data -----------------------------------------------------------------------------

function seedProviders() {
  const t0 = Date.now();
  const out = execFileSync(BIN, ['seed', 'demo', '--providers', String(PROVIDERS)], { encoding: 'utf8' });
  log(`${out.trim()} (${Date.now() - t0} ms)`);
}

// One owner through the API, to get a real argon2id hash that every bulk owner then shares.
async function templatePasswordHash() {
  const email = `template.${newId()}@${EMAIL_DOMAIN}`;
  const reg = await api('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: '模板车主' } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
  const [[hash]] = query(`SELECT password_hash FROM users WHERE email = ${sqlText(email)}`);
  return hash;
}

const ownerEmail = (i) => `owner${i}@${EMAIL_DOMAIN}`;

// OWNERS users with the owner role and one vehicle each, in multi-row inserts of 500.
function bulkOwners(hash) {
  const t0 = Date.now();
  const now = Date.now();
  const owners = [];
  const statements = [];
  const fuels = ['gasoline', 'gasoline', 'gasoline', 'hybrid', 'phev', 'bev', 'diesel'];
  for (let from = 0; from < OWNERS; from += 500) {
    const users = [], roles = [], cars = [];
    for (let i = from; i < Math.min(from + 500, OWNERS); i++) {
      const owner = { index: i, id: newId(now), vehicleId: newId(now), email: ownerEmail(i) };
      owners.push(owner);
      users.push(`(${sqlText(owner.id)}, ${sqlText(`车主${i}`)}, ${sqlText(owner.email)}, NULL, NULL, ${sqlText(hash)}, ${now}, ${now})`);
      roles.push(`(${sqlText(owner.id)}, 'owner', NULL, ${now})`);
      const year = 2012 + (i % 12);
      cars.push(`(${sqlText(owner.vehicleId)}, ${sqlText(owner.id)}, ${sqlText(vinFor(i))}, NULL, NULL, '', '', ` +
        `'SAIC Volkswagen', 'China', 2020, ${sqlText(fuels[i % fuels.length])}, 5, 'private', ` +
        `'${year}-0${1 + (i % 9)}-15', NULL, ${10000 + (i * 37) % 150000}, ${now}, 1, ${now}, ${now})`);
    }
    statements.push(`INSERT INTO users (id, name, email, phone_sealed, phone_index, password_hash, created_at, updated_at) VALUES ${users.join(',\n')};`);
    statements.push(`INSERT INTO user_roles (user_id, role, provider_id, created_at) VALUES ${roles.join(',\n')};`);
    statements.push(`INSERT INTO vehicles (id, owner_id, vin, plate, nickname, make, model, manufacturer, country, model_year, ` +
      `fuel_type, seats, usage, registration_date, insurance_expiry, odometer_km, odometer_at, active, created_at, updated_at) VALUES ${cars.join(',\n')};`);
  }
  execScript(statements);
  if (IS_PG) query('ANALYZE users; ANALYZE user_roles; ANALYZE vehicles');
  log(`${OWNERS} owners with a vehicle each in ${Date.now() - t0} ms`);
  return owners;
}

// A few dozen owners logged in through the API: their access tokens drive orders and devices.
async function logInSessions(owners) {
  const t0 = Date.now();
  const chosen = Array.from({ length: Math.min(SESSIONS, owners.length) }, (_, k) => owners[Math.floor(k * owners.length / SESSIONS)]);
  const sessions = await inPool(chosen, 4, async (o) => {
    const res = await api('POST', '/api/v1/auth/login', { body: { login: o.email, password: PASSWORD } });
    if (res.status !== 200) throw new Error(`login of ${o.email} failed: ${res.status} ${res.text}`);
    return { ...o, auth: `Bearer ${res.json.access_token}` };
  });
  log(`${sessions.length} owners logged in through the API in ${Date.now() - t0} ms`);
  return sessions;
}

// --- scenarios ----------------------------------------------------------------------

const files = { written: [] };
function writeScenario(name, kind, lines, sample) {
  writeFileSync(join(OUT, `${name}.${kind}`), lines.join('\n') + '\n');
  writeFileSync(join(OUT, `${name}.sample`), sample);
  files.written.push(`${name} (${lines.length} ${kind})`);
}

// Runs one scenario's preparation; a failure leaves the scenario out instead of the whole run.
async function scenario(name, prepare) {
  const t0 = Date.now();
  try {
    await prepare();
    log(`${name}: ready in ${Date.now() - t0} ms`);
  } catch (err) {
    log(`${name}: skipped (${err.message.split('\n')[0]})`);
  }
}

// Distinct points (6 decimals, as a phone would send) around the seeded cities.
function nearbyPath() {
  const [lat, lng] = pick(CITY_CENTRES);
  const p = (v, spread) => (v + (rand() - 0.5) * spread).toFixed(6);
  return `/api/v1/providers/nearby?lat=${p(lat, 0.24)}&lng=${p(lng, 0.28)}&service_type=${pick(NEARBY_SERVICE_TYPES)}&radius_km=5&limit=3`;
}

// A sample answer the way the scenario mostly answers: the first of a few that is full.
async function typicalAnswer(paths, isTypical) {
  let last = null;
  for (const path of paths.slice(0, 40)) {
    const res = await api('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    last = res.text;
    if (isTypical(res.json)) return res.text;
  }
  return last;
}

async function nearbyScenario() {
  const paths = Array.from({ length: NEARBY_POINTS }, nearbyPath);
  const sample = await typicalAnswer(paths, (j) => j.items?.length === 3);
  writeScenario('nearby', 'paths', paths, sample);
  // The same query from a handful of places: what the answer cache gives when people cluster.
  const hot = paths.slice(0, 64);
  writeScenario('nearby_hot', 'paths', hot, sample);
}

async function providerScenario() {
  const all = query('SELECT id FROM providers ORDER BY id').map((r) => r[0]);
  const ids = Array.from({ length: Math.min(5000, all.length) }, () => pick(all));
  if (!ids.length) throw new Error('no providers');
  const paths = ids.map((id) => `/api/v1/providers/${id}`);
  writeScenario('provider', 'paths', paths, await typicalAnswer(paths, () => true));
}

async function searchScenario() {
  const paths = SEARCH_TERMS.map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`);
  for (const path of paths) {
    const res = await api('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
  }
  writeScenario('search', 'paths', paths, await typicalAnswer(paths, (j) => j.items?.length >= 10));
}

async function loginScenario(owners) {
  const lines = Array.from({ length: 2000 }, () => {
    const o = pick(owners);
    return `/api/v1/auth/login\t\t${JSON.stringify({ login: o.email, password: PASSWORD })}`;
  });
  const res = await api('POST', '/api/v1/auth/login', { body: { login: owners[1].email, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  writeScenario('login', 'lines', lines, res.text);
}

// Local date (Asia/Shanghai, UTC+8 all year) `days` from now, with its ISO weekday.
function shanghaiDay(days) {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  return { date: d.toISOString().slice(0, 10), weekday: d.getUTCDay() || 7 };
}
const hhmm = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

// Car wash (one 30-minute cell) at every provider offering it, on days 2.. ahead: each start
// inside opening hours, each line bookable once per bay. Lines go round-robin over providers,
// so consecutive orders hit different shops, as real traffic would.
function orderSlots(sessions) {
  const offers = query(
    "SELECT p.id, p.bays, s.id, s.duration_min FROM providers p JOIN provider_services s ON s.provider_id = p.id " +
    "WHERE p.status = 'approved' AND p.is_open = 1 AND s.active = 1 AND s.service_type = 'car_wash' ORDER BY p.id");
  if (!offers.length) throw new Error('no provider offers car_wash');
  const hours = new Map();
  for (const [pid, weekday, open, close] of query('SELECT provider_id, weekday, open_min, close_min FROM provider_hours')) {
    if (!hours.has(pid)) hours.set(pid, []);
    hours.get(pid).push({ weekday: Number(weekday), open: Number(open), close: Number(close) });
  }
  const lines = [];
  let k = 0;
  for (let day = 2; lines.length < ORDER_SLOTS && day < 400; day++) {
    const { date, weekday } = shanghaiDay(day);
    const starts = new Map();   // provider -> its starts that day
    for (const [pid, , , duration] of offers) {
      const cells = Math.ceil(Number(duration) / 30);
      const list = [];
      for (const h of hours.get(pid) ?? []) {
        if (h.weekday !== weekday) continue;
        for (let m = Math.ceil(h.open / 30) * 30; m + cells * 30 <= h.close; m += cells * 30) list.push(m);
      }
      starts.set(pid, list);
    }
    const most = Math.max(0, ...[...starts.values()].map((l) => l.length));
    for (let i = 0; i < most && lines.length < ORDER_SLOTS; i++) {
      for (const [pid, , sid] of offers) {
        const m = starts.get(pid)[i];
        if (m === undefined || lines.length >= ORDER_SLOTS) continue;
        const s = sessions[k++ % sessions.length];
        const body = { vehicle_id: s.vehicleId, provider_id: pid, service_id: sid, slot_start: `${date}T${hhmm(m)}:00+08:00` };
        lines.push(`/api/v1/orders\t${s.auth}\t${JSON.stringify(body)}`);
      }
    }
  }
  return { lines, offers };
}

async function ordersScenario(sessions) {
  const { lines, offers } = orderSlots(sessions);
  const [pid, , sid] = offers[0];
  // Check the grid against the server's own idea of free starts, then place one real order
  // (far beyond the lines' days, so it takes no bay the run needs) for the sample answer.
  const first = JSON.parse(lines[0].split('\t')[2]);
  const slots = await api('GET', `/api/v1/providers/${first.provider_id}/slots?service_id=${first.service_id}&date=${first.slot_start.slice(0, 10)}`);
  if (slots.status !== 200) throw new Error(`slots answered ${slots.status}: ${slots.text.slice(0, 200)}`);
  const offered = (slots.json.slots ?? []).map((s) => Date.parse(s.start));
  if (!offered.includes(Date.parse(first.slot_start))) throw new Error(`slot ${first.slot_start} is not offered: ${slots.text.slice(0, 300)}`);
  let sample = null;
  for (let day = 500; day < 520 && !sample; day++) {
    const { date } = shanghaiDay(day);
    const res = await api('POST', '/api/v1/orders', {
      auth: sessions[0].auth,
      body: { vehicle_id: sessions[0].vehicleId, provider_id: pid, service_id: sid, slot_start: `${date}T10:00:00+08:00` },
    });
    if (res.status === 201) sample = res.text;
    else if (res.status !== 422) throw new Error(`order answered ${res.status}: ${res.text.slice(0, 200)}`);
  }
  if (!sample) throw new Error('no sample order could be placed');
  writeScenario('orders', 'lines', lines, sample);
}

// One batch of readings from the last ~40 minutes, the way a device uploads a buffer.
function telemetryBatch(seed) {
  const start = Date.now() - 40 * 60e3;
  const readings = Array.from({ length: TELEMETRY_BATCH }, (_, i) => ({
    at: new Date(start + i * 4000 + seed).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    odometer_km: 40000 + seed * 10 + Math.floor(i / 20),
    fuel_level_pct: Math.round((80 - i / 10) * 10) / 10,
    battery_soc_pct: 70 + (i % 20) / 10,
    coolant_temp_c: 88 + (i % 7),
    voltage: Math.round((13.6 + (i % 5) / 100) * 100) / 100,
  }));
  return { readings };
}

async function telemetryScenario(sessions) {
  const devices = await inPool(sessions, 4, async (s) => {
    const res = await api('POST', `/api/v1/vehicles/${s.vehicleId}/devices`, { auth: s.auth, body: { name: 'bench obd' } });
    if (res.status !== 201) throw new Error(`device answered ${res.status}: ${res.text.slice(0, 200)}`);
    return `Device ${res.json.token}`;
  });
  const lines = devices.map((auth, i) => `/api/v1/telemetry\t${auth}\t${JSON.stringify(telemetryBatch(i))}`);
  const [, auth, body] = lines[0].split('\t');
  const res = await api('POST', '/api/v1/telemetry', { auth, body: JSON.parse(body) });
  if (res.status !== 202) throw new Error(`telemetry answered ${res.status}: ${res.text.slice(0, 200)}`);
  writeScenario('telemetry', 'lines', lines, res.text);
}

// --- main -----------------------------------------------------------------------------

async function main() {
  mkdirSync(OUT, { recursive: true });
  const t0 = Date.now();
  seedProviders();
  const owners = bulkOwners(await templatePasswordHash());
  const sessions = await logInSessions(owners);
  await scenario('nearby', nearbyScenario);
  await scenario('provider', providerScenario);
  await scenario('search', searchScenario);
  await scenario('login', () => loginScenario(owners));
  await scenario('orders', () => ordersScenario(sessions));
  await scenario('telemetry', () => telemetryScenario(sessions));
  writeFileSync(join(OUT, 'meta.json'), JSON.stringify({ providers: PROVIDERS, owners: OWNERS, sessions: sessions.length, scenarios: files.written }, null, 2));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${files.written.join(', ')}`);
}

main().catch((err) => {
  log(`failed: ${err.stack ?? err}`);
  process.exit(1);
});
