// The signed-in session: tokens and the user, kept in localStorage so a reload stays signed in.
import { reactive, computed } from 'vue';

const KEY = 'pitstop.session';

function load() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) || 'null');
    if (s && s.access_token && s.refresh_token) return s;
  } catch { /* a damaged entry is the same as none */ }
  return null;
}

export const session = reactive({ data: load() });

export function saveSession(tokens) {
  const prev = session.data || {};
  session.data = {
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    user: tokens.user || prev.user || null,
  };
  localStorage.setItem(KEY, JSON.stringify(session.data));
}

export function setUser(user) {
  if (!session.data) return;
  session.data = { ...session.data, user };
  localStorage.setItem(KEY, JSON.stringify(session.data));
}

export function clearSession() {
  session.data = null;
  localStorage.removeItem(KEY);
}

// Roles come with the user; the access token carries them too (read for display only,
// the server checks every request).
function tokenRoles(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(decodeURIComponent(escape(atob(part))));
    return Array.isArray(json.roles) ? json.roles : [];
  } catch {
    return [];
  }
}

export const signedIn = computed(() => !!session.data);
export const roles = computed(() => {
  if (!session.data) return [];
  const u = session.data.user || {};
  const fromUser = Array.isArray(u.roles) ? u.roles.map((r) => (typeof r === 'string' ? r : r.role)) : [];
  return [...new Set([...fromUser, ...tokenRoles(session.data.access_token)])].filter(Boolean);
});
export const isOperator = computed(() => roles.value.some((r) => ['operator', 'reviewer', 'support', 'analyst'].includes(r)));
