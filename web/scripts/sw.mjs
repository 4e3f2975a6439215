// Generates dist/sw.js: a service worker that pre-caches the app shell of this build
// (index.html, the JS/CSS it loads, icons, manifest) and keeps other hashed /assets/ files
// it has served; it never caches API answers, uploads or map tiles.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

export async function writeServiceWorker(dir) {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const files = new Set(['/', '/index.html', '/manifest.webmanifest']);
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) files.add(m[1]);
  for (const f of await readdir(join(dir, 'icons'))) if (/\.(png|svg)$/.test(f)) files.add('/icons/' + f);
  const list = [...files].sort();
  const hash = createHash('sha256').update(html).update(list.join('\n')).digest('hex').slice(0, 16);
  const template = await readFile(new URL('./sw.template.js', import.meta.url), 'utf8');
  const out = template.replace('__PITSTOP_VERSION__', hash).replace('__PITSTOP_SHELL__', JSON.stringify(list));
  await writeFile(join(dir, 'sw.js'), out);
}
