// Small helpers shared by the owner's and the provider's order views.
export const ORDER_FLOW = ['pending_payment', 'paid', 'accepted', 'in_service', 'completed'];
export const ACTIVE = ['pending_payment', 'paid', 'accepted', 'in_service'];

export function providerName(o) {
  return o.provider_name || (o.provider && o.provider.name) || '';
}
export function photoUrls(u) {
  const list = [];
  for (const p of u.photos || []) list.push(typeof p === 'string' ? p : p.url);
  for (const p of u.photo_urls || []) list.push(p);
  if (!list.length) for (const id of u.photo_ids || []) list.push(`/api/v1/uploads/${encodeURIComponent(id)}`);
  return list.filter(Boolean);
}
export function extraItems(o) {
  const seen = new Map();
  for (const x of o.extra_items || []) seen.set(x.id, x);
  for (const u of o.updates || []) for (const x of u.extra_items || []) if (x.id && !seen.has(x.id)) seen.set(x.id, x);
  return [...seen.values()];
}
