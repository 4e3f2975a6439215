// Reads `perf script` output (samples with call chains) on stdin and says where the server's
// time goes in terms of its own code: each sample is charged to the innermost frame that lies
// in the pitstop binary (so time inside SQLite, jansson, libc or the kernel lands on the
// pitstop function that called it), and, separately, to its leaf symbol and its thread.
//   perf script -i perf.data | node bench/perf_attrib.mjs [--top 25] [--binary pitstop]
// Library symbols of stripped Debian packages show as [unknown]; the pitstop frame above them
// is what this script is for.
import { createInterface } from 'node:readline';

const argv = process.argv.slice(2);
const opt = (name, def) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : def);
const TOP = Number(opt('top', 25));
const BINARY = opt('binary', 'pitstop');

const byOwnFrame = new Map();
const byLeaf = new Map();
const byThread = new Map();
const byOwnPath = new Map();
let samples = 0;
let header = null;
let frames = [];

const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

// A frame line: "<addr> <symbol>+0x.. (<dso>)"; the symbol may be [unknown].
function parseFrame(line) {
  const m = line.trim().match(/^[0-9a-f]+ (.+?)(?:\+0x[0-9a-f]+)? \((.*)\)$/);
  if (!m) return null;
  const dso = m[2].split('/').pop();
  return { symbol: m[1] === '[unknown]' ? `[${dso}]` : m[1].replace(/ \(inlined\)$/, ''), dso };
}

function flush() {
  if (!header) return;
  samples++;
  const thread = header.split(/\s+/)[0];
  bump(byThread, /^MHD-|^pitstop$/.test(thread) ? thread : 'other');
  const leaf = frames[0];
  bump(byLeaf, leaf ? `${leaf.symbol} (${leaf.dso})` : '?');
  const own = frames.filter((f) => f.dso === BINARY);
  bump(byOwnFrame, own[0]?.symbol ?? `(no ${BINARY} frame: ${leaf?.dso ?? '?'})`);
  // The chain of own frames, outermost first, trimmed to the last three: which path it was.
  bump(byOwnPath, own.slice(0, 3).reverse().map((f) => f.symbol).join(' > ') || '(none)');
  header = null;
  frames = [];
}

function table(title, map) {
  console.log(`\n${title}`);
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP)
    .forEach(([k, n]) => console.log(`${(100 * n / samples).toFixed(1).padStart(6)}%  ${k}`));
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) { flush(); return; }
  if (!/^\s/.test(line)) { flush(); header = line; return; }
  const f = parseFrame(line);
  if (f) frames.push(f);
});
rl.on('close', () => {
  flush();
  console.log(`${samples} samples`);
  table(`charged to the innermost ${BINARY} frame (inclusive of the libraries it called)`, byOwnFrame);
  table(`by ${BINARY} call path (innermost three frames)`, byOwnPath);
  table('by leaf symbol (self time)', byLeaf);
  table('by thread', byThread);
});
