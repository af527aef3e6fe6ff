/** Configuration of the filter processor (log records only). */
import { JobscopeError, LEVELS, type Level } from '@jobscope/core';

/** A test on one field of a log record; every predicate given must hold. */
export interface FilterCondition {
  /** `body`, `level`/`severity`, `severity_number`, `severity_text`, `event_name`, `trace_id`, `span_id`, or an attribute key. */
  field: string;
  equals?: string | number | boolean;
  in?: Array<string | number>;
  /** A regular expression source, or /source/flags (flags from i, m, s, u). */
  matches?: string;
  /** true: the field has a (non-empty) value; false: it has none. */
  exists?: boolean;
}

export interface FilterRule extends FilterCondition {
  action: 'drop' | 'keep';
}

export interface SampleConfig {
  /** Share of records kept, in (0, 1]. */
  rate: number;
  /** Field whose value decides (hashed): records sharing it are kept or dropped together. */
  by: string;
  /** Records at this level or above are never sampled away. */
  keepSeverityAtLeast: Level;
  /** Sample only the records this condition matches (the others are kept). */
  when?: FilterCondition;
}

export interface FilterConfig {
  /** Records below this level are dropped (records without a known level are kept). */
  minSeverity?: Level;
  /** In order; the first that matches decides. */
  rules: FilterRule[];
  sample?: SampleConfig;
}

export const DEFAULT_FILTER_CONFIG: Readonly<FilterConfig> = { rules: [] };
export const DEFAULT_SAMPLE_CONFIG: Readonly<Omit<SampleConfig, 'rate'>> = { by: 'job_id', keepSeverityAtLeast: 'warn' };

export type FilterConfigInput = Partial<Omit<FilterConfig, 'sample'>> & {
  sample?: Partial<SampleConfig> & { rate: number };
};

const bad = (msg: string): never => { throw new JobscopeError('JS_CONFIG', `filter.${msg}`); };
const isLevel = (v: unknown): v is Level => typeof v === 'string' && (LEVELS as readonly string[]).includes(v);

/** Defaults applied and validated (regexes are compiled to check them). */
export function resolveFilterConfig(input: FilterConfigInput = {}): FilterConfig {
  if (input === null || typeof input !== 'object') bad('config must be an object');
  const { sample, ...rest } = input;
  const c: FilterConfig = { ...DEFAULT_FILTER_CONFIG, ...definedOnly(rest) };
  if (sample !== undefined) {
    if (sample === null || typeof sample !== 'object') bad('sample must be an object');
    c.sample = { ...DEFAULT_SAMPLE_CONFIG, ...definedOnly(sample) } as SampleConfig;
  }
  validateFilterConfig(c);
  return c;
}

export function validateFilterConfig(c: FilterConfig): void {
  if (c.minSeverity !== undefined && !isLevel(c.minSeverity)) bad(`minSeverity must be one of ${LEVELS.join(', ')}`);
  if (!Array.isArray(c.rules)) bad('rules must be a list');
  c.rules.forEach((r, i) => {
    if (r === null || typeof r !== 'object') bad(`rules[${i}] must be an object`);
    if (r.action !== 'drop' && r.action !== 'keep') bad(`rules[${i}].action must be drop or keep`);
    validateCondition(r, `rules[${i}]`);
  });
  const s = c.sample;
  if (s === undefined) return;
  if (typeof s.rate !== 'number' || !(s.rate > 0 && s.rate <= 1)) bad('sample.rate must be a number in (0, 1]');
  if (typeof s.by !== 'string' || s.by === '') bad('sample.by must be a field name');
  if (!isLevel(s.keepSeverityAtLeast)) bad(`sample.keepSeverityAtLeast must be one of ${LEVELS.join(', ')}`);
  if (s.when !== undefined) {
    if (s.when === null || typeof s.when !== 'object') bad('sample.when must be an object');
    validateCondition(s.when, 'sample.when');
  }
}

function validateCondition(c: FilterCondition, at: string): void {
  if (typeof c.field !== 'string' || c.field === '') bad(`${at}.field must be a non-empty string`);
  let predicates = 0;
  if (c.equals !== undefined) {
    predicates++;
    if (!['string', 'number', 'boolean'].includes(typeof c.equals)) bad(`${at}.equals must be a string, number or boolean`);
  }
  if (c.in !== undefined) {
    predicates++;
    if (!Array.isArray(c.in) || c.in.length === 0 || c.in.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      bad(`${at}.in must be a non-empty list of strings or numbers`);
    }
  }
  if (c.matches !== undefined) {
    predicates++;
    if (typeof c.matches !== 'string') bad(`${at}.matches must be a regular expression string`);
    try {
      parseRegex(c.matches);
    } catch (err) {
      bad(`${at}.matches is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  if (c.exists !== undefined) {
    predicates++;
    if (typeof c.exists !== 'boolean') bad(`${at}.exists must be true or false`);
  }
  if (predicates === 0) bad(`${at} needs one of equals, in, matches, exists`);
}

/** The object without its undefined entries (an explicit undefined must not hide a default). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `source` or `/source/flags` as a (non-global, so stateless) RegExp. */
export function parseRegex(s: string): RegExp {
  const m = /^\/(.*)\/([imsu]*)$/s.exec(s);
  return m ? new RegExp(m[1]!, m[2]) : new RegExp(s);
}
