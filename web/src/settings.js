// Settings of this browser: the map tile URL (no network is needed by default beyond the
// server itself; tiles are optional and the list view always works without them).
import { reactive } from 'vue';

const KEY = 'pitstop.settings';
export const DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

function load() {
  try { return { tileUrl: DEFAULT_TILES, ...JSON.parse(localStorage.getItem(KEY) || '{}') }; } catch { return { tileUrl: DEFAULT_TILES }; }
}

export const settings = reactive(load());
export function saveSettings(patch) {
  Object.assign(settings, patch);
  localStorage.setItem(KEY, JSON.stringify({ tileUrl: settings.tileUrl }));
}
