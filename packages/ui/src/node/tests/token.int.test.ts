/**
 * A server started with a token: the UI's files load without it, the app
 * asks for the token after the API's 401, a wrong token is refused and
 * asked again, the right one is kept in this browser (localStorage) and
 * used from then on — also by the live tail, which must send it in a header.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '@jobscope/server/testkit';
import { uiPublicDir } from '../index.js';
import { launchBrowser, openPage, until } from '../testing/browser.js';

const TOKEN = 'ui-test-token-7f3a';
let server: TestServer;
let browser: Browser;

before(async () => {
  server = await startTestServer({ token: TOKEN, uiDir: uiPublicDir() });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Chromium reports each refused request as a console error; those are the point of this test. */
const only401 = (errors: string[]): string[] => errors.filter((e) => !/status of 401/.test(e));

test('the app asks for the token after a 401, refuses a wrong one, keeps the right one (live tail included)', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, server.url);
  try {
    await p.page.goto(p.url('/'));
    await p.page.getByTestId('token-prompt').waitFor({ timeout: 15_000 });
    await p.page.getByTestId('token-input').fill('wrong-token');
    await p.page.getByTestId('token-submit').click();
    await p.page.getByTestId('token-prompt').waitFor({ timeout: 15_000 });
    assert.match(await p.text('token-prompt'), /refused the saved token/);
    await p.page.getByTestId('token-input').fill(TOKEN);
    await p.page.getByTestId('token-submit').click();
    await p.waitReady('overview');
    assert.equal(await p.eval<string>("localStorage.getItem('jobscope.token')"), TOKEN);
    // a reload goes straight in
    await p.goto('/machines', 'machines');
    assert.equal(await p.count('token-prompt'), 0);
    // live tail: the stream carries the token too
    const token = `tok${Date.now().toString(36)}`;
    await p.goto('/logs?live=1', 'logs');
    const r = await postLogs(server.url, logsRequest([logRecord({ body: `after the token ${token}` })]), { token: TOKEN });
    assert.equal(r.status, 200);
    await until('the live record', async () => (await p.page.getByTestId('log-message').allInnerTexts()).some((t) => t.includes(token)), 10_000);
    assert.deepEqual(only401(p.errors), []);
  } finally {
    await p.close();
  }
});
