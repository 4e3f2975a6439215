// Uploads (SPEC §6): multipart field `file`, JPEG/PNG/WebP by magic bytes, at most 10 MiB,
// stored under a random id and served only to those allowed to see it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { api, assertProblem, newOwner } from './lib.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([40, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(32, 1)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary');

function multipart(parts, boundary = 'x' + randomUUID()) {
  const chunks = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n`
      + `Content-Type: ${p.type || 'application/octet-stream'}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(who, parts) {
  const { body, contentType } = multipart(parts);
  return api('POST', '/api/v1/uploads', { token: who.token, body, contentType });
}

test('PNG, JPEG and WebP are stored and served back byte for byte to the uploader', async () => {
  const me = await newOwner();
  for (const [data, type] of [[PNG, 'image/png'], [JPEG, 'image/jpeg'], [WEBP, 'image/webp']]) {
    const res = await upload(me, [{ name: 'note', data: 'hello' }, { name: 'file', filename: 'a.bin', data, type: 'text/plain' }]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.ok(res.body.id);
    assert.equal(res.body.url, `/api/v1/uploads/${res.body.id}`);
    assert.equal(res.body.content_type, type);   // by magic bytes, not by the declared type
    const got = await fetch(process.env.PITSTOP_URL + res.body.url, { headers: { authorization: `Bearer ${me.token}` } });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), type);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), data);
  }
});

test('others cannot see an unattached upload; no token -> 401', async () => {
  const me = await newOwner();
  const other = await newOwner();
  const res = await upload(me, [{ name: 'file', data: PNG }]);
  assertProblem(await api('GET', res.body.url, { token: other.token }), 404);
  assertProblem(await api('GET', res.body.url), 401);
  assertProblem(await api('GET', '/api/v1/uploads/00000000000000000000000000', { token: me.token }), 404);
  assertProblem(await api('GET', '/api/v1/uploads/..%2F..%2Fetc%2Fpasswd', { token: me.token }), 404);
  const { body, contentType } = multipart([{ name: 'file', data: PNG }]);
  assertProblem(await api('POST', '/api/v1/uploads', { body, contentType }), 401);
});

test('wrong type, missing field, malformed body, wrong content type', async () => {
  const me = await newOwner();
  assertProblem(await upload(me, [{ name: 'file', data: GIF, type: 'image/png' }]), 422, 'file');
  assertProblem(await upload(me, [{ name: 'file', data: 'just text' }]), 422, 'file');
  assertProblem(await upload(me, [{ name: 'file', data: Buffer.alloc(0) }]), 422, 'file');
  assertProblem(await upload(me, [{ name: 'photo', data: PNG }]), 422, 'file');
  const truncated = multipart([{ name: 'file', data: PNG }]);
  assertProblem(await api('POST', '/api/v1/uploads', {
    token: me.token, body: truncated.body.subarray(0, truncated.body.length - 12), contentType: truncated.contentType,
  }), 400);
  assertProblem(await api('POST', '/api/v1/uploads', { token: me.token, body: PNG, contentType: 'image/png' }), 415);
  assertProblem(await api('POST', '/api/v1/uploads', { token: me.token, body: 'x', contentType: 'multipart/form-data' }), 400);
});

test('more than 10 MiB -> 413', async () => {
  const me = await newOwner();
  const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 1024)]);
  const { body, contentType } = multipart([{ name: 'file', data: big }]);
  let status;
  try {
    status = (await api('POST', '/api/v1/uploads', { token: me.token, body, contentType })).status;
  } catch {
    status = 413;   // the server may close the connection once it has answered
  }
  assert.equal(status, 413);
  // just under the cap is fine
  const ok = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 - 4096)]);
  const m = multipart([{ name: 'file', data: ok }]);
  const res = await api('POST', '/api/v1/uploads', { token: me.token, body: m.body, contentType: m.contentType });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.size_bytes, ok.length);
});
