/** Configuration of the fluent_http receiver (Fluent Bit's HTTP input protocol: POST /<tag>). */
import { JobscopeError } from '@jobscope/core';

export interface FluentHttpReceiverConfig {
  /** Largest request body accepted, compressed, in bytes (413 above). */
  maxBodyBytes: number;
  /** Largest body after gzip decompression (413 above; guards against zip bombs). */
  maxDecompressedBytes: number;
  /** Most records one request may carry (413 above). */
  maxRecordsPerRequest: number;
}

export const DEFAULT_FLUENT_HTTP_CONFIG: Readonly<FluentHttpReceiverConfig> = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
  maxRecordsPerRequest: 100_000,
};

export function validateFluentHttpConfig(c: FluentHttpReceiverConfig): void {
  const bad = (msg: string): never => { throw new JobscopeError('JS_CONFIG', `fluent_http.${msg}`); };
  if (!Number.isSafeInteger(c.maxBodyBytes) || c.maxBodyBytes <= 0) bad('maxBodyBytes must be a positive integer');
  if (!Number.isSafeInteger(c.maxDecompressedBytes) || c.maxDecompressedBytes < c.maxBodyBytes) {
    bad('maxDecompressedBytes must be an integer of at least maxBodyBytes');
  }
  if (!Number.isSafeInteger(c.maxRecordsPerRequest) || c.maxRecordsPerRequest <= 0) bad('maxRecordsPerRequest must be a positive integer');
}
