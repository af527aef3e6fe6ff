/**
 * Browser side of the web UI's tests, screenshots and benchmark: Debian's
 * Chromium (/usr/bin/chromium) driven by playwright-core — no downloaded
 * browser. A page helper records console errors and page errors (any one
 * fails the test, CONTRACT.md "Rules"), and waits for the readiness hook:
 * `document.body.dataset.ready === '<page>'` once the page has drawn its
 * first data.
 *
 * The page functions are passed as strings: this package compiles without
 * the DOM library (it is Node code), and the strings run in the page.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.JOBSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** The page names of the readiness hook (CONTRACT.md). */
export type PageName = 'overview' | 'jobs' | 'job' | 'logs' | 'trace' | 'machines';

/** Default wait for a page's first data (the machine has 2 cores shared with a server and a fleet). */
export const READY_TIMEOUT_MS = Number(process.env.JOBSCOPE_UI_READY_TIMEOUT_MS ?? 20_000);

/**
 * Launches Chromium. Throws (never skips) when /usr/bin/chromium is missing:
 * the browser tests are part of the suite.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the web UI's browser tests drive Debian's chromium through playwright-core. `
      + 'Install it with `sudo apt-get install chromium` (.ci/run does this), or set JOBSCOPE_CHROMIUM to a Chromium binary.',
    );
  }
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Scripts run in every document before the app's (e.g. the benchmark's ready observer). */
  initScripts?: string[];
}

/** A page of its own browser context, with the errors it has seen. */
export class UiPage {
  readonly errors: string[] = [];
  readonly #base: string;

  constructor(readonly context: BrowserContext, readonly page: Page, base: string) {
    this.#base = base.replace(/\/$/, '');
    page.on('console', (m) => {
      if (m.type() === 'error') {
        const loc = m.location();
        this.errors.push(`console.error: ${m.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
      }
    });
    page.on('pageerror', (e) => this.errors.push(`page error: ${e.stack ?? e.message}`));
    page.on('crash', () => this.errors.push('the page crashed'));
  }

  url(path: string): string {
    return path.startsWith('http') ? path : `${this.#base}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** Navigates to `path` and waits until the page `name` is ready; returns the milliseconds from goto to ready. */
  async goto(path: string, name: PageName, timeoutMs = READY_TIMEOUT_MS): Promise<number> {
    const t = performance.now();
    await this.page.goto(this.url(path), { waitUntil: 'commit', timeout: timeoutMs });
    await this.waitReady(name, Math.max(1000, timeoutMs - (performance.now() - t)));
    return performance.now() - t;
  }

  /** The current value of document.body.dataset.ready ('' when unset). */
  async readyValue(): Promise<string> {
    return await this.page.evaluate('document.body ? (document.body.dataset.ready || "") : ""') as string;
  }

  /**
   * Waits for `document.body.dataset.ready === name`, then checks that no
   * error banner is shown. On timeout, the error says where the page was.
   */
  async waitReady(name: PageName, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    try {
      await this.page.waitForFunction(`document.body && document.body.dataset.ready === ${JSON.stringify(name)}`, undefined, { timeout: timeoutMs, polling: 50 });
    } catch (e) {
      throw new Error(`page '${name}' not ready after ${Math.round(timeoutMs)} ms: ${await this.describe()}`, { cause: e });
    }
    await this.assertNoBanner();
  }

  /** Throws when the app shows an API error to the user (data-testid=error-banner, visible, with text). */
  async assertNoBanner(): Promise<void> {
    const banner = this.page.getByTestId('error-banner');
    if (await banner.count() === 0) return;
    const texts = (await banner.allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    if (texts.length > 0 && await banner.first().isVisible()) throw new Error(`the page shows an error banner: ${texts.join(' | ')}`);
  }

  /** Where the page is, for error messages: URL, ready value, banner, recorded errors. */
  async describe(): Promise<string> {
    const parts = [`url ${this.page.url()}`];
    try {
      parts.push(`ready='${await this.readyValue()}'`);
      const banner = this.page.getByTestId('error-banner');
      if (await banner.count() > 0) parts.push(`error banner: ${(await banner.allInnerTexts()).join(' | ')}`);
      const body = String(await this.page.evaluate('document.body ? document.body.innerText.slice(0, 300) : ""'));
      parts.push(`text: ${JSON.stringify(body)}`);
    } catch (e) {
      parts.push(`(page not readable: ${(e as Error).message})`);
    }
    if (this.errors.length > 0) parts.push(`errors: ${this.errors.join('; ')}`);
    return parts.join(', ');
  }

  /** Counts elements with this data-testid. */
  async count(testId: string): Promise<number> {
    return await this.page.getByTestId(testId).count();
  }

  /** The inner text of the first element with this data-testid. */
  async text(testId: string): Promise<string> {
    return (await this.page.getByTestId(testId).first().innerText()).trim();
  }

  /** Evaluates an expression in the page. */
  async eval<T>(expression: string): Promise<T> {
    return await this.page.evaluate(expression) as T;
  }

  /** Throws when the page has logged a console error or thrown. */
  assertNoErrors(): void {
    if (this.errors.length > 0) throw new Error(`the page logged ${this.errors.length} error(s):\n  ${this.errors.join('\n  ')}`);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
  }
}

/** Opens a page in a fresh browser context (no shared storage between tests). */
export async function openPage(browser: Browser, base: string, o: PageOptions = {}): Promise<UiPage> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1440, height: 900 } });
  for (const s of o.initScripts ?? []) await context.addInitScript({ content: s });
  const page = await context.newPage();
  return new UiPage(context, page, base);
}

/**
 * Runs `fn` on a fresh page, then fails on any console or page error seen
 * meanwhile (also when `fn` failed: the errors are added to its message),
 * and closes the context.
 */
export async function withPage<T>(browser: Browser, base: string, fn: (p: UiPage) => Promise<T>, o: PageOptions = {}): Promise<T> {
  const p = await openPage(browser, base, o);
  try {
    let out: T;
    try {
      out = await fn(p);
    } catch (e) {
      if (p.errors.length > 0 && e instanceof Error) e.message += `\n(the page also logged: ${p.errors.join('; ')})`;
      throw e;
    }
    // errors that arrive a moment after the last step (a late fetch, a render) count too
    await new Promise((r) => setTimeout(r, 100));
    p.assertNoErrors();
    return out;
  } finally {
    await p.close();
  }
}

/** Polls `check` until it returns a value other than undefined/false, or throws after timeoutMs. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 200): Promise<T> {
  const t = performance.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (performance.now() - t > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
