/**
 * `document.body.dataset.ready = '<page>'` once a page has drawn its first
 * data; cleared on navigation. Browser tests and the UI benchmark wait on it.
 */
import { useEffect } from 'preact/hooks';
import { useLocation } from './router.js';

export type PageName = 'overview' | 'jobs' | 'job' | 'logs' | 'trace' | 'machines';

export function clearReady(): void {
  delete document.body.dataset.ready;
}

/** Marks the page ready when `ready` holds, again after every navigation. */
export function useReady(page: PageName, ready: boolean): void {
  const loc = useLocation();
  useEffect(() => {
    if (ready) document.body.dataset.ready = page;
  }, [ready, loc, page]);
}
