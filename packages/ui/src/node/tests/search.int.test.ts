/**
 * Search, in Chromium: typing a query for the known job into the search input
 * (logs explorer, jobs list) finds it; clicking opens /jobs/<id>; the job page
 * shows its status and timeline; back, forward and reloading the URL give the
 * same view (every view is a shareable URL).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from '../testing/suite.js';
import type { UiPage } from '../testing/browser.js';

const s = browserSuite();

/** Types `q` into the search input and submits it with Enter. */
async function search(p: UiPage, q: string): Promise<void> {
  const input = p.page.getByTestId('search-input').first();
  await input.click();
  await input.fill(q);
  await input.press('Enter');
}

/** Waits until the URL's `q` is `q`. */
async function urlHasQuery(p: UiPage, q: string): Promise<void> {
  await p.page.waitForURL((u) => u.searchParams.get('q') === q, { timeout: 10_000 });
}

/** Waits until exactly `n` elements with this test id are drawn; returns their texts. */
async function rows(p: UiPage, testId: string, n: number, timeoutMs = 15_000): Promise<string[]> {
  try {
    await p.page.waitForFunction(`document.querySelectorAll('[data-testid="${testId}"]').length === ${n}`, undefined, { timeout: timeoutMs, polling: 100 });
  } catch (e) {
    throw new Error(`expected ${n} ${testId} elements, have ${await p.count(testId)}: ${await p.describe()}`, { cause: e });
  }
  return await p.page.getByTestId(testId).allInnerTexts();
}

async function jobIds(p: UiPage): Promise<string[]> {
  const els = await p.page.getByTestId('job-row').all();
  return await Promise.all(els.map(async (e) => (await e.getAttribute('data-job-id')) ?? ''));
}

/** The job page of the known job: status and timeline. */
async function assertKnownJobPage(p: UiPage): Promise<void> {
  const k = s.env.known;
  assert.equal(new URL(p.page.url()).pathname, `/jobs/${k.jobId}`);
  assert.match(await p.text('job-status'), /completed/i);
  const n = await p.count('timeline-row');
  assert.ok(n >= k.jobEvents.length + k.jobLogLines, `timeline rows: ${n}`);
  assert.match(await p.text('job-timeline'), new RegExp(k.token));
}

test('logs explorer: a search for the known job finds its records; the drawer opens the job', { timeout: 90_000 }, async () => {
  const k = s.env.known;
  await s.page(async (p) => {
    await p.goto('/logs', 'logs');
    const q = `job_id:${k.jobId}`;
    await search(p, q);
    await urlHasQuery(p, q);
    // 1 record from the API service + 7 from the worker
    const texts = await rows(p, 'log-row', 8);
    assert.ok(texts.some((r) => r.includes(`job ${k.jobId} completed in 8200 ms`)), 'the completion is listed');
    // free text: the known token is in 3 messages
    await search(p, k.token);
    await urlHasQuery(p, k.token);
    const byToken = await rows(p, 'log-message', 3);
    assert.ok(byToken.every((m) => m.includes(k.token)), `messages with the token: ${byToken.join(' | ')}`);
    // a row opens the drawer; its job link opens the job page
    await p.page.getByTestId('log-row').filter({ hasText: 'loaded model' }).first().click();
    const drawer = p.page.getByTestId('log-drawer').first();
    await drawer.waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await drawer.innerText(), new RegExp(k.jobId));
    assert.ok(await drawer.getByTestId('drawer-link-trace').count() > 0, 'the drawer links the record\'s trace');
    await drawer.getByTestId('drawer-link-job').first().click();
    await p.waitReady('job');
    await assertKnownJobPage(p);
    // back: the search and its rows again
    await p.page.goBack();
    await p.waitReady('logs');
    assert.equal(new URL(p.page.url()).searchParams.get('q'), k.token);
    await rows(p, 'log-message', 3);
  });
});

test('jobs list: a search finds the known job; click, back, forward and reload keep the view', { timeout: 90_000 }, async () => {
  const k = s.env.known;
  await s.page(async (p) => {
    await p.goto('/jobs', 'jobs');
    const q = `job_id:${k.jobId}`;
    await search(p, q);
    await urlHasQuery(p, q);
    await rows(p, 'job-row', 1);
    assert.deepEqual(await jobIds(p), [k.jobId]);
    const listUrl = p.page.url();

    await p.page.getByTestId('job-row').first().click();
    await p.waitReady('job');
    await assertKnownJobPage(p);
    const jobUrl = p.page.url();
    const timeline = await p.page.getByTestId('timeline-row').allInnerTexts();

    await p.page.goBack();
    await p.waitReady('jobs');
    assert.equal(p.page.url(), listUrl, 'back: the searched list');
    assert.equal(await p.page.getByTestId('search-input').first().inputValue(), q, 'back: the query in the input');
    await rows(p, 'job-row', 1);

    await p.page.goForward();
    await p.waitReady('job');
    assert.equal(p.page.url(), jobUrl, 'forward: the job page');
    await assertKnownJobPage(p);

    await p.page.reload();
    await p.waitReady('job');
    await assertKnownJobPage(p);
    assert.deepEqual(await p.page.getByTestId('timeline-row').allInnerTexts(), timeline, 'reload: the same timeline');
  });
});

test('shared URLs: a search opened in a new page gives the same rows', { timeout: 90_000 }, async () => {
  const k = s.env.known;
  const logsUrl = `/logs?q=${encodeURIComponent(`job_id:${k.jobId} level:warn`)}`;
  const jobsUrl = `/jobs?q=${encodeURIComponent(`job_id:${k.jobId}`)}`;
  await s.page(async (p) => {
    await p.goto(logsUrl, 'logs');
    const [warn] = await rows(p, 'log-message', 1);
    assert.match(warn!, /slow response from comfyui-0/);
    assert.equal(await p.page.getByTestId('search-input').first().inputValue(), `job_id:${k.jobId} level:warn`, 'the query is in the input');
    await p.goto(jobsUrl, 'jobs');
    await rows(p, 'job-row', 1);
    assert.deepEqual(await jobIds(p), [k.jobId]);
  });
});

test('jobs list: a search that matches nothing shows an empty list, not an error', { timeout: 60_000 }, async () => {
  await s.page(async (p) => {
    await p.goto('/jobs', 'jobs');
    await search(p, 'job_id:no-such-job-anywhere');
    await urlHasQuery(p, 'job_id:no-such-job-anywhere');
    await p.waitReady('jobs');
    await rows(p, 'job-row', 0);
    await p.assertNoBanner();
  });
});
