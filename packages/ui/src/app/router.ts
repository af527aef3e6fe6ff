/**
 * The URL is the state: every view is a shareable link. Navigation uses
 * history.pushState, back/forward arrive as popstate; plain <a href> clicks
 * inside the app are intercepted so links stay links (middle-click, copy).
 */
import { createStore, useStore } from './store.js';
import { clearReady } from './ready.js';

export interface Location {
  path: string;
  params: URLSearchParams;
  /** path + search, as in the address bar. */
  href: string;
}

function read(): Location {
  const { pathname, search } = window.location;
  return { path: pathname, params: new URLSearchParams(search), href: pathname + search };
}

const location = createStore<Location>(read());

export function useLocation(): Location {
  return useStore(location);
}

export function currentLocation(): Location {
  return location.get();
}

/** Goes to `href` (same origin); `replace` rewrites the current history entry instead. */
export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(href, window.location.href);
  const next = url.pathname + url.search;
  if (next === location.get().href && !opts.replace) return;
  if (opts.replace) history.replaceState(null, '', next);
  else history.pushState(null, '', next);
  changed(!opts.replace);
}

function changed(toTop: boolean): void {
  clearReady();
  location.set(read());
  if (toTop) window.scrollTo(0, 0);
}

/** Builds `path?query` from a map, leaving out empty values. */
export function hrefWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}

/** The current page's URL with some parameters changed (null or '' removes one). */
export function withParams(changes: Record<string, string | null | undefined>): string {
  const loc = location.get();
  const sp = new URLSearchParams(loc.params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') sp.delete(k);
    else sp.set(k, v);
  }
  const s = sp.toString();
  return s ? `${loc.path}?${s}` : loc.path;
}

export function startRouter(): void {
  window.addEventListener('popstate', () => changed(false));
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}
