/**
 * The Fluent tag of a request, as Fluent Bit's HTTP input derives it: the
 * URL path, percent-decoded, without the leading '/' and the query string,
 * every character other than [A-Za-z0-9_.] replaced by '_'. The bare '/'
 * gets the input's default tag ('http').
 */
export const DEFAULT_TAG = 'http';
/** Longest tag kept (a tag is a resource attribute: no unbounded values). */
export const MAX_TAG_CHARS = 256;

export function tagOf(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  try {
    path = decodeURIComponent(path);
  } catch {
    // malformed escapes: keep the raw path (sanitized below)
  }
  const raw = path.startsWith('/') ? path.slice(1) : path;
  if (raw === '') return DEFAULT_TAG;
  return raw.slice(0, MAX_TAG_CHARS).replace(/[^A-Za-z0-9_.]/g, '_');
}
