// Bundles the client app: src/main.ts → dist/app.js, with index.html and app.css beside it.
// `node build.mjs` (production: minified) or `node build.mjs --dev` (source maps, readable).
import console from 'node:console';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const dev = process.argv.includes('--dev');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const result = await build({
    entryPoints: [path.join(here, 'src/main.ts')],
    outfile: path.join(dist, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    tsconfig: path.join(here, 'tsconfig.json'),
});
await copyFile(path.join(here, 'src/index.html'), path.join(dist, 'index.html'));
await copyFile(path.join(here, 'src/app.css'), path.join(dist, 'app.css'));
// One size per output file: the bundle, and with --dev its source map, which the browser loads only with
// its developer tools open.
const sizes = Object.entries(result.metafile.outputs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
        ([file, output]) => `${path.relative(here, path.resolve(file))} ${(output.bytes / 1024).toFixed(0)} KiB`,
    );
console.log(`client-app: ${sizes.join(', ')}`);
