// Which provider the signed-in user works for, and their applications. The server decides;
// this only remembers the choice between pages. Looks in GET /me (providers) and in the
// user's own applications (GET /provider-applications), whichever the server offers.
import { reactive, computed } from 'vue';
import { get, itemsOf } from '../api.js';

const KEY = 'pitstop.provider_id';
export const ctx = reactive({ loading: false, loaded: false, error: null, providers: [], applications: [], currentId: localStorage.getItem(KEY) || '' });

function normaliseProviders(me) {
  const raw = me.providers || me.provider_roles || me.memberships || [];
  const out = new Map();
  for (const p of raw) {
    const id = p.provider_id || p.id;
    if (!id) continue;
    const prev = out.get(id) || { id, name: p.provider_name || p.name || '', roles: [] };
    for (const r of [].concat(p.roles || p.role || [])) if (!prev.roles.includes(r)) prev.roles.push(r);
    out.set(id, prev);
  }
  return [...out.values()];
}

export async function loadProviderContext() {
  ctx.loading = true;
  ctx.error = null;
  try {
    const [me, apps] = await Promise.all([
      get('/me'),
      get('/provider-applications', { limit: 50 }).catch((e) => { if (e.status === 404 || e.status === 405) return { items: [] }; throw e; }),
    ]);
    const user = me.user || me;
    ctx.applications = itemsOf(apps);
    const list = normaliseProviders(user);
    for (const a of ctx.applications) {
      if (a.provider_id && !list.some((p) => p.id === a.provider_id)) list.push({ id: a.provider_id, name: a.business_name || '', roles: ['provider_admin'] });
    }
    for (const p of list) {
      const app = ctx.applications.find((a) => a.provider_id === p.id);
      if (!p.name && app) p.name = app.business_name || '';
    }
    await Promise.all(list.filter((p) => !p.name).map((p) => get(`/providers/${p.id}`, undefined, { auth: false })
      .then((d) => { p.name = d.name || ''; }).catch(() => {})));
    ctx.providers = list;
    if (!list.some((p) => p.id === ctx.currentId)) ctx.currentId = list.length ? list[0].id : '';
    if (ctx.currentId) localStorage.setItem(KEY, ctx.currentId);
    ctx.loaded = true;
  } catch (e) {
    ctx.error = e;
  } finally {
    ctx.loading = false;
  }
}

export function selectProvider(id) {
  ctx.currentId = id;
  localStorage.setItem(KEY, id);
}
export const currentProvider = computed(() => ctx.providers.find((p) => p.id === ctx.currentId) || null);
export const providerId = computed(() => ctx.currentId);
