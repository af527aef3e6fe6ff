/**
 * Which files the globs name now: include patterns expanded (tinyglobby),
 * exclude patterns removed, regular files only, sorted for a stable order.
 * Patterns are absolute, so the expansion runs from '/' (exclude patterns
 * like `**\/*.gz` then apply to the whole path).
 */
import { glob } from 'tinyglobby';

export async function expandGlobs(include: readonly string[], exclude: readonly string[]): Promise<string[]> {
  const paths = await glob(include, {
    absolute: true,
    cwd: '/',
    ignore: exclude,
    onlyFiles: true,
    expandDirectories: false,
  });
  return [...new Set(paths)].sort();
}
