// The owner's cars, for pickers on several pages.
import { get, itemsOf } from '../api.js';
import { useLoad } from './useLoad.js';

export function useCars() {
  return useLoad(async () => itemsOf(await get('/vehicles', { limit: 100 })), { initial: [] });
}
export function carLabel(c) {
  if (!c) return '';
  const name = c.nickname || [c.make || c.manufacturer, c.model_year].filter(Boolean).join(' ') || c.vin;
  return c.plate ? `${name} (${c.plate})` : name;
}
