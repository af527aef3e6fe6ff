/**
 * /api/machines lists the fleet, not every id that sent a record: the API
 * service's host (it only submits jobs) is no machine, a machine's own
 * logger is no worker; and a worker's status follows its job events over a
 * stale heartbeat, unless a newer status event says it went down.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '../testkit/server.js';

let t: TestServer;
let NOW = 0;

type Rec = [ms: number, body: string, attrs: Record<string, string>];
async function send(resource: Record<string, string>, recs: Rec[]): Promise<void> {
  const records = recs.map(([ms, body, attrs]) => logRecord({ timeUnixNano: (BigInt(ms) * 1_000_000n).toString(), severityNumber: 9, severityText: 'INFO', body, attrs }));
  assert.equal((await postLogs(t.url, logsRequest(records, resource))).status, 200);
}

before(async () => {
  t = await startTestServer();
  NOW = Date.now();
  const ago = (s: number): number => NOW - s * 1000;
  // the API service's host: submits jobs, nothing else
  await send({ 'service.name': 'api-server', machine_id: 'api-host', worker_id: 'api-http' }, [
    [ago(30), 'job_submitted', { event_type: 'job_submitted', job_id: 'j1' }],
    [ago(20), 'job_submitted', { event_type: 'job_submitted', job_id: 'j2' }],
  ]);
  // a machine's own logger (worker id of the agent): machine events only
  await send({ 'service.name': 'machine', machine_id: 'm-1', worker_id: 'm-1-agent' }, [
    [ago(50), 'machine started', { event_type: 'machine_started' }],
    [ago(10), 'health check', { event_type: 'health_check', status: 'healthy' }],
  ]);
  // w-a: a heartbeat said busy with j1, then j1 completed: idle now
  await send({ 'service.name': 'worker', machine_id: 'm-1', worker_id: 'w-a' }, [
    [ago(40), 'registered', { event_type: 'worker_registered', service_types: 'rest' }],
    [ago(30), 'received', { event_type: 'job_received', job_id: 'j1' }],
    [ago(29), 'started', { event_type: 'job_started', job_id: 'j1' }],
    [ago(15), 'heartbeat', { event_type: 'worker_heartbeat', status: 'busy', current_job_id: 'j1' }],
    [ago(12), 'completed', { event_type: 'job_completed', job_id: 'j1' }],
  ]);
  // w-b: running j2, its last heartbeat (older) said idle: busy with j2
  await send({ 'service.name': 'worker', machine_id: 'm-1', worker_id: 'w-b' }, [
    [ago(25), 'heartbeat', { event_type: 'worker_heartbeat', status: 'idle' }],
    [ago(19), 'started', { event_type: 'job_started', job_id: 'j2' }],
  ]);
  // w-c: finished a job, then stopped
  await send({ 'service.name': 'worker', machine_id: 'm-1', worker_id: 'w-c' }, [
    [ago(40), 'started', { event_type: 'job_started', job_id: 'j0' }],
    [ago(35), 'completed', { event_type: 'job_completed', job_id: 'j0' }],
    [ago(5), 'status', { event_type: 'worker_status_changed', status: 'stopped', previous_status: 'idle' }],
  ]);
  await t.server.writer.flush();
});
after(async () => { await t?.close(); });

test('machines are the fleet; workers are what sent worker events; status follows job events', async () => {
  const r = await (await fetch(`${t.url}/api/machines`)).json() as { machines: { machine_id: string; workers: { worker_id: string; status: string; current_job_id: string | null }[] }[] };
  assert.deepEqual(r.machines.map((m) => m.machine_id), ['m-1'], 'the API host is not a machine');
  assert.deepEqual(r.machines[0]!.workers.map((w) => [w.worker_id, w.status, w.current_job_id]), [
    ['w-a', 'idle', null],
    ['w-b', 'busy', 'j2'],
    ['w-c', 'stopped', null],
  ]);
});
