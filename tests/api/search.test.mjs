// Full-text search (SPEC §5): Chinese two-character words, longer words, English and mixed
// queries over provider names, addresses and service names/descriptions. The same data gives
// the same answers on SQLite (FTS5 + the pitstop_cjk tokenizer) and PostgreSQL (GIN on the
// same tokens): the expected answers below are exact, not backend-specific.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { api, assertProblem } from './lib.mjs';
import { newApprovedProvider } from './provider_lib.mjs';

// A Latin word no other test uses, so results can be asserted exactly.
const tag = 'zq' + Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz'[randomInt(26)]).join('');
let brake, oil;

const search = (q, extra = '') => api('GET', `/api/v1/search?q=${encodeURIComponent(q)}${extra}`);
const hits = (res) => res.body.items.map((i) => `${i.type}:${i.id}`);

describe('search', () => {
  before(async () => {
    brake = await newApprovedProvider({
      name: `${tag} 刹车专修中心`, address: '杭州市西湖区文三路 100 号', city: '杭州', weekly: [],
      services: [{ service_type: 'brake_pads', price_fen: 45000, duration_min: 90, description: '进口刹车片，含工时' }],
    });
    oil = await newApprovedProvider({
      name: `${tag} 快修`, address: '成都市武侯区人民南路 8 号', city: '成都', weekly: [],
      services: [{ service_type: 'oil_change', name: 'BYD 专用机油保养', price_fen: 29900, duration_min: 60,
        description: 'Fully synthetic oil for BYD hybrids' }],
    });
  });

  test('two-character Chinese words match (刹车, 机油, 保养)', async () => {
    const r1 = await search(`${tag} 刹车`);
    assert.equal(r1.status, 200);
    // the provider (name) first, then its service (刹车片更换 + description)
    assert.deepEqual(hits(r1), [`provider:${brake.providerId}`, `service:${brake.serviceId}`]);
    assert.deepEqual(hits(await search(`${tag} 机油`)), [`service:${oil.serviceId}`]);
    assert.deepEqual(hits(await search(`${tag} 保养`)), [`service:${oil.serviceId}`]);
    const item = (await search(`${tag} 机油`)).body.items[0];
    assert.equal(item.title, 'BYD 专用机油保养 机油保养');
    assert.equal(item.provider_id, oil.providerId);
    assert.match(item.snippet, /¥299\.00/);
  });

  test('longer Chinese, addresses, English and mixed queries', async () => {
    // a service's text includes its shop's name, so the shop's full name finds both
    assert.deepEqual(hits(await search(`${tag} 刹车专修中心`)), [`provider:${brake.providerId}`, `service:${brake.serviceId}`]);
    assert.deepEqual(hits(await search(`${tag} 文三路`)), [`provider:${brake.providerId}`]);
    assert.deepEqual(hits(await search(`${tag} BYD 保养`)), [`service:${oil.serviceId}`]);
    assert.deepEqual(hits(await search(`${tag.toUpperCase()} synthetic`)), [`service:${oil.serviceId}`]);
    assert.deepEqual(hits(await search(`${tag} 刹车`, '&type=service')), [`service:${brake.serviceId}`]);
    assert.deepEqual(hits(await search(`${tag} 刹车`, '&limit=1')), [`provider:${brake.providerId}`]);
    assert.deepEqual(hits(await search(`${tag} 火箭`)), []);
    // quotes and FTS syntax in the query are just text
    assert.equal((await search(`"${tag}" OR NEAR(刹车) *`)).status, 200);
  });

  test('withdrawn services leave the index', async () => {
    const p = await newApprovedProvider({ name: `${tag}x 洗车`, weekly: [], services: [{ service_type: 'car_wash', price_fen: 3000, duration_min: 30 }] });
    assert.deepEqual(hits(await search(`${tag}x 洗车`, '&type=service')), [`service:${p.serviceId}`]);
    const del = await api('DELETE', `/api/v1/providers/${p.providerId}/services/${p.serviceId}`, { token: p.admin.token });
    assert.equal(del.status, 204);
    assert.deepEqual(hits(await search(`${tag}x 洗车`, '&type=service')), []);
  });

  test('bad queries are 422', async () => {
    assertProblem(await api('GET', '/api/v1/search'), 422, 'q');
    assertProblem(await search('!!! ，。'), 422, 'q');
    assertProblem(await search('x'.repeat(201)), 422, 'q');
    assertProblem(await search('保养', '&type=garage'), 422, 'type');
    assertProblem(await search('保养', '&limit=1000'), 422, 'limit');
  });
});
