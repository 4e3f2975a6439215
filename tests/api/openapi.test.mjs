// The OpenAPI document: valid under a standard validator, and covering every route the
// binary registers (so a route cannot be added without appearing in it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import SwaggerParser from '@apidevtools/swagger-parser';
import { api } from './lib.mjs';

async function document() {
  const res = await api('GET', '/api/openapi.json');
  assert.equal(res.status, 200);
  return res.body;
}

test('GET /api/openapi.json is a valid OpenAPI 3.1 document', async () => {
  const doc = await document();
  assert.equal(doc.openapi, '3.1.0');
  await SwaggerParser.validate(structuredClone(doc));
});

test('every registered route is in the document, with its method', async () => {
  const doc = await document();
  const routes = execFileSync(process.env.PITSTOP_BIN, ['routes'], { encoding: 'utf8' })
    .trim().split('\n').map((line) => line.split(/\s+/).slice(0, 2));
  assert.ok(routes.length >= 4);
  const missing = [];
  for (const [method, pattern] of routes) {
    const path = pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    if (!doc.paths[path] || !doc.paths[path][method.toLowerCase()]) missing.push(`${method} ${pattern}`);
  }
  assert.deepEqual(missing, [], 'routes missing from OpenAPI');
});

test('every operation has a summary, a tag and its error responses', async () => {
  const doc = await document();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      assert.ok(op.summary, `${method} ${path} has a summary`);
      assert.ok(op.tags?.length, `${method} ${path} has a tag`);
      if (op.requestBody?.content?.['application/json']) {
        assert.ok(op.responses['422'], `${method} ${path} documents 422`);
      }
      if (op.security?.length) assert.ok(op.responses['401'], `${method} ${path} documents 401`);
    }
  }
});
