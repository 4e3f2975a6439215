// Checks that every literal i18n key used in src/ exists in both locale files, and that the
// two locale files have the same keys. Run: node scripts/check-locales.mjs (exit 1 on a gap).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const root = new URL('../src/', import.meta.url).pathname;
async function* walk(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(vue|js)$/.test(e.name)) yield p;
  }
}
function flatten(obj, prefix = '', out = new Set()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out.add(key);
  }
  return out;
}
const locales = {};
for (const l of ['en', 'zh-CN']) locales[l] = flatten(JSON.parse(await readFile(join(root, 'locales', l + '.json'), 'utf8')));
const used = new Set();
for await (const f of walk(root)) {
  const src = await readFile(f, 'utf8');
  for (const m of src.matchAll(/\bt\(\s*'([a-z0-9_.-]+)'/gi)) if (!/[._]$/.test(m[1])) used.add(m[1]);
  for (const m of src.matchAll(/'(validation\.[a-z0-9_]+)'/g)) used.add(m[1]);
}
let bad = 0;
for (const k of [...used].sort()) {
  for (const l of Object.keys(locales)) if (!locales[l].has(k)) { console.log(`missing in ${l}: ${k}`); bad++; }
}
for (const k of locales.en) if (!locales['zh-CN'].has(k)) { console.log(`only in en: ${k}`); bad++; }
for (const k of locales['zh-CN']) if (!locales.en.has(k)) { console.log(`only in zh-CN: ${k}`); bad++; }
console.log(`${used.size} keys used, ${bad} problems`);
process.exit(bad ? 1 : 0);
