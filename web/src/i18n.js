// vue-i18n set-up: zh-CN and en, the choice remembered in localStorage.
import { createI18n } from 'vue-i18n';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

const KEY = 'pitstop.locale';
export const LOCALES = ['zh-CN', 'en'];

function initial() {
  const saved = localStorage.getItem(KEY);
  if (LOCALES.includes(saved)) return saved;
  const nav = (navigator.language || '').toLowerCase();
  return nav.startsWith('zh') ? 'zh-CN' : nav.startsWith('en') ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(l) {
  if (!LOCALES.includes(l)) return;
  i18n.global.locale.value = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}
document.documentElement.lang = i18n.global.locale.value;
