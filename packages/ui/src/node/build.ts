/**
 * Bundles the browser app with esbuild: src/app/main.tsx → dist/public/app.js
 * (+ app.css from the imported CSS, including uPlot's), and writes index.html.
 * Run by the workspace build after tsc: `node packages/ui/dist/node/build.js`
 * (`--watch` rebuilds on change). Minified, with a source map.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { uiPublicDir } from './index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = uiPublicDir();

const INDEX = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jobscope</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="/app.js"></script>
</body>
</html>
`;

export async function buildUi(opts: { watch?: boolean } = {}): Promise<void> {
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}index.html`, INDEX);
  const options: esbuild.BuildOptions = {
    entryPoints: { app: `${root}src/app/main.tsx` },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outdir: out,
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  };
  if (opts.watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    process.stderr.write(`watching ${root}src/app\n`);
    return;
  }
  await esbuild.build(options);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildUi({ watch: process.argv.includes('--watch') }).catch((e: unknown) => {
    process.stderr.write(`ui build failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
