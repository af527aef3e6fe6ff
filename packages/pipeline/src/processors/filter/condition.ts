/**
 * A FilterCondition compiled to a predicate. Values compare as text, so
 * `equals: 500` matches the attribute 500 and "500" alike (senders differ
 * in how they type numbers); every predicate given must hold.
 */
import type { Attributes, LogRecord } from '@jobscope/otlp';
import { parseRegex, type FilterCondition } from './config.js';
import { fieldGetter, valueText } from './fields.js';

export type Predicate = (rec: LogRecord, resource: Attributes) => boolean;

export function compileCondition(c: FilterCondition): Predicate {
  const get = fieldGetter(c.field);
  const equals = c.equals === undefined ? undefined : valueText(c.equals);
  const among = c.in === undefined ? undefined : new Set(c.in.map((v) => String(v)));
  const re = c.matches === undefined ? undefined : parseRegex(c.matches);
  const exists = c.exists;
  return (rec, resource) => {
    const v = get(rec, resource);
    if (exists !== undefined && (v !== undefined) !== exists) return false;
    if (equals === undefined && among === undefined && re === undefined) return true;
    if (v === undefined) return false;
    const text = valueText(v);
    if (equals !== undefined && text !== equals) return false;
    if (among !== undefined && !among.has(text)) return false;
    if (re !== undefined && !re.test(text)) return false;
    return true;
  };
}
