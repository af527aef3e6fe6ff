/**
 * Severity of log records that arrive without a number (plain-text senders,
 * Fluent records with an unusual level, OTLP from loggers that only set the
 * text): from severityText, else from a `level` (or `severity`) attribute,
 * with the same word table as the server (core severity.ts).
 */
import { LEVEL_TO_SEVERITY, levelFromText } from '@jobscope/core';
import type { AnyValue, LogRecord } from '@jobscope/otlp';

const LEVEL_ATTRIBUTES = ['level', 'severity'] as const;

/** Sets severityNumber (and severityText when empty) of a record that has none; true when it did. */
export function fillSeverity(rec: LogRecord): boolean {
  if (rec.severityNumber > 0) return false;
  let text = typeof rec.severityText === 'string' ? rec.severityText : '';
  let level = levelFromText(text);
  if (level === undefined) {
    for (const key of LEVEL_ATTRIBUTES) {
      const v: AnyValue | undefined = rec.attributes[key];
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      level = levelFromText(String(v));
      if (level !== undefined) { text = String(v); break; }
    }
  }
  if (level === undefined) return false;
  rec.severityNumber = LEVEL_TO_SEVERITY[level];
  if (!rec.severityText) rec.severityText = text;
  return true;
}
