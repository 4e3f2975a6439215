// The platform's service-type catalog, fetched once and shared by every page.
import { ref } from 'vue';
import { get, itemsOf } from './api.js';
import { serviceName } from './format.js';

export const serviceTypes = ref([]);
let loading = null;

export function loadServiceTypes() {
  if (serviceTypes.value.length) return Promise.resolve(serviceTypes.value);
  if (!loading) {
    loading = get('/service-types', undefined, { auth: false })
      .then((r) => { serviceTypes.value = itemsOf(r); return serviceTypes.value; })
      .finally(() => { loading = null; });
  }
  return loading;
}

export function hasServiceType(code) {
  return serviceTypes.value.some((s) => s.code === code);
}

export function serviceLabel(code) {
  const st = serviceTypes.value.find((s) => s.code === code);
  return st ? serviceName(st) : code || '';
}

// A service type as the API gives it: a code ("brake_pads") or an object {code, name_zh, name_en}.
export function stCode(x) {
  return x && typeof x === 'object' ? x.code || '' : x || '';
}
export function stLabel(x) {
  if (x && typeof x === 'object') return hasServiceType(x.code) ? serviceLabel(x.code) : serviceName(x);
  return serviceLabel(x);
}
