/** A positive whole number from the environment (underscores allowed: 1_000_000), or the default. */
export function envInt(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number (got '${v}')`);
  return n;
}
