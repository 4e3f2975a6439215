// The app shell itself: SPA routes fall back to index.html, the PWA manifest and service worker
// are served, the language switch is remembered, and a narrow phone screen has no sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person, step, msg, makeVin } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('deep links load the app (history mode)', async () => {
  const res = await fetch(BASE + '/orders/some-order');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<div id="app">/);
});

test('PWA manifest and service worker are served; the worker never caches the API', async () => {
  const man = await fetch(BASE + '/manifest.webmanifest');
  assert.equal(man.status, 200);
  const manifest = JSON.parse(await man.text());
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
  const sw = await fetch(BASE + '/sw.js');
  assert.equal(sw.status, 200);
  const src = await sw.text();
  assert.match(src, /startsWith\('\/api\/'\)/);
  const shell = JSON.parse(src.match(/const SHELL = (\[.*?\]);/)[1]);
  assert.ok(shell.every((p) => !p.startsWith('/api/')));
});

test('language switch is remembered across reloads', async () => {
  const { context, page } = await person(browser, 'zh-CN', { mobile: true });
  await step('shell-language', { page }, async () => {
    await page.goto('/login');
    await page.getByText(msg('zh-CN', 'auth.login_title')).waitFor();
    await page.selectOption('#lang-switch', 'en');
    await page.getByText(msg('en', 'auth.login_title')).waitFor();
    await page.reload();
    await page.getByText(msg('en', 'auth.login_title')).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('pitstop.locale')), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
  await context.close();
});

test('wrong password shows the problem in words, at 375 px without sideways scrolling', async () => {
  for (const locale of ['zh-CN', 'en']) {
    const { context, page } = await person(browser, locale, { mobile: true });
    await step(`shell-login-error-${locale}`, { page }, async () => {
      await page.goto('/login');
      await page.fill('input[name=login]', 'nobody.' + Date.now() + '@example.com');
      await page.fill('input[name=password]', 'wrong-password-1');
      await page.click('[data-test=login-submit]');
      const err = page.locator('[data-test=form-error]');
      await err.waitFor();
      const shown = await err.innerText();
      assert.ok([msg(locale, 'errors.type.invalid-credentials'), msg(locale, 'errors.status.401')].some((s) => shown.includes(s)), shown);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    });
    await context.close();
  }
});

test('an expired access token is refreshed once, with the rotated refresh token kept', async () => {
  const login = 'refresh.' + Date.now() + '@example.com';
  const password = 'refresh-pass-1';
  const post = (path, body) => fetch(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await post('/api/v1/auth/register', { email: login, password, name: 'Refresh' })).status, 201);
  const tokens = await (await post('/api/v1/auth/login', { login, password })).json();
  const { context, page } = await person(browser, 'en', { mobile: true });
  await step('shell-refresh', { page }, async () => {
    const stale = JSON.stringify({ ...tokens, access_token: tokens.access_token.slice(0, -4) + 'AAAA' });
    await page.addInitScript((s) => { if (!sessionStorage.getItem('seeded')) { localStorage.setItem('pitstop.session', s); sessionStorage.setItem('seeded', '1'); } }, stale);
    await page.goto('/cars');
    await page.getByText(msg('en', 'cars.empty')).waitFor();
    const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('pitstop.session')));
    assert.notEqual(saved.refresh_token, tokens.refresh_token, 'the refresh token was rotated');
    assert.notEqual(saved.access_token, tokens.access_token);
  });
  await context.close();
});

test('the service worker installs and caches the app shell, never an API answer', async () => {
  const { context, page } = await person(browser, 'en', { serviceWorkers: 'allow' });
  await step('shell-service-worker', { page }, async () => {
    await page.goto('/login');
    await page.getByText(msg('en', 'auth.login_title')).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.fill('input[name=login]', 'nobody.sw@example.com');
    await page.fill('input[name=password]', 'wrong-password-1');
    await page.click('[data-test=login-submit]');
    await page.locator('[data-test=form-error]').waitFor();
    const cached = await page.evaluate(async () => {
      const out = [];
      for (const name of await caches.keys()) {
        for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
      }
      return out;
    });
    assert.ok(cached.includes('/index.html'), `shell cached: ${cached.join(' ')}`);
    assert.ok(cached.some((u) => u.startsWith('/assets/')), 'hashed assets cached');
    assert.ok(!cached.some((u) => u.startsWith('/api/')), 'no API answer cached');
  });
  await context.close();
});

test('field errors appear next to the field: the server (VIN check digit) and as you type (plate)', async () => {
  const login = 'fields.' + Date.now() + '@example.com';
  const password = 'fields-pass-1';
  const post = (path, body) => fetch(BASE + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await post('/api/v1/auth/register', { email: login, password, name: 'Fields' })).status, 201);
  const tokens = await (await post('/api/v1/auth/login', { login, password })).json();
  for (const locale of ['zh-CN', 'en']) {
    const { context, page } = await person(browser, locale, { mobile: true });
    await step(`shell-field-errors-${locale}`, { page }, async () => {
      await page.addInitScript((s) => { if (!localStorage.getItem('pitstop.session')) localStorage.setItem('pitstop.session', s); }, JSON.stringify(tokens));
      await page.goto('/cars/new');
      const good = makeVin('LSV');
      const bad = good.slice(0, 8) + (good[8] === '1' ? '2' : '1') + good.slice(9);   // wrong check digit
      await page.fill('input[name=vin]', bad);
      await page.locator('[data-field=vin] .error').waitFor();
      assert.equal(await page.locator('input[name=vin]').getAttribute('aria-invalid'), 'true');
      await page.fill('input[name=vin]', good);
      await page.locator('[data-test=vin-decoded]').waitFor();
      await page.fill('input[name=plate]', 'ABC');
      await page.locator('input[name=plate]').blur();
      await page.getByText(msg(locale, 'validation.plate')).waitFor();
    });
    await context.close();
  }
});
