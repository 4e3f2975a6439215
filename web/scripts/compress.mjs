// Writes precompressed copies (.gz and .br) of the text assets in a built directory.
// Used by vite.config.js after every build; also runnable alone: node scripts/compress.mjs [dir]
import { readdir, readFile, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/;
const MIN_BYTES = 512;

async function* walk(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

export async function compressDir(dir) {
  let n = 0;
  for await (const file of walk(dir)) {
    if (!TEXT.test(file)) continue;
    if ((await stat(file)).size < MIN_BYTES) continue;
    const data = await readFile(file);
    await writeFile(file + '.gz', gzipSync(data, { level: 9 }));
    await writeFile(file + '.br', brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }));
    n++;
  }
  return n;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = await compressDir(process.argv[2] || 'dist');
  console.log(`compressed ${n} files`);
}
