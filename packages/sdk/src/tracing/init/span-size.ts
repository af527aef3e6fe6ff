import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * What a span weighs in the exporter's memory bounds (maxBatchBytes,
 * maxQueueBytes): an estimate of its encoded size from its name, attribute
 * keys and string values, events and links, without serializing it.
 */
export function spanBytes(s: ReadableSpan): number {
  let n = 120 + s.name.length + attrBytes(s.attributes);
  const events = s.events;
  for (let i = 0; i < events.length; i++) n += 32 + events[i].name.length + attrBytes(events[i].attributes);
  n += s.links.length * 64;
  return n;
}

function attrBytes(a: ReadableSpan['attributes'] | undefined): number {
  let n = 0;
  for (const k in a) {
    const v = a[k];
    n += 6 + k.length + (typeof v === 'string' ? v.length : Array.isArray(v) ? 12 * v.length : 9);
  }
  return n;
}
