// Runs the module `workerData.entry` in a worker thread. The server runs from TypeScript source
// under tsx, whose loader a worker thread does not inherit: it is registered here first. Plain
// JavaScript, so that Node can start it without any loader.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
