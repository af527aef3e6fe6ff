/** The fluent-logger client as the tests drive it (not a test file itself). */
import fluentLogger from 'fluent-logger';

/** The parts of fluent-logger's sender used here (its bundled types miss a few). */
export interface Sender {
  emit(label: string, data: Record<string, unknown>, callback: (err?: Error) => void): void;
  emit(label: string, data: Record<string, unknown>, timestamp: unknown, callback: (err?: Error) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  end(): void;
}
export type SenderOptions = fluentLogger.Options & { enableReconnect?: boolean; eventMode?: 'Message' | 'PackedForward' | 'CompressedPackedForward' };

const quiet = { info: () => {}, error: () => {} };
export const EventTimeCtor = (fluentLogger as unknown as { EventTime: new (epoch: number, nano: number) => object }).EventTime;

export function sender(port: number, tag: string, o: SenderOptions = {}): Sender {
  return fluentLogger.createFluentSender(tag, { host: '127.0.0.1', port, internalLogger: quiet, enableReconnect: false, ...o } as fluentLogger.Options) as unknown as Sender;
}

export const emit = (s: Sender, label: string, data: Record<string, unknown>, time?: unknown): Promise<void> =>
  new Promise((resolve, reject) => {
    const cb = (err?: Error): void => (err ? reject(err) : resolve());
    if (time === undefined) s.emit(label, data, cb); // an undefined timestamp would swallow the callback
    else s.emit(label, data, time, cb);
  });
