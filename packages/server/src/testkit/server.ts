/** Test helpers: a real server on 127.0.0.1 with embedded ClickHouse in a temp dir, and OTLP payload builders. */
import { encodeRequest, type ExportLogsServiceRequest, type LogRecord } from '@jobscope/otlp';
import { createServer, type JobscopeServer } from '../app.js';
import { defaultConfig, type ServerConfig } from '../config.js';
import { tempDir } from './temp-dir.js';

export interface TestServer { server: JobscopeServer; url: string; dir: string; close(): Promise<void> }

export async function startTestServer(over: Partial<ServerConfig> = {}, dir?: string): Promise<TestServer> {
  const t = dir ? { dir, cleanup: () => {} } : tempDir('jobscope-srv-');
  const server = await createServer({ ...defaultConfig({}), dataDir: t.dir, port: 0, quiet: true, ...over });
  const url = await server.listen();
  return {
    server, url, dir: t.dir,
    async close() {
      await server.close();
      t.cleanup();
    },
  };
}

export function logRecord(over: Partial<LogRecord> & { attrs?: Record<string, string | number> } = {}): LogRecord {
  const { attrs, ...rest } = over;
  return {
    timeUnixNano: (BigInt(Date.now()) * 1_000_000n).toString(), observedTimeUnixNano: '0', severityNumber: 9,
    severityText: 'INFO', body: 'hello', attributes: attrs ?? {}, droppedAttributesCount: 0, flags: 0,
    traceId: '', spanId: '', eventName: '', ...rest,
  };
}

export function logsRequest(records: LogRecord[], resource: Record<string, string> = { 'service.name': 'test-worker' }): ExportLogsServiceRequest {
  return {
    resourceLogs: [{
      resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '',
      scopeLogs: [{ scope: { name: 'test', version: '1', attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', logRecords: records }],
    }],
  };
}

export async function postLogs(url: string, req: ExportLogsServiceRequest, opts: { batchId?: string; encoding?: 'protobuf' | 'json'; token?: string } = {}): Promise<Response> {
  const enc = opts.encoding ?? 'protobuf';
  const headers: Record<string, string> = { 'content-type': enc === 'protobuf' ? 'application/x-protobuf' : 'application/json' };
  if (opts.batchId) headers['x-jobscope-batch-id'] = opts.batchId;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return await fetch(`${url}/v1/logs`, { method: 'POST', headers, body: encodeRequest('logs', req, enc) });
}

export async function count(server: JobscopeServer, where = '1', params: Record<string, unknown> = {}, table = 'otel_logs'): Promise<number> {
  const rows = await server.store.query<{ n: number }>(`SELECT count() AS n FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]!.n);
}
