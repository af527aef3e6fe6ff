/** The fleet simulator (issue #5): queue, connectors, faults, API and webhook services, workers. */
export * from './queue/index.js';
export * from './connectors/index.js';
export * from './random/index.js';
export * from './webhook/index.js';
export { createApiApp, jobSpec, type ApiOptions } from './api/app.js';
export { SimWorker, type WorkerOptions } from './fleet/worker.js';
export { Fleet, type FleetOptions, type FleetStats } from './fleet/fleet.js';
export { LoadGenerator, type LoadOptions } from './fleet/load.js';
export { SCENARIOS, scheduleFor, type ScenarioName, type ScheduledFault } from './fleet/scenario.js';
export { startDemo, type Demo, type DemoOptions } from './demo/demo.js';
