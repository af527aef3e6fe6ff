/** Machines at a glance: online or silent, last seen, workers online. */
import type { MachineInfo } from '../../types.js';
import { fmtAgo } from '../../format.js';
import { hrefWith } from '../../router.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { workerOnline } from '../../fleet.js';

export function FleetList({ machines }: { machines: MachineInfo[] }) {
  return (
    <section class="panel">
      <h2>Machines <a class="small-link" href="/machines">all →</a></h2>
      <table class="grid">
        <thead><tr><th>machine</th><th>status</th><th>last seen</th><th class="num">workers online</th></tr></thead>
        <tbody>
          {machines.length === 0 && <tr><td colSpan={4} class="muted">no machines seen</td></tr>}
          {machines.map((m) => (
            <tr key={m.machine_id}>
              <td><a href={hrefWith('/jobs', { machine_id: m.machine_id })}>{m.machine_id}</a></td>
              <td><StatusBadge status={m.status} /></td>
              <td title={m.last_seen ?? ''}>{fmtAgo(m.last_seen)}</td>
              <td class="num">{m.workers.filter((w) => workerOnline(w)).length} / {m.workers.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
