// Runs a worker entry as Electron's utilityProcess would: with `process.parentPort` (messages
// arrive as `{ data }` events, replies go out with postMessage), so the entry takes its
// utility-process path in parent-channel.ts. Over Node's IPC channel the messages travel in
// `{ port }` envelopes (see FakeUtilityProcess), which only this port opens and closes.
// Usage: node parent-port.shim.ts <entry> [args…]
import { pathToFileURL } from 'node:url';

type PortListener = (event: { data: unknown }) => void;

const entry = process.argv[2];
if (!entry) throw new Error('usage: parent-port.shim.ts <entry> [args…]');
// The entry sees its own arguments, as it would in a utility process.
process.argv.splice(2, 1);

const listeners: PortListener[] = [];
Object.defineProperty(process, 'parentPort', {
  value: {
    on(event: string, listener: PortListener) {
      if (event === 'message') listeners.push(listener);
    },
    postMessage(message: unknown) {
      if (process.connected) process.send?.({ port: message });
    },
  },
});
process.on('message', (envelope: { port?: unknown }) => {
  for (const listener of listeners) listener({ data: envelope.port });
});
// A parentPort has no 'disconnect' for the worker to see: a utility process ends with its app,
// and this one ends with the process that forked it.
process.on('disconnect', () => process.exit(0));

await import(pathToFileURL(entry).href);
