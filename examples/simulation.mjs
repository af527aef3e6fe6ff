// A simulation connector: iterative solver runs (CFD, Monte Carlo) that
// report iterations and convergence, and end converged, diverged or past
// their deadline.
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node examples/simulation.mjs
import { ConnectorLogger, createExporter, installShutdownHooks } from '@jobscope/sdk';
import { JOBS, between, chance, failure, jobId, pick, report, sleep, summary } from './lib/sim.mjs';

const exporter = createExporter({ serviceName: 'simulation-worker' });
installShutdownHooks(exporter);
const log = new ConnectorLogger({
  machineId: process.env.MACHINE_ID ?? 'hpc-node-07',
  serviceType: 'simulation',
  connectorId: 'solver-pool',
  sink: exporter,
});

async function runJob() {
  const id = jobId('sim');
  const job = log.withJobContext(id);
  const type = pick(['cfd_airfoil', 'monte_carlo_var', 'heat_diffusion']);
  const total = pick([200, 500, 1000]);
  const parameters = { mesh_cells: between(1e5, 2e6), reynolds: between(1e5, 1e6), tolerance: 1e-6 };
  const outcome = chance(0.15) ? 'diverge' : chance(0.1) ? 'timeout' : 'converge';
  job.jobReceived(id, { simulation_type: type, total_iterations: total, parameters });
  job.jobStarted(id, { simulation_type: type, total_iterations: total });
  const started = Date.now();
  let residual = 1;
  for (let it = total / 10; it <= total; it += total / 10) {
    await sleep(between(150, 400));
    residual *= outcome === 'diverge' && it > total / 2 ? 40 : 0.25;
    job.jobProgress(id, (it / total) * 100, { iteration: it, total_iterations: total, convergence: residual });
    if (outcome === 'diverge' && residual > 1e3) {
      const err = failure(`Solver diverged at iteration ${it}: residual ${residual.toExponential(2)} exceeds tolerance 1e-6 (check CFL number)`);
      job.jobFailed(id, err, { simulation_type: type, iteration: it, duration_ms: Date.now() - started, error_type: 'model' });
      return report(id, 'failed');
    }
    if (outcome === 'timeout' && it >= total * 0.7) {
      job.jobTimeout(id, 3_600_000, { simulation_type: type, iteration: it, duration_ms: Date.now() - started });
      return report(id, 'timeout');
    }
  }
  job.jobCompleted(id, { simulation_type: type, iteration: total, convergence: residual, duration_ms: Date.now() - started });
  report(id, 'completed');
}

log.workerRegistered({ capabilities: ['cfd', 'monte_carlo'], cpus: 64 });
for (let i = 0; i < JOBS; i++) await runJob();
await exporter.close();
summary('simulation', exporter.stats());
