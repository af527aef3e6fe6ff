/**
 * LoggerCore: the hot path shared by every ConnectorLogger method.
 *
 * Like pino, it decides at configuration time, not per call:
 * - bindings (machine_id, worker_id, …, a child's job_id) are serialized once
 *   into a per-level prefix `{"level":"info","machine_id":"m1",…,"time":`;
 * - level methods below the threshold are replaced by a no-op;
 * - a record is prefix + time + fixed chunk + meta chunk + msg, concatenated.
 * It never throws into the caller: a record that fails to serialize is
 * written in a reduced form with `logger_error`, a throwing sink is counted.
 */
import type { LineSink } from '../contract.js';
import { anyValue, str, strArray } from './json.js';
import { LEVEL_NAMES, SILENT, type LevelIndex, type LevelName, type LevelSetting, levelIndex } from './levels.js';
import { errorChunk, fieldValue, metaChunk, safeString, takeSchemaErrors, traceChunk } from './record.js';
import { setBinding, setChildInit, type Bindings, type CoreInit, type LoggerStats, type LogMeta, type Shared } from './state.js';

export type { LogMeta, LoggerStats } from './state.js';

const noop = (): void => {};

export class LoggerCore {
  readonly #shared: Shared;
  readonly #bindings: Bindings;
  readonly #jobId: string | undefined;
  #level: LevelIndex;
  #silenced = false;
  #prefix: string[] = [];

  /** Methods a subclass adds that `silent` must turn off as well (lifecycle/fleet events). */
  protected static eventMethods: readonly string[] = [];

  constructor(init: CoreInit) {
    this.#shared = init.shared;
    this.#bindings = init.bindings;
    this.#jobId = init.jobId;
    this.#level = init.level;
    let b = '';
    for (let i = 0; i < init.bindings.length; i++) b += init.bindings[i][1];
    for (const name of LEVEL_NAMES) this.#prefix.push('{"level":"' + name + '",' + b + '"time":');
    this.#applyLevel();
  }

  get level(): LevelSetting {
    return this.#level === SILENT ? 'silent' : LEVEL_NAMES[this.#level];
  }

  /** Changes the threshold of this logger (not of its parent or existing children). */
  setLevel(level: LevelSetting): void {
    this.#level = levelIndex(level);
    this.#applyLevel();
  }

  #applyLevel(): void {
    // Only disabled levels get an own property (a no-op); enabled ones come from
    // the prototype, or are restored from it once overridden (setLevel).
    // Unrolled: named stores are several times faster than keyed ones here, and
    // this runs for every child (one per job).
    const l = this.#level;
    const P = LoggerCore.prototype;
    if (l > 0) this.trace = noop; else if (this.trace !== P.trace) this.trace = P.trace;
    if (l > 1) this.debug = noop; else if (this.debug !== P.debug) this.debug = P.debug;
    if (l > 2) this.info = noop; else if (this.info !== P.info) this.info = P.info;
    if (l > 3) this.warn = noop; else if (this.warn !== P.warn) this.warn = P.warn;
    if (l > 4) this.error = noop; else if (this.error !== P.error) this.error = P.error;
    if (l > 5) this.fatal = noop; else if (this.fatal !== P.fatal) this.fatal = P.fatal;
    // Event methods are only touched by `silent` (and restored after it).
    if (this.#level !== SILENT && !this.#silenced) return;
    this.#silenced = l === SILENT;
    const self = this as unknown as Record<string, unknown>;
    const own = Object.getPrototypeOf(this) as Record<string, unknown>;
    for (const name of (this.constructor as typeof LoggerCore).eventMethods) self[name] = this.#silenced ? noop : own[name];
  }

