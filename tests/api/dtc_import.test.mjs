// `pitstop import-dtc [FILE]` end to end, against the database of the server under test:
// idempotent re-runs, an LZSS-packed ("slh!") datafile built here, and bad files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, assertProblem } from './lib.mjs';

const BIN = process.env.PITSTOP_BIN;
const HAVE_CODES = existsSync('/usr/share/scantool/codes.dat');
const skip = BIN ? {} : { skip: 'PITSTOP_BIN not set (run through tests/run.sh)' };

function importDtc(...args) {
  try {
    const stdout = execFileSync(BIN, ['import-dtc', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    return { code: e.status, stdout: e.stdout || '', stderr: e.stderr || '' };
  }
}

const be32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

// Allegro LZSS with literals only: a flag byte 0xFF before every eight bytes. Valid input
// for any decoder of the format (no references needed).
function lzssLiterals(buf) {
  const parts = [];
  for (let i = 0; i < buf.length; i += 8) {
    const chunk = buf.subarray(i, i + 8);
    parts.push(Buffer.from([0xff >> (8 - chunk.length)]), chunk);
  }
  return Buffer.concat(parts);
}

// A datafile with one code list object, packed as a whole ("slh!").
function packedDatafile(text) {
  const data = Buffer.from(text, 'utf8');
  const name = Buffer.from('PCODES');
  const body = Buffer.concat([
    Buffer.from('ALL.'), be32(1),
    Buffer.from('prop'), Buffer.from('NAME'), be32(name.length), name,
    Buffer.from('CDEF'), be32(data.length), be32(data.length), data,
  ]);
  return Buffer.concat([Buffer.from('slh!'), lzssLiterals(body)]);
}

test('running the default import again changes nothing', skip, () => {
  const r = importDtc();
  assert.equal(r.code, 0, r.stderr);
  if (HAVE_CODES) {
    assert.match(r.stdout, /5\d{3} trouble codes imported/);
    assert.match(r.stdout, /0 rows changed \(already up to date\)/);
  } else {
    assert.match(r.stdout, /not found; skipping/);
  }
});

test('a packed datafile imports, once', skip, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-dtc-'));
  const file = join(dir, 'codes.dat');
  writeFileSync(file, packedDatafile('P3FFE\tGeneric\tPitstop test code\nP3FFE\tAcme\tAcme meaning\n'));
  let r = importDtc(file);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 trouble codes imported/);
  r = importDtc(file);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /0 rows changed/);
  const res = await api('GET', '/api/v1/dtc/P3FFE');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.description, 'Pitstop test code');
  assert.deepEqual(res.body.manufacturer_variants, [{ manufacturer: 'Acme', description: 'Acme meaning' }]);
});

test('bad files fail with a message and change nothing', skip, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-dtc-'));
  const junk = join(dir, 'junk.dat');
  writeFileSync(junk, 'PK\u0003\u0004 not a datafile');
  let r = importDtc(junk);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /magic/);
  const cut = join(dir, 'cut.dat');
  writeFileSync(cut, packedDatafile('P3FFD\tGeneric\tNever imported\n').subarray(0, 30));
  r = importDtc(cut);
  assert.equal(r.code, 1);
  r = importDtc(join(dir, 'missing.dat'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /No such file/);
  assertProblem(await api('GET', '/api/v1/dtc/P3FFD'), 404);
});
