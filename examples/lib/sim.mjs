// Helpers shared by the example connectors: pacing, a seeded random source,
// job ids, and one stdout line per job (`job <id> <outcome>`), which the
// examples test reads to find the jobs in the server.
//
// Environment:
//   EXAMPLE_JOBS   jobs to simulate (default 5)
//   EXAMPLE_SPEED  time acceleration (default 1 = realistic durations; 100 = a hundred times faster)
//   EXAMPLE_SEED   seed of the random choices (default: the time)
import { randomUUID } from 'node:crypto';

export const JOBS = Math.max(1, Number(process.env.EXAMPLE_JOBS ?? 5) || 5);
const SPEED = Math.max(0.01, Number(process.env.EXAMPLE_SPEED ?? 1) || 1);
let seed = Number(process.env.EXAMPLE_SEED ?? Date.now()) >>> 0;

/** Waits `ms` of simulated time. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms / SPEED));

/** A number in [0, 1) (mulberry32: the same seed gives the same run). */
export function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const between = (lo, hi) => Math.round(lo + random() * (hi - lo));
export const pick = (items) => items[Math.floor(random() * items.length)];
export const chance = (p) => random() < p;
export const jobId = (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** An Error with the properties real clients set (code, status), so classification has its evidence. */
export function failure(message, props = {}) {
  return Object.assign(new Error(message), props);
}

/** One line per finished job, read by the examples test. */
export function report(id, outcome) {
  process.stdout.write(`job ${id} ${outcome}\n`);
}

/** The exporter's counters in one line on stderr (stdout carries the job lines). */
export function summary(name, s) {
  process.stderr.write(`${name}: sent ${s.sent}, spooled ${s.spooled}, replayed ${s.replayed}, dropped ${s.dropped}${s.lastError ? `, last error: ${s.lastError}` : ''}\n`);
}
