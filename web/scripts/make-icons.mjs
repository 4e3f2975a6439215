// One-off generator for the PWA's PNG icons (public/icons/icon-192.png, icon-512.png):
// a rounded blue square with a white wheel. Run: node scripts/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
function wheel(x, y, s) {
  const blue = [37, 99, 235, 255], white = [255, 255, 255, 255];
  const c = s / 2, d = Math.hypot(x - c, y - c) / s;
  if (d > 0.30 && d < 0.40) return white;                 // tyre
  if (d < 0.09) return white;                             // hub
  const ang = Math.atan2(y - c, x - c);
  for (let k = 0; k < 5; k++) {                           // spokes
    const a = (k * 2 * Math.PI) / 5 - Math.PI / 2;
    const dx = Math.cos(a), dy = Math.sin(a);
    const along = (x - c) * dx + (y - c) * dy, across = Math.abs(-(x - c) * dy + (y - c) * dx);
    if (along > 0 && along / s < 0.31 && across / s < 0.03) return white;
  }
  void ang;
  return blue;
}
for (const size of [192, 512]) {
  writeFileSync(new URL(`../public/icons/icon-${size}.png`, import.meta.url), png(size, wheel));
}
