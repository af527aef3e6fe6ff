/**
 * Protobuf decoding of opentelemetry.proto.common.v1 / resource.v1 messages,
 * straight into the shapes of types.ts.
 *
 * Convention for every decoder here and in decode-{logs,traces,metrics}.ts:
 * it is called with r.pos at the start and r.end at the end of its message
 * (the caller brackets it with r.enter()/r.leave()), and it switches on the
 * whole tag, (field number << 3) | wire type, written as a literal with the
 * field in a comment. A known field seen with an unexpected wire type falls
 * to the default branch and is skipped, as protobuf parsers do with unknown
 * fields.
 */
import type { AnyValue, Attributes, InstrumentationScope, Resource } from '../types.js';
import { Malformed, rethrowAt } from '../wire/malformed.js';
import { i64ToAnyValue } from '../wire/int64.js';
import type { ProtoReader } from '../wire/reader.js';

/** AnyValue nesting limit (protobuf's usual recursion limit is 100). */
export const MAX_DEPTH = 64;

/** obj[key] = v, also for the key "__proto__" (which must not touch the prototype). */
export function setKey(obj: { [key: string]: AnyValue }, key: string, v: AnyValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[key] = v;
}

/** AnyValue (oneof value; empty -> null; bytes -> base64; kvlist -> object). */
export function anyValue(r: ProtoReader, depth: number): AnyValue {
  if (depth > MAX_DEPTH) throw new Malformed(`AnyValue nested deeper than ${MAX_DEPTH} levels at byte ${r.pos}`);
  let v: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 string_value
        v = r.string();
        continue;
      case 16: // 2 bool_value
        v = r.bool();
        continue;
      case 24: // 3 int_value (int64)
        r.readVarint64();
        v = i64ToAnyValue(r.lo, r.hi);
        continue;
      case 33: // 4 double_value
        v = r.double();
        continue;
      case 42: { // 5 array_value
        const pe = r.enter();
        v = arrayValue(r, depth + 1);
        r.leave(pe);
        continue;
      }
      case 50: { // 6 kvlist_value
        const pe = r.enter();
        const obj: { [key: string]: AnyValue } = {};
        while (r.pos < r.end) {
          const t = r.tag();
          if (t === 10) keyValue(r, obj, depth + 1); // 1 values (KeyValue)
          else r.skip(t & 7);
        }
        v = obj;
        r.leave(pe);
        continue;
      }
      case 58: // 7 bytes_value
        v = r.bytesBase64();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  return v;
}

function arrayValue(r: ProtoReader, depth: number): AnyValue[] {
  const values: AnyValue[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) { // 1 values (AnyValue)
      const pe = r.enter();
      values.push(anyValue(r, depth));
      r.leave(pe);
    } else r.skip(tag & 7);
  }
  return values;
}

/** Reads one length-delimited KeyValue (tag already consumed) into obj; last key wins. */
export function keyValue(r: ProtoReader, obj: { [key: string]: AnyValue }, depth: number): void {
  const pe = r.enter();
  let key = '';
  let value: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 key
        key = r.key();
        continue;
      case 18: { // 2 value
        const p = r.enter();
        value = anyValue(r, depth);
        r.leave(p);
        continue;
      }
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  setKey(obj, key, value);
}

/** keyValue() with the field name added to the error path. */
export function attribute(r: ProtoReader, attrs: Attributes, field: string): void {
  try {
    keyValue(r, attrs, 0);
  } catch (e) {
    rethrowAt(e, field);
  }
}

/** opentelemetry.proto.resource.v1.Resource (tag already consumed). */
export function resource(r: ProtoReader): Resource {
  const pe = r.enter();
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  try {
    while (r.pos < r.end) {
      const tag = r.tag();
      switch (tag) {
        case 10: // 1 attributes
          attribute(r, attributes, 'attributes');
          continue;
        case 16: // 2 dropped_attributes_count
          droppedAttributesCount = r.uint32();
          continue;
        default: // 3 entity_refs (development) and unknown fields
          r.skip(tag & 7);
      }
    }
  } catch (e) {
    rethrowAt(e, 'resource');
  }
  r.leave(pe);
  return { attributes, droppedAttributesCount };
}

/** opentelemetry.proto.common.v1.InstrumentationScope (tag already consumed). */
export function scope(r: ProtoReader): InstrumentationScope {
  const pe = r.enter();
  let name = '';
  let version = '';
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  try {
    while (r.pos < r.end) {
      const tag = r.tag();
      switch (tag) {
        case 10: // 1 name
          name = r.string();
          continue;
        case 18: // 2 version
          version = r.string();
          continue;
        case 26: // 3 attributes
          attribute(r, attributes, 'attributes');
          continue;
        case 32: // 4 dropped_attributes_count
          droppedAttributesCount = r.uint32();
          continue;
        default:
          r.skip(tag & 7);
      }
    }
  } catch (e) {
    rethrowAt(e, 'scope');
  }
  r.leave(pe);
  return { name, version, attributes, droppedAttributesCount };
}

export const emptyResource = (): Resource => ({ attributes: {}, droppedAttributesCount: 0 });
export const emptyScope = (): InstrumentationScope => ({ name: '', version: '', attributes: {}, droppedAttributesCount: 0 });

/**
 * Decodes the two outer levels shared by all signals:
 * Request { repeated Resource<X> = 1 } and Resource<X> { resource = 1;
 * repeated Scope<X> = 2; schema_url = 3 } / Scope<X> { scope = 1; repeated
 * <item> = 2; schema_url = 3 }. `item` decodes one item (tag consumed).
 */
export function decodeEnvelope<R, S, I>(
  r: ProtoReader,
  names: [resourceList: string, scopeList: string, itemList: string],
  item: (r: ProtoReader) => I,
  makeScope: (scope: InstrumentationScope, items: I[], schemaUrl: string) => S,
  makeResource: (resource: Resource, scopes: S[], schemaUrl: string) => R,
): R[] {
  const out: R[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag !== 10) { r.skip(tag & 7); continue; }
    const pe = r.enter();
    try {
      let res: Resource | undefined;
      const scopes: S[] = [];
      let schemaUrl = '';
      while (r.pos < r.end) {
        const t = r.tag();
        if (t === 10) res = resource(r);
        else if (t === 18) {
          const p = r.enter();
          try {
            scopes.push(scopeItems(r, names[2], item, makeScope));
          } catch (e) {
            rethrowAt(e, `${names[1]}[${scopes.length}]`);
          }
          r.leave(p);
        } else if (t === 26) schemaUrl = r.string();
        else r.skip(t & 7);
      }
      out.push(makeResource(res ?? emptyResource(), scopes, schemaUrl));
    } catch (e) {
      rethrowAt(e, `${names[0]}[${out.length}]`);
    }
    r.leave(pe);
  }
  return out;
}

function scopeItems<S, I>(
  r: ProtoReader,
  itemList: string,
  item: (r: ProtoReader) => I,
  makeScope: (scope: InstrumentationScope, items: I[], schemaUrl: string) => S,
): S {
  let sc: InstrumentationScope | undefined;
  const items: I[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === 18) {
      try {
        items.push(item(r));
      } catch (e) {
        rethrowAt(e, `${itemList}[${items.length}]`);
      }
    } else if (t === 10) sc = scope(r);
    else if (t === 26) schemaUrl = r.string();
    else r.skip(t & 7);
  }
  return makeScope(sc ?? emptyScope(), items, schemaUrl);
}
