// The core loop through the real UI, once in Chinese and once in English:
// a new shop applies; the operator approves it; the shop publishes its hours and a service;
// a new owner signs up and adds a car by VIN; the owner compares prices, books, pays, follows the work
// (photo, extra item approved and paid), the shop completes, the owner reviews and sees the
// service record verified in the browser.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, person, step, msg, uniquePhone, uniqueEmail, makeVin, makeUscc, pngBytes, assertFitsScreen, OPERATOR } from './helpers.mjs';

const text = (page, s) => page.getByText(s, { exact: false }).first();

for (const locale of ['zh-CN', 'en']) {
  describe(`core journey (${locale})`, () => {
    let browser;
    let owner, shop, op;
    const pages = {};
    const m = (k, v) => msg(locale, k, v);
    const ownerLogin = uniquePhone();
    const shopLogin = uniqueEmail('shop');
    const password = 'journey' + Math.floor(Math.random() * 1e6) + 'x';
    const vin = makeVin('LSV');
    const shopName = (locale === 'en' ? 'Quick Lane Auto ' : '快修养车 ') + Math.random().toString(36).slice(2, 7);
    const serviceName = (locale === 'en' ? 'Full synthetic oil change ' : '全合成机油保养 ') + Math.random().toString(36).slice(2, 5);
    // A spot of its own in Shanghai, so the owner searching from there finds this shop first
    // whatever other shops the database holds.
    const shopLat = (31.10 + Math.random() * 0.2).toFixed(6);
    const shopLng = (121.30 + Math.random() * 0.3).toFixed(6);
    let orderUrl = '';
    let failed = false;
    const guard = (name, fn) => test(name, async (t) => {
      if (failed) { t.skip('an earlier step failed'); return; }
      try { await step(`${locale}-${name}`, pages, fn); } catch (e) { failed = true; throw e; }
    });

    before(async () => {
      browser = await launch();
      owner = await person(browser, locale, { mobile: true });
      shop = await person(browser, locale);
      op = await person(browser, locale);
      Object.assign(pages, { owner: owner.page, shop: shop.page, operator: op.page });
    });
    after(async () => {
      for (const p of [owner, shop, op]) if (p) assert.deepEqual(p.errors, [], 'no uncaught errors in the page');
      await browser?.close();
    });

    guard('a shop signs up and applies', async () => {
      const p = shop.page;
      await p.goto('/register');
      await p.fill('input[name=name]', locale === 'en' ? 'Wang Fang' : '王芳');
      await p.fill('input[name=login]', shopLogin);
      await p.fill('input[name=password]', password);
      await p.click('[data-test=register-submit]');
      await p.waitForURL('**/cars');
      await p.goto('/provider/apply');
      await p.locator('[data-test=apply-form]').waitFor();
      await p.fill('input[name=business_name]', shopName);
      await p.fill('input[name=uscc]', 'ABC');
      await text(p, m('validation.uscc')).waitFor();
      await p.fill('input[name=uscc]', makeUscc());
      await p.fill('input[name=city]', locale === 'en' ? 'Shanghai' : '上海');
      await p.fill('input[name=phone]', uniquePhone());
      await p.fill('input[name=address]', locale === 'en' ? '1 Nanjing Road' : '南京东路 1 号');
      await p.fill('input[name=lat]', shopLat);
      await p.fill('input[name=lng]', shopLng);
      await p.check('input[name=service_types][value=oil_change]');
      await p.click('[data-test=apply-submit]');
      await p.waitForURL('**/provider?applied=1');
      const app = p.locator('[data-test=application]', { hasText: shopName });
      await app.waitFor();
      await app.getByText(m('status.application.pending')).waitFor();
    });

    guard('the operator approves the shop', async () => {
      const p = op.page;
      await p.goto('/login');
      await p.fill('input[name=login]', OPERATOR.login);
      await p.fill('input[name=password]', OPERATOR.password);
      await p.click('[data-test=login-submit]');
      await p.waitForURL('**/operator');
      await p.locator('[data-test=dashboard]').waitFor();
      await p.goto('/operator/applications');
      const card = p.locator('[data-test=review-application]', { hasText: shopName });
      await card.waitFor();
      await card.locator('[data-test=approve]').click();
      await card.getByText(m('status.application.approved')).waitFor();
    });

    guard('the shop publishes its hours and a service', async () => {
      const p = shop.page;
      await p.goto('/provider');
      await p.click('[data-test=refresh-status]');
      await p.locator('[data-test=application]', { hasText: shopName }).getByText(m('status.application.approved')).waitFor();
      await p.click('[data-test=tab-schedule]');
      await p.locator('[data-test=schedule-form]').waitFor();
      await p.fill('input[name=bays]', '2');
      for (let d = 1; d <= 7; d++) {
        const box = p.locator(`input[name=open-${d}]`);
        if (!(await box.isChecked())) await box.check();
        await p.fill(`#from-${d}`, '08:00');
        await p.fill(`#to-${d}`, '20:00');
      }
      await p.click('[data-test=schedule-submit]');
      await p.locator('[data-test=schedule-saved]').waitFor();
      await p.click('[data-test=tab-services]');
      await p.locator('[data-test=service-form]').waitFor();
      await p.selectOption('select[name=service_type]', 'oil_change');
      await p.fill('input[name=name]', serviceName);
      await p.fill('input[name=price]', '3.999');
      await text(p, m('validation.money')).waitFor();                      // at most two decimals
      await p.fill('input[name=price]', '399.00');
      await p.fill('input[name=duration_min]', '60');
      await p.fill('input[name=labor]', '120');
      await p.fill('input[name=parts]', '279');
      await p.click('[data-test=service-submit]');
      await p.locator('[data-test=service-row]', { hasText: serviceName }).waitFor();
    });

    guard('owner signs up', async () => {
      const p = owner.page;
      await p.goto('/register');
      await text(p, m('auth.register_title')).waitFor();
      await p.fill('input[name=name]', locale === 'en' ? 'Li Lei' : '李雷');
      await p.fill('input[name=login]', ownerLogin);
      await p.fill('input[name=password]', 'short');
      await text(p, m('validation.password')).waitFor();          // validated as you type
      await p.fill('input[name=password]', password);
      await p.click('[data-test=register-submit]');
      await p.waitForURL('**/cars');
      await text(p, m('cars.empty')).waitFor();
    });

    guard('owner adds a car by VIN and sees it decoded', async () => {
      const p = owner.page;
      await p.click('[data-test=add-car]');
      await p.waitForURL('**/cars/new');
      await p.fill('input[name=vin]', vin.slice(0, 10));
      await p.locator('input[name=vin]').blur();
      await text(p, m('validation.vin_length')).waitFor();                 // checked as you type
      await p.fill('input[name=vin]', vin);
      const decoded = p.locator('[data-test=vin-decoded]');
      await decoded.waitFor();
      assert.match(await decoded.innerText(), /Volkswagen|大众|SAIC|上汽/i);
      await p.fill('input[name=plate]', '沪A' + String(Math.floor(Math.random() * 90000) + 10000));
      await p.fill('input[name=odometer_km]', '23000');
      await p.fill('input[name=registration_date]', '2021-05-10');
      await p.click('[data-test=car-submit]');
      await p.waitForURL(/\/cars\/[^/]+$/);
      await p.locator('[data-test=car-title]').waitFor();
      await p.locator('[data-test=reminders], .state').first().waitFor();
      await assertFitsScreen(p);
    });

    guard('the owner compares prices and books a slot', async () => {
      const p = owner.page;
      await p.goto('/shops');
      await p.locator('[data-test=shops-form]').waitFor();
      await p.selectOption('select[name=service_type]', 'oil_change');
      await p.selectOption('select[name=sort]', 'distance');
      await p.click('[data-test=shops-form] summary');
      await p.fill('input[name=lat]', shopLat);
      await p.fill('input[name=lng]', shopLng);
      await p.click('[data-test=shops-search]');
      const item = p.locator('[data-test=shop-item]', { hasText: shopName });
      await item.waitFor();
      assert.match(await item.innerText(), /¥399\.00/);
      await assertFitsScreen(p);
      await item.locator('[data-test=book-shop]').click();
      await p.waitForURL(/\/book\//);
      await p.locator('[data-test=book-form]').waitFor();
      await assertFitsScreen(p);
      await p.locator('[data-test=days] .chip').nth(1).click();     // tomorrow: the whole day is open
      const slot = p.locator('[data-test=slot]:not([disabled])').first();
      await slot.waitFor();
      await slot.click();
      await p.click('[data-test=book-submit]');
      await p.waitForURL(/\/orders\/[^/]+$/);
      orderUrl = new URL(p.url()).pathname;
      await p.locator('[data-status=pending_payment]').waitFor();
    });

    guard('the owner pays through the sandbox', async () => {
      const p = owner.page;
      await p.click('[data-test=pay]');
      await p.locator('[data-test=order-status][data-status=paid], [data-status=paid]').first().waitFor({ timeout: 30000 });
    });

    guard('the shop accepts, checks the car in and posts progress with a photo and an extra item', async () => {
      const p = shop.page;
      await p.click('[data-test=tab-orders]');
      await p.locator('[data-test=board]').waitFor();
      const col = (c) => p.locator(`[data-column=${c}] [data-test=board-order]`).first();
      await col('paid').waitFor();
      await col('paid').locator('[data-test=accept]').click();
      await col('accepted').locator('[data-test=start]').click();
      await col('in_service').locator('[data-test=work]').click();
      const work = p.locator('[data-test=order-work]');
      await work.waitFor();
      await work.locator('textarea[name=text]').fill(locale === 'en' ? 'Old oil drained; front brake pads are worn.' : '旧机油已放出；前刹车片磨损严重。');
      await work.locator('[data-test=photo-input]').setInputFiles({ name: 'pads.png', mimeType: 'image/png', buffer: pngBytes() });
      await work.locator('[data-test=uploaded] img').waitFor();
      await work.locator('[data-test=add-extra]').click();
      await work.locator('[data-test=extra-name]').fill(locale === 'en' ? 'Front brake pads' : '前刹车片');
      await work.locator('[data-test=extra-price]').fill('180');
      await work.locator('[data-test=send-update]').click();
      await work.getByText(m('status.extra.pending')).waitFor();
    });

    guard('the owner sees the photo, approves the extra item and pays it', async () => {
      const p = owner.page;
      await p.goto(orderUrl);
      await p.locator('[data-test=updates] img').first().waitFor();
      const extra = p.locator('[data-test=extra-item]').first();
      await extra.locator('[data-test=extra-approve]').click();
      await extra.getByText(m('status.extra.approved')).waitFor();
      const pay = p.locator('[data-test=pay]');
      await pay.waitFor();
      assert.match(await pay.innerText(), /¥180\.00/);
      await pay.click();
      await pay.waitFor({ state: 'detached', timeout: 30000 });
    });

    guard('the shop completes the order', async () => {
      const p = shop.page;
      const work = p.locator('[data-test=order-work]');
      await work.locator('input[name=odometer_km]').fill('23050');
      await work.locator('input[name=technician]').fill(locale === 'en' ? 'Zhang Wei' : '张伟');
      await work.locator('[data-test=part-name]').first().fill(locale === 'en' ? '5W-30 oil, 4 L' : '5W-30 机油 4L');
      await work.locator('[data-test=part-qty]').first().fill('1');
      await work.locator('[data-test=part-price]').first().fill('279');
      await work.locator('[data-test=complete]').click();
      await p.locator('[data-column=completed] [data-test=board-order]').first().waitFor();
    });

    guard('the owner reviews and sees the record verified in the browser', async () => {
      const p = owner.page;
      await p.goto(orderUrl);
      await p.locator('[data-test=order-status][data-status=completed], [data-status=completed]').first().waitFor();
      await p.locator('[data-test=review-form]').waitFor();
      await p.click('[data-test=star-5]');
      await p.fill('textarea[name=comment]', locale === 'en' ? 'Clear prices and photos of the work.' : '价格透明，还有施工照片。');
      await p.click('[data-test=review-submit]');
      await p.locator('[data-test=review-done]').waitFor();
      await assertFitsScreen(p);
      const badge = p.locator('[data-test=verify-badge]');
      await badge.waitFor({ timeout: 30000 });
      await p.locator('[data-test=verify-badge][data-state=ok]').waitFor({ timeout: 30000 });
      assert.match(await badge.innerText(), new RegExp(m('verify.ok')));
    });

    guard('the car history shows the verified record', async () => {
      const p = owner.page;
      await p.goto('/cars');
      await p.locator('[data-test=car-card]').first().click();
      await p.click('[data-test=tab-history]');
      const rec = p.locator('[data-test=service-record]').first();
      await rec.waitFor();
      await rec.locator('[data-test=verify-badge][data-state=ok]').waitFor({ timeout: 30000 });
      // a record of the owner's own: kept, marked as such, never "verified"
      await p.click('button[aria-expanded]');
      const form = p.locator('[data-test=record-form]');
      await form.locator('input[name=title]').fill(locale === 'en' ? 'Car wash' : '洗车');
      await form.locator('input[name=cost]').fill('35');
      await form.locator('button[type=submit]').click();
      const own = p.locator('[data-test=service-record]', { hasText: m('cars.owner_record') });
      await own.waitFor();
      assert.equal(await own.locator('[data-test=verify-badge]').count(), 0);
    });

    guard('a tampered record or tree head is caught by the browser check', async () => {
      const p = owner.page;
      const tamper = async (pattern, change) => {
        await p.route(pattern, async (route) => {
          const res = await route.fetch();
          const body = await res.json();
          await route.fulfill({ response: res, json: change(body) });
        });
        await p.goto(orderUrl);
        await p.locator('[data-test=verify-badge][data-state=failed]').waitFor({ timeout: 30000 });
        await p.unroute(pattern);
      };
      // the shop's odometer reading changed in the leaf the server hands out
      await tamper('**/api/v1/transparency/leaves/*', (b) => ({ ...b, leaf_data: b.leaf_data.replace(/"odometer_km":(\d+)/, (_, n) => `"odometer_km":${Number(n) - 1000}`) }));
      // a tree head whose root does not match its signature
      await tamper('**/api/v1/transparency/sth', (b) => ({ ...b, tree_size: Number(b.tree_size) + 1 }));
      await p.goto(orderUrl);
      await p.locator('[data-test=verify-badge][data-state=ok]').waitFor({ timeout: 30000 });
    });

    guard('the shop replies to the review', async () => {
      const p = shop.page;
      await p.goto('/provider');
      const input = p.locator('input[id^=reply-]').first();
      await input.waitFor();
      const text = locale === 'en' ? 'Thank you, see you next time!' : '感谢您的好评，欢迎再来！';
      await input.fill(text);
      await input.press('Enter');
      await p.getByText(text).waitFor();
    });

    guard('the shop sees its finance summary and adds a technician', async () => {
      const p = shop.page;
      await p.goto('/provider/finance');
      await p.locator('[data-test=finance]').waitFor();
      await p.goto('/provider/staff');
      await p.locator('[data-test=staff-form]').waitFor();
      await p.fill('[data-test=staff-form] input[name=login]', ownerLogin);     // any registered account
      await p.selectOption('[data-test=staff-form] select[name=role]', 'technician');
      await p.click('[data-test=staff-submit]');
      await p.locator('[data-test=staff-added]').waitFor();
    });

    guard('the owner has notifications about the order', async () => {
      const p = owner.page;
      await p.goto('/notifications');
      await p.locator('[data-test=notifications] li').first().waitFor({ timeout: 30000 });
    });

    guard('the operator sees the dashboard and the audit log', async () => {
      const p = op.page;
      await p.goto('/operator');
      await p.locator('[data-test=dashboard]').waitFor();
      await p.locator('[data-test=dashboard] .chart svg').first().waitFor();
      await p.goto('/operator/audit');
      await p.locator('[data-test=audit] tbody tr').first().waitFor();
    });
  });
}
