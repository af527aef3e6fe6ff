/**
 * The shapes of the query API's JSON answers that clients share (the web UI
 * imports these types: `@jobscope/server/api-types`, types only).
 */
export type { LogView } from './log-view.js';
export type { SpanEvent, SpanLink, SpanView } from './span-view.js';
