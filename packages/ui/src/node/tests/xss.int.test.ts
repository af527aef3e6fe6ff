/**
 * XSS, in Chromium: log records whose message, error and attributes are
 * `<img src=x onerror="window.__xss=1">` and `<script>window.__xss=2</script>`
 * render as characters — in the logs list, the log drawer, the job page, the
 * jobs list, the overview's top errors and the live tail — never as markup:
 * window.__xss stays undefined and no such img or script element exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from '../testing/suite.js';
import { XSS_IMG, XSS_SCRIPT } from '../testing/filled-server.js';
import { until, type UiPage } from '../testing/browser.js';

const s = browserSuite();

interface Injected { xss: string | null; imgs: number; scripts: number; handlers: number }

/** What an injection would have left in the page. */
async function injected(p: UiPage): Promise<Injected> {
  return await p.eval<Injected>(`({
    xss: typeof window.__xss === 'undefined' ? null : String(window.__xss),
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll('script')].filter((e) => (e.textContent || '').includes('__xss')).length,
    handlers: [...document.querySelectorAll('[onerror]')].length,
  })`);
}

async function assertInert(p: UiPage, where: string): Promise<void> {
  // an img's onerror fires after its (failed) load: give it the time to
  await p.page.waitForTimeout(300);
  assert.deepEqual(await injected(p), { xss: null, imgs: 0, scripts: 0, handlers: 0 }, `${where}: no injected element ran or exists`);
}

const IMG_START = '<img src=x';

test('logs list: the payloads show as text in log-message', { timeout: 60_000 }, async () => {
  const k = s.env.known;
  await s.page(async (p) => {
    await p.goto(`/logs?q=${encodeURIComponent(`job_id:${k.xssJobId}`)}`, 'logs');
    await p.page.waitForFunction(`document.querySelectorAll('[data-testid="log-message"]').length === 6`, undefined, { timeout: 15_000 });
    const messages = await p.page.getByTestId('log-message').allTextContents();
    assert.ok(messages.some((m) => m.includes(IMG_START)), `'${IMG_START}' literally in a log-message (${messages.join(' | ')})`);
    assert.ok(messages.some((m) => m.includes(XSS_IMG)), 'the whole img payload as text');
    assert.ok(messages.some((m) => m.includes(XSS_SCRIPT)), 'the whole script payload as text');
    await assertInert(p, 'logs list');
  });
});

test('log drawer: the payload message and attributes show as text', { timeout: 60_000 }, async () => {
  const k = s.env.known;
  await s.page(async (p) => {
    await p.goto(`/logs?q=${encodeURIComponent(`job_id:${k.xssJobId} level:warn`)}`, 'logs');
    await p.page.waitForFunction(`document.querySelectorAll('[data-testid="log-row"]').length === 2`, undefined, { timeout: 15_000 });
    for (const payload of [XSS_IMG, XSS_SCRIPT]) {
      await p.page.getByTestId('log-row').filter({ hasText: payload }).first().click();
      const drawer = p.page.getByTestId('log-drawer').first();
      await drawer.waitFor({ state: 'visible', timeout: 5000 });
      await p.page.waitForFunction(`(() => { const d = document.querySelector('[data-testid="log-drawer"]'); return d && d.textContent.includes(${JSON.stringify(payload)}); })()`, undefined, { timeout: 5000 });
      const text = (await drawer.textContent()) ?? '';
      // the message is one payload, the `note` attribute the other
      assert.ok(text.includes(XSS_IMG) && text.includes(XSS_SCRIPT), `the drawer shows both payloads as text: ${text.slice(0, 400)}`);
      await assertInert(p, `drawer of ${payload}`);
    }
  });
});

test('job page: the failed job\'s error and timeline show the payloads as text', { timeout: 60_000 }, async () => {
  const k = s.env.known;
  await s.page(async (p) => {
    await p.goto(`/jobs/${k.xssJobId}`, 'job');
    assert.match(await p.text('job-status'), /failed/i);
    const body = (await p.page.locator('body').textContent()) ?? '';
    assert.ok(body.includes(XSS_IMG), 'the img payload (message) as text');
    assert.ok(body.includes(XSS_SCRIPT), 'the script payload (error) as text');
    const timeline = (await p.page.getByTestId('job-timeline').first().textContent()) ?? '';
    assert.ok(timeline.includes(IMG_START), `'${IMG_START}' literally in the timeline`);
    await assertInert(p, 'job page');
  });
});

test('jobs list and overview: the payload error does not run', { timeout: 60_000 }, async () => {
  const k = s.env.known;
  await s.page(async (p) => {
    await p.goto(`/jobs?q=${encodeURIComponent(`job_id:${k.xssJobId}`)}`, 'jobs');
    await p.page.waitForFunction(`document.querySelectorAll('[data-testid="job-row"]').length === 1`, undefined, { timeout: 15_000 });
    await assertInert(p, 'jobs list');
    await p.goto('/', 'overview');
    await assertInert(p, 'overview');
    await p.goto('/machines', 'machines');
    await assertInert(p, 'machines');
  });
});

test('live tail: a payload arriving live shows as text', { timeout: 60_000 }, async () => {
  await s.page(async (p) => {
    await p.goto('/logs?live=1', 'logs');
    const marker = `xsslive${Date.now()}`;
    await until('the page\'s live stream at the server', async () => s.env.test.server.tail.size > 0 || undefined, 10_000, 50);
    await s.env.sendLogs([{ body: `${marker} ${XSS_IMG}`, level: 'ERROR' }, { body: `${marker} ${XSS_SCRIPT}`, level: 'ERROR' }]);
    await p.page.waitForFunction(
      `[...document.querySelectorAll('[data-testid="log-message"]')].filter((e) => e.textContent.includes(${JSON.stringify(marker)})).length === 2`,
      undefined, { timeout: 10_000 },
    );
    const messages = (await p.page.getByTestId('log-message').allTextContents()).filter((m) => m.includes(marker));
    assert.ok(messages.some((m) => m.includes(XSS_IMG)) && messages.some((m) => m.includes(XSS_SCRIPT)), messages.join(' | '));
    await assertInert(p, 'live tail');
  });
});