  trace(message: string, meta?: LogMeta): void {
    this.#log(0, message, meta);
  }
  debug(message: string, meta?: LogMeta): void {
    this.#log(1, message, meta);
  }
  info(message: string, meta?: LogMeta): void {
    this.#log(2, message, meta);
  }
  warn(message: string, meta?: LogMeta): void {
    this.#log(3, message, meta);
  }
  /**
   * `error(message, meta?)`, or as the original: `error(message, error, meta?)`.
   * The second argument is the error when it is an Error or a string, or when
   * a third argument is given; otherwise it is meta.
   */
  error(message: string, errorOrMeta?: unknown, meta?: LogMeta): void {
    if (meta !== undefined || errorOrMeta instanceof Error || typeof errorOrMeta === 'string') {
      this.emit(4, this.messageJson(message), errorChunk(errorOrMeta, this.#shared.max), meta);
    } else {
      this.#log(4, message, errorOrMeta);
    }
  }
  fatal(message: string, meta?: LogMeta): void {
    this.#log(5, message, meta);
  }

  #log(level: LevelIndex, message: unknown, meta: unknown): void {
    if (typeof message === 'string') this.emit(level, str(message, this.#shared.max), '', meta);
    // info(new Error('x')): the message is the error's, with its error fields.
    else if (message instanceof Error) this.emit(level, this.messageJson(message), errorChunk(message, this.#shared.max), meta);
    else this.emit(level, this.messageJson(message), '', meta);
  }

  /** A JSON literal for any message value (never throws). */
  protected messageJson(message: unknown): string {
    if (typeof message === 'string') return str(message, this.#shared.max);
    try {
      if (message instanceof Error) return str(String(message.message), this.#shared.max);
      return str(typeof message === 'object' && message !== null ? (anyValue(message, this.#shared.max) ?? '') : String(message), this.#shared.max);
    } catch {
      return '"[unprintable message]"';
    }
  }

  /** `,"job_id":"…"` unless the id is this logger's bound one (already in the prefix). */
  protected jobField(jobId: unknown): string {
    if (jobId === this.#jobId || jobId === undefined || jobId === null) return '';
    if (typeof jobId === 'string') return ',"job_id":' + str(jobId, this.#shared.max);
    return ',"job_id":' + this.messageJson(jobId);
  }

  /** One typed field as a chunk (schema-checked like meta fields). */
  protected field(name: string, value: unknown): string {
    if (value === undefined) return '';
    const e = this.#shared.table.lookup(name);
    const v = fieldValue(e, value, this.#shared.max);
    return v === undefined ? '' : ',' + e.key + v;
  }

  protected get maxString(): number {
    return this.#shared.max;
  }

  /** Builds and writes one record. `msg` is a JSON string literal, `fixed` a chunk starting with a comma. */
  protected emit(level: LevelIndex, msg: string, fixed: string, meta: unknown): void {
    const sh = this.#shared;
    let line: string;
    try {
      line = this.#prefix[level] + Date.now();
      if (sh.trace) line += traceChunk();
      line += fixed;
      if (meta !== undefined) line += metaChunk(sh.table, meta, sh.max);
      const errs = takeSchemaErrors();
      if (errs !== null) {
        sh.stats.schemaErrors += errs.length;
        line += ',"schema_errors":' + strArray(errs, sh.max);
      }
      line += ',"msg":' + msg + '}';
    } catch (err) {
      takeSchemaErrors();
      const reduced = this.#reduced(level, msg, fixed, err);
      if (reduced === undefined) return;
      line = reduced;
    }
    sh.stats.records++;
    try {
      if (!sh.sink.write(line)) sh.stats.sinkFull++;
    } catch (err) {
      sh.stats.sinkErrors++;
      sh.stats.lastError = describe(err);
    }
  }

  /** The record without its meta, saying why (a getter that threw, a hostile proxy…). */
  #reduced(level: LevelIndex, msg: string, fixed: string, err: unknown): string | undefined {
    const sh = this.#shared;
    sh.stats.lastError = describe(err);
    try {
      const line = this.#prefix[level] + Date.now() + fixed + ',"logger_error":' + str(sh.stats.lastError, sh.max) + ',"msg":' + msg + '}';
      sh.stats.serializeErrors++;
      return line;
    } catch {
      sh.stats.dropped++;
      return undefined;
    }
  }

  /** A call that could not even be turned into a record (hostile arguments): counted, never thrown. */
  protected failed(err: unknown): void {
    this.#shared.stats.dropped++;
    this.#shared.stats.lastError = describe(err);
  }

  /** Parts for a child: the parent's shared state and bindings plus new ones. */
  protected spawn(extra: Bindings, jobId: string | undefined): this {
    const bindings = this.#bindings.slice();
    for (let i = 0; i < extra.length; i++) setBinding(bindings, extra[i][0], extra[i][1]);
    setChildInit({ shared: this.#shared, bindings, level: this.#level, jobId: jobId ?? this.#jobId });
    try {
      return new (this.constructor as new () => this)();
    } finally {
      setChildInit(undefined);
    }
  }

  /** A child with more constant fields (normalized by the schema), sharing this logger's sink. */
  child(bindings: Record<string, unknown>): this {
    const extra: Bindings = [];
    let jobId: string | undefined;
    try {
      for (const k in bindings) {
        const e = this.#shared.table.lookup(k);
        const v = fieldValue(e, bindings[k], this.#shared.max);
        if (v === undefined) continue;
        setBinding(extra, e.name, e.key + v + ',');
        if (e.name === 'job_id') jobId = safeString(bindings[k]);
      }
    } catch (err) {
      this.#shared.stats.lastError = describe(err);
    }
    const errs = takeSchemaErrors();
    if (errs !== null) this.#shared.stats.schemaErrors += errs.length;
    return this.spawn(extra, jobId);
  }

  /** The job-scoped child of the original API: shares the sink, costs a few string concatenations. */
  withJobContext(jobId: string, sessionId?: string): this {
    const id = safeString(jobId);
    const extra: Bindings = [['job_id', '"job_id":' + str(id, this.#shared.max) + ',']];
    if (sessionId !== undefined && sessionId !== null) {
      extra.push(['session_id', '"session_id":' + str(safeString(sessionId), this.#shared.max) + ',']);
    }
    return this.spawn(extra, id);
  }

  /** Counters shared by this logger, its parent and its children. */
  stats(): LoggerStats {
    return { ...this.#shared.stats };
  }

  get sink(): LineSink {
    return this.#shared.sink;
  }

  /** Flushes the sink (e.g. before exit); never rejects. */
  async flush(timeoutMs?: number): Promise<void> {
    try {
      await this.#shared.sink.flush(timeoutMs);
    } catch (err) {
      this.#shared.stats.lastError = describe(err);
    }
  }
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'unknown error';
  }
}

export type { LevelName };
