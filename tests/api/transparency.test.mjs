// The verifiable service history (SPEC §6): public routes checked by an independent verifier
// written here (RFC 6962 hashing, RFC 9162 proof verification, Ed25519 via node:crypto), and
// `pitstop verify-log` catching tampering. Leaves come from the demo-data command
// `pitstop transparency-demo N`; tampering runs on a separate throwaway database so the shared
// one stays intact for the other suites.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify as edVerify, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, assertProblem, BACKEND, newOwner } from './lib.mjs';
import { newProvider, newVehicle, orderIn } from './orders_fixtures.mjs';

const BIN = process.env.PITSTOP_BIN;
const DB_URL = process.env.PITSTOP_DATABASE_URL || '';

// --- an independent verifier ------------------------------------------------------------

const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (data) => sha(Buffer.from([0]), Buffer.from(data, 'utf8'));
const nodeHash = (l, r) => sha(Buffer.from([1]), l, r);
const hex = (b) => b.toString('hex');
const unhex = (s) => Buffer.from(s, 'hex');
const half = (n) => Math.floor(n / 2);

// RFC 9162 §2.1.3.2
function verifyInclusion(leaf, index, size, path, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path.map(unhex)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn); sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

// RFC 9162 §2.1.4.2
function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0 || first > second || proof.length === 0) return false;
  let path = proof.map(unhex);
  if ((first & (first - 1)) === 0) path = [firstRoot, ...path];
  let fn = first - 1, sn = second - 1;
  while (fn % 2 === 1) { fn = half(fn); sn = half(sn); }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr); sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn); sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

