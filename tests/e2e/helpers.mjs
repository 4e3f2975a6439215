// Shared set-up for the browser journeys: Debian's chromium through playwright-core, one
// browser context per person, no traffic anywhere but the server under test, screenshots of
// every open page when a step fails (tests/e2e/screenshots/, gitignored).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { randomInt, randomUUID } from 'node:crypto';

export const BASE = (process.env.PITSTOP_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const OPERATOR = {
  login: process.env.PITSTOP_TEST_OPERATOR_LOGIN || 'operator@pitstop.test',
  password: process.env.PITSTOP_TEST_OPERATOR_PASSWORD || 'operator-pass-1',
};
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const TIMEOUT = Number(process.env.PITSTOP_E2E_TIMEOUT_MS || 15000);

// The app's own strings, so tests can look for what a person sees in either language.
export const MESSAGES = {
  'zh-CN': JSON.parse(readFileSync(new URL('../../web/src/locales/zh-CN.json', import.meta.url), 'utf8')),
  en: JSON.parse(readFileSync(new URL('../../web/src/locales/en.json', import.meta.url), 'utf8')),
};
export function msg(locale, path, vars = {}) {
  let v = path.split('.').reduce((o, k) => (o ? o[k] : undefined), MESSAGES[locale]);
  if (typeof v !== 'string') throw new Error(`no message ${path}`);
  for (const [k, val] of Object.entries(vars)) v = v.replace(`{${k}}`, String(val));
  return v;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.PITSTOP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A person: a browser context with the language chosen and map tiles switched off.
export async function person(browser, locale, { mobile = false, serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({
    baseURL: BASE,
    locale,
    serviceWorkers,
    viewport: mobile ? { width: 375, height: 740 } : { width: 1280, height: 860 },
    isMobile: mobile,
    hasTouch: mobile,
  });
  context.setDefaultTimeout(TIMEOUT);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    return route.abort();
  });
  await context.addInitScript(([l]) => {
    if (!localStorage.getItem('pitstop.locale')) localStorage.setItem('pitstop.locale', l);
    if (!localStorage.getItem('pitstop.settings')) localStorage.setItem('pitstop.settings', JSON.stringify({ tileUrl: '' }));
  }, [locale]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

// Run fn; on failure save a screenshot of each page under tests/e2e/screenshots/.
// With PITSTOP_E2E_SHOTS=1 every step also leaves its screenshots (to look at the pages).
export async function step(label, pages, fn) {
  try {
    const out = await fn();
    if (process.env.PITSTOP_E2E_SHOTS) await shoot(label, pages, 'ok');
    return out;
  } catch (e) {
    await shoot(label, pages, 'failed');
    throw e;
  }
}

async function shoot(label, pages, tag) {
  mkdirSync(SHOTS, { recursive: true });
  const safe = label.replace(/[^a-z0-9_-]+/gi, '_');
  for (const [who, p] of Object.entries(pages)) {
    if (!p || p.isClosed()) continue;
    try { await p.screenshot({ path: `${SHOTS}${safe}-${who}-${tag}.png`, fullPage: true }); } catch { /* page gone */ }
  }
}

export function uniquePhone() {
  return '1' + String(randomInt(3, 10)) + String(randomInt(0, 1e9)).padStart(9, '0');
}
export function uniqueEmail(prefix) {
  return `${prefix}.${randomUUID().slice(0, 10)}@example.com`;
}

// A VIN with a correct check digit (ISO 3779 weights), for a given WMI, year code and serial.
export function makeVin(wmi = 'LSV', serial = String(randomInt(0, 1e6)).padStart(6, '0')) {
  const vals = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const body = `${wmi}AB12C0R${'A'}${serial}`.slice(0, 17);    // positions: WMI(3) VDS(5) check(1) year(1)=R(2024) plant(1) serial(6)
  const chars = body.split('');
  let sum = 0;
  chars.forEach((c, i) => { sum += (/\d/.test(c) ? Number(c) : vals[c]) * weights[i]; });
  const r = sum % 11;
  chars[8] = r === 10 ? 'X' : String(r);
  return chars.join('');
}

// A real (tiny) PNG for the photo upload.
export function pngBytes() {
  const crcTable = new Int32Array(256).map((_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c; });
  const crc = (b) => { let c = -1; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ -1) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const w = 16, h = 12;
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const o = y * (w * 3 + 1) + 1 + x * 3; raw[o] = 37; raw[o + 1] = 99; raw[o + 2] = 235 - x * 8; }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A valid unified social credit code (GB 32100) with a random body.
export function makeUscc() {
  const CH = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = '91310000';
  while (body.length < 17) body += CH[randomInt(0, 31)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CH.indexOf(body[i]) * W[i];
  return body + CH[(31 - (sum % 31)) % 31];
}

// The page fits its screen: no sideways scrolling (the owner's pages at 375 px).
export async function assertFitsScreen(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (over > 0) throw new Error(`${page.url()} is ${over}px wider than the ${await page.evaluate(() => window.innerWidth)}px screen`);
}
