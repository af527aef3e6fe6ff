/**
 * A FieldTable resolves an incoming key (any accepted spelling) to its
 * canonical name, its FieldSpec (null for free-form keys), and the key
 * already serialized as JSON (`"name":`) — computed once per key, so the
 * logger's hot path is one Map lookup per field.
 *
 * Precedence: the schema's own fields and aliases, then COMMON's, then the
 * core ATTRIBUTE_ALIASES. Unknown camelCase keys become snake_case
 * (`queuePosition` → `queue_position`); other unknown keys are kept as given.
 * The keys `time`, `level`, `msg` and `message` are taken by the record
 * itself, so a field of that name is written as `meta_<key>`.
 */
import { ATTRIBUTE_ALIASES } from '../canonical.js';
import { COMMON, SCHEMAS, schemaNameFor } from './connectors.js';
import type { FieldSpec, SchemaName } from './types.js';

export interface FieldEntry {
  /** Canonical field name. */
  readonly name: string;
  /** `"name":` — the JSON key, ready to concatenate. */
  readonly key: string;
  /** Null for free-form fields (no type to check). */
  readonly spec: FieldSpec | null;
}

const RESERVED = new Set(['time', 'level', 'msg', 'message']);
/** Learned (unknown) keys kept per table; past this, entries are built per call. */
const MAX_LEARNED = 4096;

export class FieldTable {
  readonly schema: SchemaName;
  readonly #entries = new Map<string, FieldEntry>();
  #learned = 0;

  constructor(schema: SchemaName) {
    this.schema = schema;
    const own = SCHEMAS[schema];
    const specs: Record<string, FieldSpec> = { ...COMMON.fields, ...own.fields };
    const aliases: Record<string, string> = { ...ATTRIBUTE_ALIASES, ...COMMON.aliases, ...own.aliases };
    // The schema's own field names are never renamed by a more general alias.
    for (const name of Object.keys(own.fields)) delete aliases[name];
    for (const [name, spec] of Object.entries(specs)) this.#entries.set(name, entry(name, spec));
    for (const [alias, name] of Object.entries(aliases)) {
      this.#entries.set(alias, this.#entries.get(name) ?? entry(name, specs[name] ?? null));
    }
  }

  /** The entry for a key; unknown keys are learned (bounded). */
  lookup(key: string): FieldEntry {
    const e = this.#entries.get(key);
    if (e !== undefined) return e;
    const made = entry(freeName(key), null);
    if (this.#learned < MAX_LEARNED) {
      this.#learned++;
      this.#entries.set(key, made);
    }
    return made;
  }
}

function entry(name: string, spec: FieldSpec | null): FieldEntry {
  return { name, key: `${JSON.stringify(name)}:`, spec };
}

const CAMEL = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/;

function freeName(key: string): string {
  if (RESERVED.has(key)) return `meta_${key}`;
  if (CAMEL.test(key)) return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return key;
}

const tables = new Map<SchemaName, FieldTable>();

/** The shared table for a service_type (one per schema, built on first use). */
export function tableFor(serviceType: string | undefined): FieldTable {
  const name = schemaNameFor(serviceType);
  let t = tables.get(name);
  if (t === undefined) {
    t = new FieldTable(name);
    tables.set(name, t);
  }
  return t;
}
