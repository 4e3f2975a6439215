// The review queue the other way: a shop's application with a wrong credit-code check character
// is refused by the server next to that field; once fixed it is sent, the operator rejects it
// with a reason, and the shop sees the decision and the reason — in both languages.
import { test, describe, before, after } from 'node:test';
import { launch, person, step, msg, uniquePhone, uniqueEmail, makeUscc, OPERATOR } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const locale of ['zh-CN', 'en']) {
  describe(`application rejected (${locale})`, () => {
    test('wrong check character, fixed, rejected with a reason', async () => {
      const shop = await person(browser, locale, { mobile: true });
      const op = await person(browser, locale);
      const pages = { shop: shop.page, operator: op.page };
      const m = (k, v) => msg(locale, k, v);
      const name = (locale === 'en' ? 'Corner Garage ' : '街角修车铺 ') + Math.random().toString(36).slice(2, 7);
      const reason = locale === 'en' ? 'The licence photo is unreadable.' : '营业执照照片不清晰。';
      await step(`reject-${locale}`, pages, async () => {
        const p = shop.page;
        await p.goto('/register');
        await p.fill('input[name=name]', 'Zhao');
        await p.fill('input[name=login]', uniqueEmail('corner'));
        await p.fill('input[name=password]', 'corner-pass-1');
        await p.click('[data-test=register-submit]');
        await p.waitForURL('**/cars');
        await p.goto('/provider/apply');
        const good = makeUscc();
        const CH = '0123456789ABCDEFGHJKLMNPQRTUWXY';
        const bad = good.slice(0, 17) + CH[(CH.indexOf(good[17]) + 1) % 31];
        await p.fill('input[name=business_name]', name);
        await p.fill('input[name=uscc]', bad);
        await p.fill('input[name=city]', locale === 'en' ? 'Hangzhou' : '杭州');
        await p.fill('input[name=phone]', uniquePhone());
        await p.fill('input[name=address]', locale === 'en' ? '8 West Lake Road' : '西湖路 8 号');
        await p.fill('input[name=lat]', '30.2741');
        await p.fill('input[name=lng]', '120.1551');
        await p.check('input[name=service_types][value=car_wash]');
        await p.click('[data-test=apply-submit]');
        await p.locator('[data-field=uscc] .error').waitFor();           // the server's verdict, by the field
        await p.locator('[data-test=form-error]').getByText(m('errors.type.validation-failed')).waitFor();
        await p.fill('input[name=uscc]', good);
        await p.click('[data-test=apply-submit]');
        await p.waitForURL('**/provider?applied=1');

        const o = op.page;
        await o.goto('/login');
        await o.fill('input[name=login]', OPERATOR.login);
        await o.fill('input[name=password]', OPERATOR.password);
        await o.click('[data-test=login-submit]');
        await o.waitForURL('**/operator');
        await o.goto('/operator/applications');
        const card = o.locator('[data-test=review-application]', { hasText: name });
        await card.waitFor();
        await card.getByRole('button', { name: m('operator.reject') }).click();
        await card.locator('input[name=reason]').fill(reason);
        await card.locator('form button[type=submit]').click();
        await card.getByText(m('status.application.rejected')).waitFor();

        await p.goto('/provider');
        const app = p.locator('[data-test=application]', { hasText: name });
        await app.getByText(m('status.application.rejected')).waitFor();
        await app.getByText(reason).waitFor();
      });
      await shop.context.close();
      await op.context.close();
    });
  });
}
