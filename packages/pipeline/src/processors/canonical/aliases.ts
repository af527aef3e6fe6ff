/**
 * Alias keys renamed to their canonical names (ATTRIBUTE_ALIASES), with the
 * server's rules (processors/normalize/attributes.ts flattenAttributes), so
 * the agent and the server agree on what a record says:
 * - a canonical key present in the input wins; its aliases are left as
 *   they are (the server ignores them);
 * - an alias with an empty value ('' or null) is left as it is (ignored too);
 * - of several aliases of one absent canonical key, the last one wins.
 */
import { ATTRIBUTE_ALIASES } from '@jobscope/core';
import type { Attributes } from '@jobscope/otlp';

/** Renames in place; returns the number of keys renamed. */
export function renameAliases(attrs: Attributes): number {
  let renamed = 0;
  let present: Set<string> | undefined;
  for (const key of Object.keys(attrs)) {
    const canonical = ATTRIBUTE_ALIASES[key];
    if (canonical === undefined) continue;
    const v = attrs[key];
    if (v === '' || v === null || v === undefined) continue;
    // Canonical keys of the input (not ones this loop created), computed once on the first alias.
    present ??= new Set(Object.keys(attrs).filter((k) => ATTRIBUTE_ALIASES[k] === undefined));
    if (present.has(canonical)) continue;
    delete attrs[key];
    attrs[canonical] = v;
    renamed++;
  }
  return renamed;
}
