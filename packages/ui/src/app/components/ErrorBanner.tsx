/** An API error shown to the user: what failed, the server's message, and a retry. */
import type { ApiError } from '../api.js';

export function ErrorBanner({ error, what, onRetry }: { error: ApiError | null; what?: string; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="error-banner" role="alert" data-testid="error-banner">
      <strong>{what ? `Could not load ${what}` : 'Request failed'}</strong>
      <span class="error-code">{error.status ? `${error.status} ${error.code}` : error.code}</span>
      <span class="error-message">{error.message}</span>
      {onRetry && <button type="button" class="btn small" onClick={onRetry}>Retry</button>}
    </div>
  );
}
