// Makes a JavaScript game mode into a component of the game-server world:
// `node componentize.mjs SOURCE WIT_DIR OUTPUT`.
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
import { writeFile } from 'node:fs/promises';

const [sourcePath, witPath, output] = process.argv.slice(2);
if (!output) {
  console.error('usage: node componentize.mjs SOURCE WIT_DIR OUTPUT');
  process.exit(2);
}
const { component } = await componentize({
  sourcePath,
  witPath,
  worldName: 'game-server',
  disableFeatures: ['random', 'clocks', 'http', 'fetch-event'],
});
await writeFile(output, component);
