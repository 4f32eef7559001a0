// The PeerJS signaling server, npm peer@1.0.2, for side-by-side benchmarks:
//   node bench/servers/peerjs.mjs --port 3912 --max-connections 20000
// Listens on 127.0.0.1 only, path '/', so clients connect to ws://127.0.0.1:<port>/peerjs?key=peerjs&id=<id>&token=<t>.
// Prints `ready <port> <pid>` once listening; stops on SIGTERM/SIGINT. The server logs nothing per connection.
import { PeerServer } from 'peer';
import { announceReadyAndHandleSignals, fail, readSettings } from './options.mjs';

const { port, maxConnections } = readSettings({ port: 9000, maxConnections: 5000 });
let listening = false;
const http = await new Promise((resolve) => {
  const app = PeerServer({
    port,
    host: '127.0.0.1',
    path: '/',
    key: 'peerjs',
    // Clients beyond it get {"type":"ERROR","payload":{"msg":"Server has reached its concurrent user limit"}}.
    concurrent_limit: maxConnections,
    // The package default (90 s, checked every 300 ms): a client that sent no HEARTBEAT for this long is closed.
    alive_timeout: 90_000,
    allow_discovery: false,
  }, resolve);
  // A listen error (port in use) reaches the app's 'error' event too (re-emitted by the ws server).
  app.on('error', (error) => listening
    ? process.stderr.write(`peer server error: ${error?.message ?? error}\n`)
    : fail(`cannot listen on 127.0.0.1:${port}: ${error?.message ?? error}`));
});
listening = true;

announceReadyAndHandleSignals(http.address().port, () => new Promise((resolve) => {
  http.close(() => resolve());
  http.closeAllConnections();
}));
