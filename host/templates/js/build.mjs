// Builds dist/{{name}}.wasm, a component of the world `game-server`, from
// src/game.js and the SDK in wit/: `npm run build`.
//
// It calls componentize-js (SpiderMonkey compiled to wasm, with the module
// snapshotted after it is evaluated) through its API. The engine's WASI
// features are off but for stdio, so that an uncaught exception's message
// reaches the game server's log; the host grants nothing else anyway.
//
// componentize-js loads @bytecodealliance/preview2-shim without declaring
// it, so package.json names it, at the version whose file system reaches
// the absolute paths given here.

import { componentize } from '@bytecodealliance/componentize-js';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The absolute path of `path`, relative to this project's folder. */
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const { component } = await componentize({
  sourcePath: here('src/game.js'),
  witPath: here('wit'),
  worldName: 'game-server',
  disableFeatures: ['random', 'clocks', 'http', 'fetch-event'],
});
await mkdir(here('dist'), { recursive: true });
await writeFile(here('dist/{{name}}.wasm'), component);
console.log('built dist/{{name}}.wasm');
