/** The shell: top navigation, the token prompt, and the page for the current route. */
import { useEffect, useState } from 'preact/hooks';
import { authNeeded, authVersion } from './api.js';
import { useLocation } from './router.js';
import { useStore } from './store.js';
import { TokenPrompt } from './components/TokenPrompt.js';
import { OverviewPage } from './pages/overview/OverviewPage.js';
import { JobsPage } from './pages/jobs/JobsPage.js';
import { JobPage } from './pages/job/JobPage.js';
import { LogsPage } from './pages/logs/LogsPage.js';
import { TracePage } from './pages/traces/TracePage.js';
import { MachinesPage } from './pages/machines/MachinesPage.js';

const NAV = [
  { id: 'overview', href: '/', label: 'Overview', match: (p: string) => p === '/' },
  { id: 'jobs', href: '/jobs', label: 'Jobs', match: (p: string) => p.startsWith('/jobs') },
  { id: 'logs', href: '/logs', label: 'Logs', match: (p: string) => p.startsWith('/logs') },
  { id: 'machines', href: '/machines', label: 'Machines', match: (p: string) => p.startsWith('/machines') },
] as const;

function route(path: string) {
  const seg = path.split('/').filter(Boolean).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  if (seg.length === 0) return <OverviewPage />;
  if (seg[0] === 'jobs' && seg.length === 1) return <JobsPage />;
  if (seg[0] === 'jobs' && seg.length === 2) return <JobPage key={seg[1]} id={seg[1]!} />; // a fresh page (and state) per job
  if (seg[0] === 'logs' && seg.length === 1) return <LogsPage />;
  if (seg[0] === 'traces' && seg.length === 2) return <TracePage key={seg[1]} id={seg[1]!} />;
  if (seg[0] === 'machines' && seg.length === 1) return <MachinesPage />;
  return (
    <main class="page">
      <h1>Not found</h1>
      <p>No page at <code>{path}</code>. <a href="/">Go to the overview</a>.</p>
    </main>
  );
}

export function App() {
  const loc = useLocation();
  const needToken = useStore(authNeeded);
  const auth = useStore(authVersion);
  const [askToken, setAskToken] = useState(false);

  // "/" focuses the search box, as in most log tools.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
      const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
      if (input) { e.preventDefault(); input.focus(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="/">Jobscope</a>
        <nav>
          {NAV.map((n) => (
            <a key={n.id} href={n.href} data-testid={`nav-${n.id}`} class={n.match(loc.path) ? 'on' : ''}
              aria-current={n.match(loc.path) ? 'page' : undefined}>{n.label}</a>
          ))}
        </nav>
        <span class="spacer" />
        <button type="button" class="topbar-btn" title="Set the access token" onClick={() => setAskToken(true)}>token</button>
      </header>
      <div key={auth} class="page-host">{route(loc.path)}</div>
      {(needToken || askToken) && <TokenPrompt onClose={() => { setAskToken(false); authNeeded.set(false); }} />}
    </div>
  );
}
