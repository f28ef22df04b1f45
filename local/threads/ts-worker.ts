/**
 * Start a worker thread on a TypeScript file, under `npm run` (tsx) and inside vitest alike.
 *
 * Why not `new Worker(url)`: Node 20 loads a worker's entry file before any `--import` hooks it
 * inherits take effect, so a .ts entry fails with ERR_UNKNOWN_FILE_EXTENSION even when the parent
 * runs under tsx, and vitest's own transform does not reach worker threads at all. The worker
 * therefore starts as a tiny eval'd bootstrap that registers tsx's ESM loader (tsx/esm/api
 * `register()`, resolved to an absolute file URL from this package) and then imports the entry.
 * A .js entry (a compiled build) starts directly; so does a bundled `.mjs` beside a missing .ts
 * entry (the benchmarks bundle themselves and their workers into .bench/ with esbuild).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxApiUrl: string | undefined;

function tsxEsmApi(): string {
  if (!tsxApiUrl) {
    const require = createRequire(import.meta.url);
    // The package's "./esm/api" export, import condition (dist/esm/api/index.mjs).
    const root = dirname(require.resolve('tsx/package.json'));
    tsxApiUrl = pathToFileURL(join(root, 'dist', 'esm', 'api', 'index.mjs')).href;
  }
  return tsxApiUrl;
}

export function startTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  if (!existsSync(fileURLToPath(entry))) {
    const bundled = new URL(entry.href.replace(/\.ts$/, '.mjs'));
    if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, options);
  }
  const code =
    `import(${JSON.stringify(tsxEsmApi())})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })` +
    '.catch((error) => { setImmediate(() => { throw error; }); });';
  // execArgv: [] — the parent's flags (tsx's own --import, vitest's) are not for this thread.
  return new Worker(code, { execArgv: [], ...options, eval: true });
}
