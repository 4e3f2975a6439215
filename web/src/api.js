// The one API client every page goes through: JSON in and out, Bearer token, one refresh
// (rotating refresh token) on 401, and RFC 9457 problem documents turned into ApiError.
import { session, saveSession, clearSession } from './session.js';

export const BASE = '/api/v1';

export class ApiError extends Error {
  constructor({ status = 0, type = '', title = '', detail = '', errors = [], network = false, retryAfter = null } = {}) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.type = type;
    this.slug = type ? String(type).split(/[/#]/).filter(Boolean).pop() : '';
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(errors) ? errors : [];
    this.network = network;
    this.retryAfter = retryAfter;
  }
  // { field: message } for showing next to form fields.
  get fields() {
    const out = {};
    for (const e of this.errors) {
      if (e && e.field && !out[e.field]) out[e.field] = e.message || '';
    }
    return out;
  }
}

let refreshing = null;
let onSignedOut = () => {};
export function setSignedOutHandler(fn) { onSignedOut = fn; }

async function refreshTokens() {
  if (!refreshing) {
    const token = session.data && session.data.refresh_token;
    refreshing = (async () => {
      if (!token) return false;
      try {
        const res = await fetch(BASE + '/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ refresh_token: token }),
        });
        if (!res.ok) return false;
        saveSession(await res.json());
        return true;
      } catch {
        return false;
      }
    })().finally(() => { setTimeout(() => { refreshing = null; }, 0); });
  }
  return refreshing;
}

function buildUrl(path, query) {
  let url = path.startsWith('/api/') ? path : BASE + path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

async function toError(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  return new ApiError({
    status: res.status,
    type: body && body.type,
    title: body && body.title,
    detail: body && body.detail,
    errors: body && body.errors,
    retryAfter: res.headers.get('retry-after'),
  });
}

/**
 * request('GET', '/vehicles', { query, body, form, idempotencyKey, auth })
 * Resolves to the parsed JSON (null for 204); rejects with ApiError.
 */
export async function request(method, path, opts = {}) {
  const { query, body, form, idempotencyKey, auth = true, signal } = opts;
  const url = buildUrl(path, query);
  const attempt = async () => {
    const headers = { accept: 'application/json, application/problem+json' };
    let payload;
    if (form) payload = form;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (auth && session.data) headers.authorization = 'Bearer ' + session.data.access_token;
    return fetch(url, { method, headers, body: payload, signal });
  };
  let res;
  try {
    res = await attempt();
    if (res.status === 401 && auth && session.data) {
      if (await refreshTokens()) res = await attempt();
      else {
        clearSession();
        onSignedOut();
      }
    }
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ network: true, detail: String(e && e.message) });
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

export const get = (path, query, opts = {}) => request('GET', path, { ...opts, query });
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });
export const del = (path, opts = {}) => request('DELETE', path, opts);

// A new key per user action (a retried click of the same action reuses it).
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// Lists answer {items, next_cursor}; some answers are plain arrays. Always give an array.
export function itemsOf(res, key = 'items') {
  if (Array.isArray(res)) return res;
  if (res && Array.isArray(res[key])) return res[key];
  return [];
}

// Fetch every page of a list (bounded).
export async function getAll(path, query = {}, maxPages = 10) {
  const out = [];
  let cursor;
  for (let i = 0; i < maxPages; i++) {
    const res = await get(path, { limit: 100, ...query, cursor });
    out.push(...itemsOf(res));
    cursor = res && res.next_cursor;
    if (!cursor) break;
  }
  return out;
}

// An authenticated binary download (uploaded photos need the Bearer token), as a Blob.
export async function getBlob(path) {
  const attempt = () => fetch(buildUrl(path), { headers: session.data ? { authorization: 'Bearer ' + session.data.access_token } : {} });
  let res = await attempt();
  if (res.status === 401 && session.data && await refreshTokens()) res = await attempt();
  if (!res.ok) throw await toError(res);
  return res.blob();
}

export async function upload(file) {
  const form = new FormData();
  form.append('file', file);
  return request('POST', '/uploads', { form });
}

// Auth helpers
export async function login(loginName, password) {
  const res = await request('POST', '/auth/login', { body: { login: loginName, password }, auth: false });
  saveSession(res);
  return res;
}
export async function logout() {
  const token = session.data && session.data.refresh_token;
  try {
    if (token) await request('POST', '/auth/logout', { body: { refresh_token: token } });
  } catch { /* signed out locally either way */ }
  clearSession();
}
