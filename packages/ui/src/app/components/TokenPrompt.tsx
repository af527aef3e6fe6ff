/** Asks for the server's access token after a 401; kept in localStorage 'jobscope.token'. */
import { useState } from 'preact/hooks';
import { getToken, setToken } from '../api.js';

export function TokenPrompt({ onClose }: { onClose: () => void }) {
  const [value, setValue] = useState('');
  const had = getToken() !== '';
  return (
    <div class="modal-back">
      <form class="modal" data-testid="token-prompt" onSubmit={(e) => { e.preventDefault(); setToken(value.trim()); onClose(); }}>
        <h2>Access token</h2>
        <p>{had ? 'The server refused the saved token.' : 'This server needs an access token.'} Paste the token the server was started with
          (<code>--token</code> or <code>JOBSCOPE_TOKEN</code>). It is kept in this browser only.</p>
        <input data-testid="token-input" type="password" autocomplete="off" value={value} autoFocus
          onInput={(e) => setValue(e.currentTarget.value)} aria-label="Access token" />
        <div class="modal-actions">
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
          <button type="submit" class="btn primary" data-testid="token-submit" disabled={value.trim() === ''}>Save</button>
        </div>
      </form>
    </div>
  );
}
