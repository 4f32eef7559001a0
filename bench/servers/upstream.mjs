// Upstream's signaling server, npm peerpigeon@1.1.3, for side-by-side benchmarks:
//   node bench/servers/upstream.mjs --port 3911 --max-connections 20000
// Listens on 127.0.0.1 only; prints `ready <port> <pid>` once listening; stops on SIGTERM/SIGINT.
import { PeerPigeonServer } from 'peerpigeon';
import { announceReadyAndHandleSignals, fail, readSettings } from './options.mjs';

// Upstream logs with console.log on every accepted socket ("Peer connected") and every announce,
// whatever `verboseLogging` says; at bench rates that terminal I/O would be part of the CPU being
// measured. So console.log (and info/debug) are no-ops in this process only; errors and warnings
// still go to stderr. The ready line is written to stdout directly.
console.log = () => {};
console.info = () => {};
console.debug = () => {};

const { port, maxConnections } = readSettings({ port: 3000, maxConnections: 1000 });
const server = new PeerPigeonServer({ port, host: '127.0.0.1', maxConnections });
let listening = false;
// A listen error (port in use) is re-emitted on the server, which would otherwise crash with a stack trace.
server.on('error', (error) => listening
  ? process.stderr.write(`upstream server error: ${error?.message ?? error}\n`)
  : fail(`cannot listen on 127.0.0.1:${port}: ${error?.message ?? error}`));
const started = await server.start();
if (started.port !== port) {
  // start() silently moves to the next free port when the requested one is taken.
  await server.stop();
  fail(`port ${port} is in use (upstream would have moved to ${started.port})`);
}
listening = true;
announceReadyAndHandleSignals(started.port, () => server.stop());
