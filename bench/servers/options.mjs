// Command-line and environment settings shared by the server launchers: --port / PORT and
// --max-connections / MAX_CONNECTIONS (the flag wins). Both are required to be positive integers.
export function readSettings(defaults) {
  const settings = { port: defaults.port, maxConnections: defaults.maxConnections };
  const env = { port: process.env.PORT, maxConnections: process.env.MAX_CONNECTIONS };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') settings[key] = value;
  }
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    const key = { '--port': 'port', '--max-connections': 'maxConnections' }[flag];
    if (!key) fail(`unknown argument '${args[i]}'; accepted: --port N, --max-connections N`);
    const value = inline ?? args[++i];
    if (value === undefined) fail(`${flag} needs a value`);
    settings[key] = value;
  }
  for (const [key, value] of Object.entries(settings)) {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > (key === 'port' ? 65535 : 1_000_000)) {
      fail(`${key === 'port' ? '--port' : '--max-connections'} must be a positive integer, got '${value}'`);
    }
    settings[key] = number;
  }
  return settings;
}

// Prints the one line a harness waits for, then stops the process on SIGTERM/SIGINT: `stop` gets
// a bounded time to close the sockets, after which the process exits anyway.
export function announceReadyAndHandleSignals(port, stop) {
  process.stdout.write(`ready ${port} ${process.pid}\n`);
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    const forced = setTimeout(() => process.exit(0), 3000);
    forced.unref();
    Promise.resolve()
      .then(stop)
      .catch((error) => process.stderr.write(`stop after ${signal} failed: ${error?.message ?? error}\n`))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

export function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}
