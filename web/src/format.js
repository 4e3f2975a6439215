// Display helpers: money in fen, dates and times in the chosen language, problem documents in words.
import { i18n } from './i18n.js';

const t = (...a) => i18n.global.t(...a);
const te = (k) => i18n.global.te(k) || i18n.global.te(k, 'en');
const loc = () => (i18n.global.locale.value === 'zh-CN' ? 'zh-CN' : 'en-GB');

export function money(fen) {
  if (fen === null || fen === undefined || fen === '') return '—';
  const n = Number(fen);
  if (!Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(Math.trunc(n));
  const yuan = Math.floor(a / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(a % 100).padStart(2, '0')}`;
}

// Yuan typed by a person ("12.5") to integer fen (1250); NaN when not a valid amount.
export function yuanToFen(s) {
  const m = String(s ?? '').trim().match(/^(\d{1,9})(?:\.(\d{0,2}))?$/);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}
export function fenToYuan(fen) {
  if (fen === null || fen === undefined) return '';
  return (Number(fen) / 100).toFixed(2);
}

// Times are shown in the platform's time zone (shops' default, SPEC §5), so that a slot reads
// the same for the owner and the shop whatever the device's own zone is.
export const TIME_ZONE = 'Asia/Shanghai';

export function date(v) {
  if (!v) return '—';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(v + 'T00:00:00') : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  return d.toLocaleDateString(loc(), { year: 'numeric', month: 'short', day: 'numeric', ...(dateOnly ? {} : { timeZone: TIME_ZONE }) });
}
// "Tue 24 Nov" / "11月24日周二" for a YYYY-MM-DD day.
export function shortDay(v) {
  const d = new Date(v + 'T12:00:00Z');
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleDateString(loc(), { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
}
export function dateTime(v) {
  if (!v) return '—';
  const d = typeof v === 'number' ? new Date(v) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleString(loc(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });
}
export function time(v) {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleTimeString(loc(), { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });
}
export function km(n) {
  if (n === null || n === undefined) return '—';
  return `${Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 })} km`;
}
// YYYY-MM-DD of an instant in the platform's time zone.
export function isoDate(d) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// A problem document (ApiError) in words a user understands.
export function problemText(err) {
  if (!err) return '';
  if (err.network) return t('errors.network');
  if (!err.status) return t('errors.generic');
  const bySlug = 'errors.type.' + String(err.slug || '').replace(/[^a-z0-9_-]/gi, '');
  let msg;
  if (err.slug && te(bySlug)) msg = t(bySlug);
  else if (te('errors.status.' + err.status)) msg = t('errors.status.' + err.status);
  else if (err.status >= 500) msg = t('errors.status.500');
  else msg = t('errors.generic');
  if (err.status === 429 && err.retryAfter) {
    msg += ' ' + t('errors.retry_after', { minutes: Math.max(1, Math.ceil(Number(err.retryAfter) / 60)) });
  }
  return msg;
}

export function serviceName(st) {
  if (!st) return '';
  return i18n.global.locale.value === 'zh-CN' ? (st.name_zh || st.name_en || st.code) : (st.name_en || st.name_zh || st.code);
}
