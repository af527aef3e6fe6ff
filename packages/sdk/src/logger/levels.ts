/** Log levels: names as written on the record (the contract's `level`), pino's numbers for ordering. */

export const LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];
/** A threshold: a level name, or `silent` for nothing at all (events included). */
export type LevelSetting = LevelName | 'silent';

/** Index into LEVEL_NAMES; `silent` is past the end. */
export type LevelIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const TRACE = 0, DEBUG = 1, INFO = 2, WARN = 3, ERROR = 4, FATAL = 5, SILENT = 6;

/** The index of a level setting; unknown names fall back to `info` (never throw on config). */
export function levelIndex(setting: string | undefined): LevelIndex {
  if (setting === 'silent') return SILENT;
  const i = LEVEL_NAMES.indexOf((setting ?? '').toLowerCase() as LevelName);
  return (i < 0 ? INFO : i) as LevelIndex;
}
