/**
 * The state behind a logger and its children: types, the bindings list, and
 * the slot through which a child receives its init.
 */
import type { LineSink } from '../contract.js';
import type { FieldTable } from '@jobscope/core/schemas';
import type { LevelIndex } from './levels.js';

/**
 * What may be passed as meta: an object of fields, or an Error (written as
 * error fields). `object` rather than Record<string, unknown>, so values typed
 * by an interface are accepted too. At run time anything else goes under `meta`.
 */
export type LogMeta = object;

export interface LoggerStats {
  /** Records handed to the sink. */
  records: number;
  /** Schema problems reported on records (`schema_errors`). */
  schemaErrors: number;
  /** Records written in reduced form because a value could not be serialized. */
  serializeErrors: number;
  /** sink.write() calls that threw. */
  sinkErrors: number;
  /** sink.write() calls that returned false (queue full: the sink spools or drops, and counts). */
  sinkFull: number;
  /** Records lost in the logger itself (not even the reduced form could be built). */
  dropped: number;
  lastError?: string;
}

/** State shared by a root logger and all its children. */
export interface Shared {
  readonly sink: LineSink;
  readonly table: FieldTable;
  readonly max: number;
  readonly trace: boolean;
  readonly stats: LoggerStats;
}

export interface CoreInit {
  shared: Shared;
  /** [canonical name, `"name":value,` chunk] pairs, in record order. */
  bindings: Bindings;
  level: LevelIndex;
  jobId?: string;
}

/** A handful of pairs: an array is cheaper to copy than a Map when a child is made per job. */
export type Bindings = Array<readonly [name: string, chunk: string]>;

/** Sets a binding, replacing one of the same name (no duplicate keys in the prefix). */
export function setBinding(list: Bindings, name: string, chunk: string): void {
  for (let i = 0; i < list.length; i++) {
    if (list[i][0] === name) {
      list[i] = [name, chunk];
      return;
    }
  }
  list.push([name, chunk]);
}

// Children are built through the subclass constructor (private # fields are
// only set up by a constructor); this slot hands them their init.
let pendingChild: CoreInit | undefined;

export function setChildInit(init: CoreInit | undefined): void {
  pendingChild = init;
}

export function takeChildInit(): CoreInit | undefined {
  const c = pendingChild;
  pendingChild = undefined;
  return c;
}
