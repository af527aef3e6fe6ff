/**
 * validate(serviceType, fields): the normalized fields of one record, never
 * throwing. Aliases become canonical names, numeric strings numbers, "true"
 * booleans; a value that cannot be used is dropped and reported in
 * `schema_errors` (short strings such as `steps: expected integer, got "abc"`).
 */
import { coerce, INVALID, takeProblem } from './coerce.js';
import { tableFor } from './table.js';

export type NormalizedFields = Record<string, unknown> & { schema_errors?: string[] };

export function validate(serviceType: string | undefined, fields: unknown): NormalizedFields {
  const out: NormalizedFields = {};
  const errors: string[] = [];
  try {
    if (fields === null || fields === undefined) return out;
    if (typeof fields !== 'object' || Array.isArray(fields)) {
      errors.push(`fields: expected object, got ${Array.isArray(fields) ? 'array' : typeof fields}`);
      return out;
    }
    const table = tableFor(serviceType);
    for (const key of Object.keys(fields)) {
      let v: unknown;
      try {
        v = (fields as Record<string, unknown>)[key];
      } catch {
        errors.push(`${key}: unreadable`);
        continue;
      }
      if (v === undefined || v === null) continue;
      const e = table.lookup(key);
      if (e.name === '__proto__') {
        errors.push('__proto__: reserved key');
        continue;
      }
      if (e.spec === null) {
        out[e.name] = v;
        continue;
      }
      const c = coerce(e.name, e.spec, v);
      const p = takeProblem();
      if (p !== undefined) errors.push(p);
      if (c !== INVALID) out[e.name] = c;
    }
  } catch (err) {
    errors.push(`fields: ${err instanceof Error ? err.message : 'unreadable'}`);
  } finally {
    if (errors.length > 0) out.schema_errors = errors;
  }
  return out;
}
