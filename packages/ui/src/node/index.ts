/**
 * Where the built web UI is: the CLI hands this directory to the server
 * (config.uiDir), which serves it at `/`. The bundle is made by build.ts
 * (esbuild) during the workspace build.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the bundle (index.html, app.js, app.css). */
export function uiPublicDir(): string {
  return fileURLToPath(new URL('../public/', import.meta.url));
}

/** True when the bundle has been built. */
export function uiBuilt(): boolean {
  return existsSync(`${uiPublicDir()}index.html`);
}
