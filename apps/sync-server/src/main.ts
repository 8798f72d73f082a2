// Entry point of the sync server (`pnpm server`). One V8 setting first, before anything else is
// loaded: receiving a large upload allocates socket buffers at disk speed, and by default V8 starts
// a full collection of the heap for every few megabytes of such external memory, which took some
// 40 % of the CPU (measured: 128 MiB uploads at ~290 MiB/s). Counting external memory in the heap's
// global limit instead lets the buffers be collected with the heap's own rhythm (~600 MiB/s).
import v8 from 'node:v8';

v8.setFlagsFromString('--external-memory-accounted-in-global-limit');
await import('./server-main.ts');
