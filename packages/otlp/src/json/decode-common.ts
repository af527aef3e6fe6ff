/** OTLP/JSON decoding of common/v1 and resource/v1 messages, and the request envelope. */
import type { AnyValue, Attributes, InstrumentationScope, Resource } from '../types.js';
import { Malformed, rethrowAt } from '../wire/malformed.js';
import { MAX_DEPTH, emptyResource, emptyScope, setKey } from '../proto/decode-common.js';
import { type Obj, arr, base64, bad, bool, dbl, get, i64Any, isObj, obj, str, u32 } from './fields.js';

/** An AnyValue object: { stringValue | boolValue | intValue | doubleValue | arrayValue | kvlistValue | bytesValue }. */
export function anyValue(v: unknown, depth: number): AnyValue {
  if (v === undefined || v === null) return null;
  if (!isObj(v)) return bad('value', 'an AnyValue object', v);
  if (depth > MAX_DEPTH) throw new Malformed(`AnyValue nested deeper than ${MAX_DEPTH} levels`);
  // One key in practice; walk the keys instead of probing all 14 spellings.
  for (const k in v) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    switch (k) {
      case 'stringValue': case 'string_value':
        return str(x, k);
      case 'boolValue': case 'bool_value':
        return bool(x, k);
      case 'intValue': case 'int_value':
        return i64Any(x, k);
      case 'doubleValue': case 'double_value':
        return dbl(x, k);
      case 'arrayValue': case 'array_value': {
        const values = arr(obj(x, k)?.values, 'values');
        const out: AnyValue[] = new Array(values.length);
        for (let i = 0; i < values.length; i++) {
          try {
            out[i] = anyValue(values[i], depth + 1);
          } catch (e) {
            rethrowAt(e, `${k}.values[${i}]`);
          }
        }
        return out;
      }
      case 'kvlistValue': case 'kvlist_value': {
        const o: { [key: string]: AnyValue } = {};
        keyValues(obj(x, k)?.values, o, `${k}.values`, depth + 1);
        return o;
      }
      case 'bytesValue': case 'bytes_value':
        return base64(x, k);
      default: // unknown keys are ignored, as for every message
    }
  }
  return null;
}

/** A repeated KeyValue into `out` (last key wins). */
export function keyValues(v: unknown, out: { [key: string]: AnyValue }, field: string, depth: number): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) bad(field, 'an array of {key, value}', v);
  for (let i = 0; i < v.length; i++) {
    const kv: unknown = v[i];
    try {
      if (!isObj(kv)) bad('', 'a {key, value} object', kv);
      setKey(out, str(kv.key, 'key'), anyValue(kv.value, depth));
    } catch (e) {
      rethrowAt(e, `${field}[${i}]`);
    }
  }
}

export function attributes(v: unknown, field: string): Attributes {
  const out: Attributes = {};
  keyValues(v, out, field, 0);
  return out;
}

function resource(v: unknown): Resource {
  const o = obj(v, 'resource');
  if (o === undefined) return emptyResource();
  try {
    return {
      attributes: attributes(o.attributes, 'attributes'),
      droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    };
  } catch (e) {
    return rethrowAt(e, 'resource');
  }
}

function scope(v: unknown): InstrumentationScope {
  const o = obj(v, 'scope');
  if (o === undefined) return emptyScope();
  try {
    return {
      name: str(o.name, 'name'),
      version: str(o.version, 'version'),
      attributes: attributes(o.attributes, 'attributes'),
      droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    };
  } catch (e) {
    return rethrowAt(e, 'scope');
  }
}

/** [camelCase, snake_case] spellings of a field. */
export type Names = readonly [camel: string, snake: string];

/**
 * The outer levels shared by all signals: { <resourceList>: [{ resource,
 * <scopeList>: [{ scope, <itemList>: [...], schemaUrl }], schemaUrl }] }.
 */
export function decodeEnvelope<R, S, I>(
  root: unknown,
  names: readonly [resourceList: Names, scopeList: Names, itemList: Names],
  item: (o: Obj) => I,
  makeScope: (scope: InstrumentationScope, items: I[], schemaUrl: string) => S,
  makeResource: (resource: Resource, scopes: S[], schemaUrl: string) => R,
): R[] {
  if (!isObj(root)) return bad('request', 'a JSON object', root);
  const [rl, sl, il] = names;
  const resources = arr(get(root, rl[0], rl[1]), rl[0]);
  const out: R[] = new Array(resources.length);
  for (let i = 0; i < resources.length; i++) {
    try {
      const ro = obj(resources[i], '') ?? {};
      const scopes = arr(get(ro, sl[0], sl[1]), sl[0]);
      const scopeOut: S[] = new Array(scopes.length);
      for (let j = 0; j < scopes.length; j++) {
        try {
          const so = obj(scopes[j], '') ?? {};
          const items = arr(get(so, il[0], il[1]), il[0]);
          const itemOut: I[] = new Array(items.length);
          for (let k = 0; k < items.length; k++) {
            try {
              const io = obj(items[k], '');
              itemOut[k] = item(io ?? {});
            } catch (e) {
              rethrowAt(e, `${il[0]}[${k}]`);
            }
          }
          scopeOut[j] = makeScope(scope(so.scope), itemOut, str(get(so, 'schemaUrl', 'schema_url'), 'schemaUrl'));
        } catch (e) {
          rethrowAt(e, `${sl[0]}[${j}]`);
        }
      }
      out[i] = makeResource(resource(ro.resource), scopeOut, str(get(ro, 'schemaUrl', 'schema_url'), 'schemaUrl'));
    } catch (e) {
      rethrowAt(e, `${rl[0]}[${i}]`);
    }
  }
  return out;
}

/** Decode each element of a repeated message field, naming the failing index. */
export function each<T>(v: unknown, field: string, decode: (o: Obj) => T): T[] {
  const list = arr(v, field);
  const out: T[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    try {
      const o = list[i];
      if (!isObj(o)) bad('', 'an object', o);
      out[i] = decode(o);
    } catch (e) {
      rethrowAt(e, `${field}[${i}]`);
    }
  }
  return out;
}