function verifySth(sth) {
  const spki = Buffer.concat([unhex('302a300506032b6570032100'), unhex(sth.public_key)]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const msg = `pitstop-sth-v1\n${sth.tree_size}\n${sth.timestamp}\n${sth.root_hash}\n`;
  return edVerify(null, Buffer.from(msg, 'utf8'), key, unhex(sth.signature));
}

// The hashing itself, on the RFC 6962 / CT reference leaves (roots for 1..8 leaves).
test('the independent verifier agrees with the RFC 6962 test vectors', () => {
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
    .map((h) => sha(Buffer.from([0]), unhex(h)));
  const mth = (d) => {
    if (d.length === 1) return d[0];
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
  };
  assert.equal(hex(sha(Buffer.alloc(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(mth(leaves.slice(0, 1))), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  assert.equal(hex(mth(leaves.slice(0, 3))), 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77');
  assert.equal(hex(mth(leaves)), '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  assert.ok(verifyInclusion(leaves[5], 5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'], mth(leaves)));
  assert.ok(verifyConsistency(6, 8, mth(leaves.slice(0, 6)), mth(leaves), ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']));
});

// --- the CLI ------------------------------------------------------------------------------

function pitstop(args, url = DB_URL) {
  return spawnSync(BIN, args, { env: { ...process.env, PITSTOP_DATABASE_URL: url }, encoding: 'utf8', timeout: 120000 });
}

function demo(n, url = DB_URL) {
  const r = pitstop(['transparency-demo', String(n)], url);
  assert.equal(r.status, 0, r.stderr);
}

// --- the public routes --------------------------------------------------------------------

describe('transparency routes', () => {
  test('signed tree head: public, well formed, signature verifies', async () => {
    const res = await api('GET', '/api/v1/transparency/sth');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const sth = res.body;
    assert.ok(Number.isInteger(sth.tree_size) && sth.tree_size >= 0);
    assert.ok(Number.isInteger(sth.timestamp) && sth.timestamp > 1.6e12);
    assert.match(sth.root_hash, /^[0-9a-f]{64}$/);
    assert.match(sth.signature, /^[0-9a-f]{128}$/);
    assert.match(sth.public_key, /^[0-9a-f]{64}$/);
    assert.ok(verifySth(sth), 'Ed25519 signature over the documented bytes');
    assert.ok(!verifySth({ ...sth, timestamp: sth.timestamp + 1 }), 'a changed head does not verify');
  });

  test('leaves, inclusion and consistency proofs verify against signed heads', async () => {
    const before = (await api('GET', '/api/v1/transparency/sth')).body;
    demo(13);
    const after = (await api('GET', '/api/v1/transparency/sth')).body;
    assert.ok(after.tree_size >= before.tree_size + 13);
    assert.ok(verifySth(after));
    const size = after.tree_size;
    const root = unhex(after.root_hash);
    for (let i = Math.max(0, size - 13); i < size; i++) {
      const leaf = await api('GET', `/api/v1/transparency/leaves/${i}`);
      assert.equal(leaf.status, 200, JSON.stringify(leaf.body));
      assert.equal(leaf.body.index, i);
      assert.equal(hex(leafHash(leaf.body.leaf_data)), leaf.body.leaf_hash, 'leaf_hash = SHA-256(0x00 || leaf_data)');
      // canonical JSON: sorted keys, no spaces, the same bytes when re-serialised that way
      const parsed = JSON.parse(leaf.body.leaf_data);
      const keys = Object.keys(parsed);
      assert.deepEqual(keys, [...keys].sort());
      assert.ok(!/[:,] /.test(leaf.body.leaf_data.replace(/"(?:[^"\\]|\\.)*"/g, '""')), 'no spaces outside strings');
      const proof = await api('GET', `/api/v1/transparency/proof?index=${i}&tree_size=${size}`);
      assert.equal(proof.status, 200, JSON.stringify(proof.body));
      assert.ok(verifyInclusion(unhex(leaf.body.leaf_hash), i, size, proof.body.audit_path, root), `leaf ${i}`);
      assert.ok(!verifyInclusion(leafHash(leaf.body.leaf_data + ' '), i, size, proof.body.audit_path, root));
    }
    if (before.tree_size > 0) {
      const cons = await api('GET', `/api/v1/transparency/consistency?first=${before.tree_size}&second=${size}`);
      assert.equal(cons.status, 200, JSON.stringify(cons.body));
      assert.ok(verifyConsistency(before.tree_size, size, unhex(before.root_hash), root, cons.body.proof));
    }
    // every earlier size is consistent with the head, and the same size gives an empty proof
    for (const first of [1, 2, Math.ceil(size / 2), size - 1].filter((f) => f >= 1 && f < size)) {
      const cons = await api('GET', `/api/v1/transparency/consistency?first=${first}&second=${size}`);
      assert.equal(cons.status, 200);
      assert.ok(cons.body.proof.length > 0);
    }
    const same = await api('GET', `/api/v1/transparency/consistency?first=${size}&second=${size}`);
    assert.deepEqual(same.body, { proof: [] });
  });

  test("a completed order's service record is a leaf that verifies", async (t) => {
    const owner = await newOwner();
    if ((await api('GET', '/api/v1/orders', { token: owner.token })).status !== 200) return t.skip('orders module not in this build');
    const provider = await newProvider();
    const vehicle = await newVehicle(owner);
    const id = await orderIn('in_service', { owner, vehicle, provider });
    const done = await api('POST', `/api/v1/orders/${id}/complete`, {
      token: provider.admin.token,
      body: { odometer_km: 31000, parts: [{ name: '机油滤清器', qty: 1, price_fen: 4500 }], technician: '王师傅' },
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const index = done.body.leaf_index;
    assert.ok(Number.isInteger(index));
    const leaf = (await api('GET', `/api/v1/transparency/leaves/${index}`)).body;
    const record = JSON.parse(leaf.leaf_data);
    assert.equal(record.order_id, id);
    assert.equal(record.vin, vehicle.vin);
    assert.equal(record.odometer_km, 31000);
    assert.equal(record.technician, '王师傅');
    const sth = (await api('GET', '/api/v1/transparency/sth')).body;
    assert.ok(verifySth(sth));
    const proof = (await api('GET', `/api/v1/transparency/proof?index=${index}&tree_size=${sth.tree_size}`)).body;
    assert.ok(verifyInclusion(leafHash(leaf.leaf_data), index, sth.tree_size, proof.audit_path, unhex(sth.root_hash)));
  });

  test('bad parameters are 422 naming the field; beyond the log is 404', async () => {
    const size = (await api('GET', '/api/v1/transparency/sth')).body.tree_size;
    let r = await api('GET', '/api/v1/transparency/proof');
    assertProblem(r, 422, 'index');
    assertProblem(r, 422, 'tree_size');
    assertProblem(await api('GET', '/api/v1/transparency/proof?index=-1&tree_size=1'), 422, 'index');
    assertProblem(await api('GET', '/api/v1/transparency/proof?index=abc&tree_size=1'), 422, 'index');
    assertProblem(await api('GET', '/api/v1/transparency/proof?index=0&tree_size=0'), 422, 'tree_size');
    assertProblem(await api('GET', '/api/v1/transparency/proof?index=3&tree_size=3'), 422, 'index');
    assertProblem(await api('GET', `/api/v1/transparency/proof?index=0&tree_size=${size + 1000000}`), 404);
    r = await api('GET', '/api/v1/transparency/consistency?first=x');
    assertProblem(r, 422, 'first');
    assertProblem(r, 422, 'second');
    assertProblem(await api('GET', '/api/v1/transparency/consistency?first=0&second=1'), 422, 'first');
    assertProblem(await api('GET', '/api/v1/transparency/consistency?first=3&second=2'), 422, 'first');
    assertProblem(await api('GET', `/api/v1/transparency/consistency?first=1&second=${size + 1000000}`), 404);
    assertProblem(await api('GET', '/api/v1/transparency/leaves/abc'), 422, 'index');
    assertProblem(await api('GET', '/api/v1/transparency/leaves/-1'), 422, 'index');
    assertProblem(await api('GET', '/api/v1/transparency/leaves/99999999999999999999'), 422, 'index');
    assertProblem(await api('GET', `/api/v1/transparency/leaves/${size + 1000000}`), 404);
  });
});

// --- verify-log and tampering -------------------------------------------------------------

describe('verify-log', () => {
  test('the live log verifies', () => {
    demo(3);
    const r = pitstop(['verify-log']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /verify-log: ok: \d+ leaves/);
  });

  // A throwaway database of the same backend: { url, sql(query), drop() }.
  function scratchDatabase() {
    if (BACKEND === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'pitstop-tamper-'));
      const file = join(dir, 'log.db');
      return {
        url: `sqlite:${file}`,
        sql: (q) => execFileSync('sqlite3', [file, q], { encoding: 'utf8' }),
        drop: () => rmSync(dir, { recursive: true, force: true }),
      };
    }
    const base = new URL(DB_URL);
    const name = `pitstop_tamper_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new URL(DB_URL);
    admin.username = 'postgres';
    admin.password = '';
    admin.pathname = '/postgres';
    execFileSync('psql', [admin.href, '-qc', `CREATE DATABASE ${name} OWNER ${base.username}`]);
    const url = new URL(DB_URL);
    url.pathname = `/${name}`;
    return {
      url: url.href,
      sql: (q) => execFileSync('psql', [url.href, '-qAtc', q], { encoding: 'utf8' }),
      drop: () => execFileSync('psql', [admin.href, '-qc', `DROP DATABASE IF EXISTS ${name}`]),
    };
  }

  // Whoever tampers first removes the append-only triggers.
  const UNLOCK = BACKEND === 'sqlite'
    ? ['leaves', 'sths', 'nodes'].map((t) => `DROP TRIGGER translog_${t}_no_update; DROP TRIGGER translog_${t}_no_delete;`).join(' ')
    : ['leaves', 'sths', 'nodes'].map((t) => `ALTER TABLE translog_${t} DISABLE TRIGGER USER;`).join(' ');

  const cases = [
    { name: 'changed leaf_data', sql: `UPDATE translog_leaves SET leaf_data = replace(leaf_data, 'oil_change', 'brake_pads') WHERE leaf_index = 4`,
      expect: /leaf 4: leaf_hash does not match leaf_data/ },
    { name: 'deleted leaf', sql: 'DELETE FROM translog_leaves WHERE leaf_index = 7', expect: /leaf 7 is missing/ },
    { name: 'swapped two leaves', sql: 'UPDATE translog_leaves SET leaf_index = -1 WHERE leaf_index = 2; '
        + 'UPDATE translog_leaves SET leaf_index = 2 WHERE leaf_index = 9; UPDATE translog_leaves SET leaf_index = 9 WHERE leaf_index = -1;',
      expect: /leaf 2 is not the record signed in the tree head of size 3/ },
    { name: 'changed signed tree head', sql: `UPDATE translog_sths SET root_hash = (SELECT root_hash FROM translog_sths WHERE tree_size = 5) WHERE tree_size = 6`,
      expect: /signed tree head 6: the signature does not verify/ },
    { name: 'changed timestamp of a head', sql: 'UPDATE translog_sths SET timestamp_ms = timestamp_ms - 1000 WHERE tree_size = 12',
      expect: /signed tree head 12: the signature does not verify/ },
    { name: 'deleted newest head', sql: 'DELETE FROM translog_sths WHERE tree_size = 12', expect: /no signed tree head covers leaf 11/ },
  ];

  for (const c of cases) {
    test(`detects: ${c.name}`, () => {
      const db = scratchDatabase();
      try {
        demo(12, db.url);
        let r = pitstop(['verify-log'], db.url);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /ok: 12 leaves, 13 signed tree heads, 11 consistency proofs/);
        db.sql(UNLOCK + ' ' + c.sql);
        r = pitstop(['verify-log'], db.url);
        assert.equal(r.status, 1, `verify-log must fail; stdout: ${r.stdout} stderr: ${r.stderr}`);
        assert.match(r.stderr, c.expect);
      } finally {
        db.drop();
      }
    });
  }
});
