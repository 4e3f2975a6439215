// Small helpers shared by the owner's and the provider's order views.
export const ORDER_FLOW = ['pending_payment', 'paid', 'accepted', 'in_service', 'completed'];
export const ACTIVE = ['pending_payment', 'paid', 'accepted', 'in_service'];

export function providerName(o) {
  return o.provider_name || (o.provider && o.provider.name) || '';
}
// Progress updates: timeline events of kind "update" (text and photos).
export function updatesOf(o) {
  if (Array.isArray(o.updates)) return o.updates;
  return (o.timeline || []).filter((e) => e.kind === 'update');
}
// Photo URLs of one update (API paths that need the token: show them with AuthImage).
export function photoUrls(u) {
  const list = [];
  for (const p of u.photos || []) list.push(typeof p === 'string' ? p : p.url);
  if (!list.length) for (const id of u.photo_ids || []) list.push(`/api/v1/uploads/${encodeURIComponent(id)}`);
  return list.filter(Boolean);
}
// Extra items proposed by the shop (GET /orders/{id} "items").
export function extraItems(o) {
  const src = Array.isArray(o.extra_items) ? o.extra_items : Array.isArray(o.items) ? o.items : [];
  return src.filter((x) => x && x.id && x.price_fen !== undefined);
}
