/** Configuration of the OTLP/HTTP receiver (POST /v1/logs, /v1/traces, /v1/metrics). */
export interface OtlpHttpReceiverConfig {
  /** Largest request body accepted, compressed, in bytes (413 above). */
  maxBodyBytes: number;
  /** Largest body after gzip decompression (413 above; guards against zip bombs). */
  maxDecompressedBytes: number;
  /** Header carrying a batch id that makes retries idempotent. */
  batchIdHeader: string;
}

export const DEFAULT_OTLP_HTTP_CONFIG: Readonly<OtlpHttpReceiverConfig> = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
  batchIdHeader: 'x-jobscope-batch-id',
};

export function validateOtlpHttpConfig(c: OtlpHttpReceiverConfig): void {
  if (!(c.maxBodyBytes > 0)) throw new Error('otlp_http.maxBodyBytes must be positive');
  if (!(c.maxDecompressedBytes >= c.maxBodyBytes)) throw new Error('otlp_http.maxDecompressedBytes must be at least maxBodyBytes');
  if (!/^[a-z0-9-]+$/.test(c.batchIdHeader)) throw new Error('otlp_http.batchIdHeader must be a lowercase header name');
}
