/**
 * The search language input with completion: field names (GET /api/fields)
 * while typing a bare word, values (GET /api/values) after `field:`.
 * Enter submits unless a suggestion was chosen with the arrow keys;
 * Tab takes the highlighted (or first) suggestion; Escape closes the list.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, isAbort } from '../api.js';
import { quote } from '../query.js';
import type { FieldsAnswer, ValuesAnswer } from '../types.js';
import type { Range } from '../time.js';

interface Suggestion { label: string; insert: string; detail: string; field?: boolean }

interface Token { start: number; end: number; field: string | null; prefix: string; neg: string }

/** The token under the caret: `[-]field:prefix` or `[-]prefix`. */
function tokenAt(text: string, caret: number): Token | null {
  const before = text.slice(0, caret);
  if ((before.match(/"/g) ?? []).length % 2 === 1 && !/:"[^"]*$/.test(before)) return null; // inside a free phrase
  const m = /(^|[\s(])(-?)([^\s()]*)$/.exec(before);
  if (!m) return null;
  const word = m[3]!;
  const start = caret - word.length - m[2]!.length;
  const after = /^[^\s()]*/.exec(text.slice(caret))![0];
  const colon = word.indexOf(':');
  if (colon < 0) return { start, end: caret + after.length, field: null, prefix: word, neg: m[2]! };
  const value = word.slice(colon + 1);
  if (/^[<>[{(]/.test(value)) return null; // comparisons, ranges, lists: nothing to suggest
  return { start, end: caret + after.length, field: word.slice(0, colon), prefix: value.replace(/^"/, ''), neg: m[2]! };
}

export interface SearchBoxProps {
  value: string;
  onSubmit: (q: string) => void;
  range?: Range;
  placeholder?: string;
}

export function SearchBox({ value, onSubmit, range, placeholder }: SearchBoxProps) {
  const [text, setText] = useState(value);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [token, setToken] = useState<Token | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const pending = useRef<AbortController | null>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => setText(value), [value]);
  useEffect(() => () => { pending.current?.abort(); clearTimeout(timer.current); }, []);

  const close = () => { setItems([]); setActive(-1); pending.current?.abort(); clearTimeout(timer.current); };

  const suggest = (t: string, caret: number) => {
    clearTimeout(timer.current);
    pending.current?.abort();
    const tok = tokenAt(t, caret);
    setToken(tok);
    if (!tok || (tok.field === null && tok.prefix.length === 0)) { setItems([]); setActive(-1); return; }
    timer.current = window.setTimeout(() => {
      const ac = new AbortController();
      pending.current = ac;
      const load = tok.field === null
        ? apiGet<FieldsAnswer>('/api/fields', { prefix: tok.prefix }, ac.signal).then((a) => a.fields.slice(0, 20).map((f) => ({
            label: f.name, insert: `${f.name}:`, detail: f.kind === 'canonical' ? 'field' : 'attribute', field: true,
          })))
        : apiGet<ValuesAnswer>('/api/values', { field: tok.field, prefix: tok.prefix, from: range?.from, to: range?.to }, ac.signal).then((a) =>
            a.values.map((v) => ({ label: v.value, insert: `${tok.field}:${quote(v.value)}`, detail: v.count.toLocaleString('en-US') })));
      load.then(
        (list) => { if (!ac.signal.aborted) { setItems(list); setActive(-1); } },
        (e: unknown) => { if (!isAbort(e)) setItems([]); }, // completion is a help: its failures stay quiet
      );
    }, 120);
  };

  const accept = (s: Suggestion) => {
    if (!token) return;
    const before = text.slice(0, token.start) + token.neg + s.insert;
    const rest = text.slice(token.end);
    const next = s.field ? before + rest : `${before}${rest.startsWith(' ') ? '' : ' '}${rest}`;
    const caret = s.field ? before.length : before.length + 1;
    setText(next);
    close();
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(caret, caret);
      if (s.field) suggest(next, caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const open = items.length > 0;
    if (e.key === 'ArrowDown' && open) { e.preventDefault(); setActive((a) => (a + 1) % items.length); }
    else if (e.key === 'ArrowUp' && open) { e.preventDefault(); setActive((a) => (a <= 0 ? items.length - 1 : a - 1)); }
    else if (e.key === 'Tab' && open) { e.preventDefault(); accept(items[Math.max(0, active)]!); }
    else if (e.key === 'Escape') close();
    else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && active >= 0) accept(items[active]!);
      else { close(); onSubmit(text.trim()); }
    }
  };

  return (
    <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); close(); onSubmit(text.trim()); }}>
      <div class="search-wrap">
        <input
          ref={input}
          class="search-input"
          data-testid="search-input"
          type="text"
          spellcheck={false}
          autocomplete="off"
          aria-label="Search"
          aria-autocomplete="list"
          placeholder={placeholder ?? 'level:error service_type:comfyui "out of memory" -event_type:job_progress'}
          value={text}
          onInput={(e) => { const el = e.currentTarget; setText(el.value); suggest(el.value, el.selectionStart ?? el.value.length); }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(close, 150)}
        />
        {items.length > 0 && (
          <ul class="suggest" role="listbox" data-testid="search-suggestions">
            {items.map((s, i) => (
              <li key={s.insert} role="option" aria-selected={i === active} class={i === active ? 'on' : ''}
                onMouseDown={(e) => { e.preventDefault(); accept(s); }}>
                <span class="suggest-label">{s.label}</span>
                <span class="suggest-detail">{s.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="submit" class="btn primary">Search</button>
    </form>
  );
}
