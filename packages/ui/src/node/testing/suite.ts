/**
 * One filled server and one Chromium for all tests of a file: registers
 * node:test `before`/`after` hooks and hands out the shared objects.
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, withPage, type PageOptions, type UiPage } from './browser.js';
import { startFilledServer, type FilledServer, type FilledServerOptions } from './filled-server.js';

export interface Suite {
  readonly env: FilledServer;
  readonly browser: Browser;
  /** withPage on the shared browser and server. */
  page<T>(fn: (p: UiPage) => Promise<T>, o?: PageOptions): Promise<T>;
}

const log = (m: string): void => {
  if (process.env.JOBSCOPE_UI_TEST_LOG) process.stderr.write(`[ui-tests ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
};

export function browserSuite(o: FilledServerOptions = {}): Suite {
  let env: FilledServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    // Chromium first: a missing browser fails at once, with its message
    browser = await launchBrowser();
    env = await startFilledServer({ log, ...o });
    log(`server ${env.url} filled; known job ${env.known.jobId}`);
  }, { timeout: 180_000 });
  after(async () => {
    await browser?.close().catch(() => {});
    await env?.close();
  }, { timeout: 60_000 });
  const s: Suite = {
    get env(): FilledServer {
      if (!env) throw new Error('the filled server did not start (see the before hook\'s error)');
      return env;
    },
    get browser(): Browser {
      if (!browser) throw new Error('Chromium did not start (see the before hook\'s error)');
      return browser;
    },
    page: (fn, po) => withPage(s.browser, s.env.url, fn, po),
  };
  return s;
}
