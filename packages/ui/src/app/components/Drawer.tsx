/** A side panel over the page's right edge; Escape or × closes it. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export function Drawer({ title, onClose, testid, children }: { title: string; onClose: () => void; testid?: string; children: ComponentChildren }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside class="drawer" data-testid={testid} aria-label={title}>
      <header class="drawer-head">
        <h2>{title}</h2>
        <button type="button" class="btn small" aria-label="Close" onClick={onClose}>×</button>
      </header>
      <div class="drawer-body">{children}</div>
    </aside>
  );
}
