/**
 * A tiny SQL fragment builder whose only output is
 * `{ sql, params }` with ClickHouse server-side parameters (`{p0:String}`).
 *
 * SQL text can come from exactly two places:
 *  - the literal parts of an `sql`-tagged template in our source code;
 *  - `schemaExpr()`, for column expressions of a table descriptor, which
 *    refuses quotes, backslashes, braces, semicolons, comments and anything
 *    else that could carry a literal or a parameter.
 * Every other value goes through `param.*` and ends up in `params`. There is
 * deliberately no raw-string escape hatch: interpolating a plain string
 * throws (and does not type-check).
 */

export type ParamType = 'String' | 'Float64' | 'Int64';

// Constructors are reachable only through these module-private functions
// (assigned in static blocks) and check a module-private token at run time,
// so nothing outside this file can make a fragment from arbitrary text or a
// parameter of an arbitrary type, even by casting.
const TOKEN = Symbol('sql.ts');
function checkToken(token: unknown): void {
  if (token !== TOKEN) throw new TypeError('SQL fragments and parameters are built with sql`` and param.*() only');
}
let makeParam: (type: ParamType, value: string | number) => Param;
let makeSql: (chunks: readonly Chunk[]) => Sql;

/** A value bound server-side. Build with `param.string()` etc. */
export class Param {
  readonly type: ParamType;
  readonly value: string | number;
  private constructor(token: symbol, type: ParamType, value: string | number) {
    checkToken(token);
    this.type = type;
    this.value = value;
    Object.freeze(this);
  }
  static {
    makeParam = (type, value) => new Param(TOKEN, type, value);
  }
}

const INT64 = /^-?\d{1,19}$/;

export const param = {
  string(value: string): Param {
    if (typeof value !== 'string') throw new TypeError('param.string: expected a string');
    return makeParam('String', value);
  },
  float64(value: number): Param {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('param.float64: expected a finite number');
    return makeParam('Float64', value);
  },
  /** 64-bit integers travel as decimal strings (JS numbers lose precision past 2^53). */
  int64(value: bigint | number | string): Param {
    const text = typeof value === 'bigint' ? value.toString() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !INT64.test(text)) throw new TypeError('param.int64: expected an integer');
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n) throw new TypeError('param.int64: out of range');
    return makeParam('Int64', text);
  },
};

type Chunk = string | Param;

/** An immutable piece of SQL: trusted text interleaved with parameters. */
export class Sql {
  readonly chunks: readonly Chunk[];
  private constructor(token: symbol, chunks: readonly Chunk[]) {
    checkToken(token);
    this.chunks = Object.freeze(chunks.slice());
    Object.freeze(this);
  }
  static {
    makeSql = (chunks) => new Sql(TOKEN, chunks);
  }
}

function isTemplate(strings: unknown): strings is TemplateStringsArray {
  return Array.isArray(strings) && Object.isFrozen(strings) && Array.isArray((strings as { raw?: unknown }).raw);
}

/** `sql\`${a} = ${param.string(v)}\``: only Sql fragments and Params may be interpolated. */
export function sql(strings: TemplateStringsArray, ...values: ReadonlyArray<Sql | Param>): Sql {
  if (!isTemplate(strings)) throw new TypeError('sql must be used as a tagged template');
  const chunks: Chunk[] = [];
  for (let i = 0; i < strings.length; i++) {
    if (strings[i] !== '') chunks.push(strings[i]);
    if (i < values.length) {
      const v: unknown = values[i];
      if (v instanceof Sql) chunks.push(...v.chunks);
      else if (v instanceof Param) chunks.push(v);
      else throw new TypeError('sql: only Sql fragments and param.*() values may be interpolated');
    }
  }
  return makeSql(chunks);
}

/**
 * What a schema expression may contain: identifiers, numbers, calls,
 * operators, `[`/`]` for array/map access, backquoted plain identifiers and
 * single-quoted plain words (`dateDiff('millisecond', …)`, `Attrs['model']`).
 * No double quotes, backslashes, braces (parameters), `;`, `#`, `--`, `/*`.
 */
const SCHEMA_EXPR = /^(?:[A-Za-z0-9_ \n.,()+\-*/%<>=![\]]|`[A-Za-z0-9_.]+`|'[A-Za-z0-9_ .:-]*'(?!'))+$/;

/**
 * A column expression from a table descriptor (`JobId`,
 * `argMaxMerge(Status)`, `Duration / 1e6`), parenthesized unless it is an
 * identifier or a single call, so operators around it bind as expected.
 * Only for text written in this repository's schema files, never for user
 * input; the check keeps even a mistake from carrying a parameter, a
 * comment, or a literal other than a plain word.
 */
export function schemaExpr(text: string): Sql {
  if (typeof text !== 'string' || text.trim() === '' || !SCHEMA_EXPR.test(text) || /--|\/\*|\*\//.test(text)) {
    throw new TypeError(`schemaExpr: not a plain column expression: ${JSON.stringify(String(text).slice(0, 60))}`);
  }
  const t = text.trim();
  return makeSql([isAtom(t) ? t : `(${t})`]);
}

/** An identifier, or one call spanning the whole text (`argMaxMerge(Status)`): safe next to an operator. */
function isAtom(text: string): boolean {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return true;
  const call = /^[A-Za-z_][A-Za-z0-9_]*\(/.exec(text);
  if (call === null) return false;
  let depth = 0;
  for (let i = call[0].length - 1; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i === text.length - 1;
  }
  return false;
}

/** Fragments joined by a separator fragment (`sql\` AND \``). */
export function join(parts: readonly Sql[], separator: Sql): Sql {
  const chunks: Chunk[] = [];
  parts.forEach((p, i) => {
    if (i > 0) chunks.push(...separator.chunks);
    chunks.push(...p.chunks);
  });
  return makeSql(chunks);
}

export interface RenderedSql {
  readonly sql: string;
  readonly params: Record<string, string | number>;
}

const PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;

/**
 * Number the parameters `${prefix}0`, `${prefix}1`, … and produce the final
 * text. A Param object used twice (one map key in both ends of a range) gets
 * one name.
 */
export function render(fragment: Sql, prefix = 'p'): RenderedSql {
  if (!PREFIX.test(prefix)) throw new TypeError(`render: bad parameter prefix ${JSON.stringify(prefix)}`);
  let text = '';
  const params: Record<string, string | number> = {};
  const names = new Map<Param, string>();
  for (const c of fragment.chunks) {
    if (typeof c === 'string') {
      text += c;
      continue;
    }
    let name = names.get(c);
    if (name === undefined) {
      name = `${prefix}${names.size}`;
      names.set(c, name);
      params[name] = c.value;
    }
    text += `{${name}:${c.type}}`;
  }
  return { sql: text, params };
}
