import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';
import { i18n } from './i18n.js';
import { setSignedOutHandler } from './api.js';
import './styles.css';

setSignedOutHandler(() => {
  const here = router.currentRoute.value;
  if (!here.meta.guest) router.push({ path: '/login', query: { next: here.fullPath, expired: '1' } });
});

createApp(App).use(i18n).use(router).mount('#app');

// The service worker caches the app shell only (see scripts/sw.template.js).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => { navigator.serviceWorker.register('/sw.js').catch(() => {}); });
}
