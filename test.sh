#!/usr/bin/env bash
# The whole test suite: builds, runs the .NET tests (unit, grain, gateway end-to-end), then the Node suites against the
# real server for each push transport: the outside conformance suite (tests/node/conformance), the bad-input
# resilience check (tests/node/resilience), official clients reconnecting after the server dropped them
# (tests/node/reconnect), official peerpigeon@1.1.3 clients with real WebRTC (tests/node/client) and the browser
# build in headless Chromium (tests/node/browser); then against a fleet on Redis (deploy/local/cluster.sh): the
# conformance suite with peers spread over two gateways, official clients, raw peers and browser pages across
# gateways, the dashboard in headless Chromium, Prometheus series. Installs redis-server and chromium with apt-get
# when missing. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
config=Release
out="$root/tests/output"
mkdir -p "$out"

command -v dotnet >/dev/null || { echo "dotnet (SDK 10) is required" >&2; exit 1; }
command -v node >/dev/null || { echo "node (20+) is required" >&2; exit 1; }

# Real parts, installed from Debian when missing: Redis for the fleet tests, Chromium for the browser tests.
echo "== system packages (redis-server, chromium)"
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if (( ${#missing[@]} > 0 )); then
  as_root=()
  [[ $(id -u) == 0 ]] || as_root=(sudo -n)
  { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}"; } \
    || { echo "could not install ${missing[*]} with apt-get (run as root or with passwordless sudo)" >&2; exit 1; }
fi

echo "== npm packages for the Node tests"
(cd tests/node && npm ci --ignore-scripts --no-audit --no-fund) || { echo "npm ci failed" >&2; exit 1; }

echo "== build ($config)"
dotnet build PeerPigeon.Orleans.sln -c "$config" -nologo -v quiet || { echo "build failed" >&2; exit 1; }

# Totals, and one line per suite, printed again at the end with what failed in it, so the tail of a long log says
# what went wrong.
passed=0
failed=0
results=()
record() { # $1 = label, $2 = passed, $3 = failed, $4 = what failed (lines)
  passed=$((passed + ${2:-0})); failed=$((failed + ${3:-0}))
  results+=("$(printf '%-28s %4s passed, %s failed' "$1" "${2:-0}" "${3:-0}")")
  if [[ -n ${4:-} ]]; then results+=("$(sed 's/^/    /' <<<"$4")"); fi
}

# What failed in a run, for the summary: each failed test (at most 20) with the first lines of its error; the log
# holds the rest (stack, output).
dotnet_failures() { # $1 = log of a dotnet test run (console logger, normal verbosity)
  awk '/^ +Failed [A-Za-z_]+\.[A-Za-z0-9_.]+/ { if (++tests > 20) exit; print; mode = 0; next }
       tests && /^ +Error Message:/ { mode = 1; shown = 0; next }
       /^ +(Stack Trace|Standard Output Messages):/ { mode = 0 }
       mode && shown < 6 { print "  " substr($0, 1, 300); shown++ }' "$1"
}
node_failures() { # $1 = TAP log of node --test: "not ok" lines (skips aside) and their YAML `error:`
  awk '/^ *not ok / && !/# SKIP/ { if (++tests > 20) exit; sub(/^ *not ok [0-9]+ - /, ""); print; mode = 1; next }
       mode == 1 && /^ +error: / { line = $0; sub(/^ +error: /, "", line); mode = 0
                                   if (line !~ /^[|>]/) { print "    " substr(line, 1, 300); next }
                                   mode = 2; shown = 0; next }
       mode == 2 && /^ +[a-zA-Z]+: / { mode = 0 }
       mode == 2 && shown < 4 { print "  " substr($0, 1, 300); shown++ }
       /^ +\.\.\.$/ { mode = 0 }' "$1"
}

# Two runs: the fleet tests (real silo and gateway processes, timing bounds) run alone, after everything else.
# A test (or fixture) busy for 3 minutes fails the run instead of blocking it: the longest test takes ~25 s.
dotnet_tests() { # $1 = label, $2 = filter
  local log="$out/dotnet-$1.log"
  echo "== .NET tests: $1"
  dotnet test PeerPigeon.Orleans.sln -c "$config" --no-build -nologo --filter "$2" --blame-hang-timeout 3m \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=dotnet-$1.trx" --results-directory "$out" 2>&1 | tee "$log"
  local exit_code=${PIPESTATUS[0]}
  # Failed tests; for a run that did not end well, also what the blame collector says of a test host that hung or
  # crashed (the tests it was running, or that they had all finished: a fixture's teardown hung).
  local what blame
  what=$(dotnet_failures "$log")
  [[ $exit_code != 0 ]] && blame=$(grep -E '^The active test run was aborted|Blame' "$log" | head -5) && what+="${what:+$'\n'}$blame"
  local pass fail
  pass=$(grep -E '^ +Passed: [0-9]+$' "$log" | tail -1 | awk '{print $2}')
  fail=$(grep -E '^ +Failed: [0-9]+$' "$log" | tail -1 | awk '{print $2}')
  if ! grep -qE '^Total tests: [0-9]+' "$log"; then
    echo "the .NET test run ($1) did not report a summary" >&2
    record "dotnet-$1" 0 1 "no summary (exit $exit_code; ${pass:-0} passed, ${fail:-0} failed before it ended)${what:+$'\n'$what}"
    return
  fi
  if [[ $exit_code != 0 && ${fail:-0} == 0 ]]; then
    echo "dotnet test ($1) exited with $exit_code" >&2
    fail=1 what="exit $exit_code${what:+$'\n'$what}"
  fi
  record "dotnet-$1" "${pass:-0}" "${fail:-0}" "$what"
}
dotnet_tests main 'FullyQualifiedName!~PeerPigeon.Tests.Fleet'
dotnet_tests fleet 'FullyQualifiedName~PeerPigeon.Tests.Fleet'

gateway_dll="$root/src/PeerPigeon.Gateway/bin/$config/net10.0/PeerPigeon.Gateway.dll"

# Runs one node --test target and adds its counts. $1 = label, rest = env assignments and test path.
node_suite() {
  local label=$1; shift
  local log="$out/node-$label.log"
  echo "== node: $label"
  env "$@" 2>&1 | tee "$log"
  local pass fail
  pass=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  local what
  what=$(node_failures "$log")
  if [[ -z "$pass" ]]; then
    echo "node suite $label did not report results" >&2
    record "$label" 0 1 "no results${what:+$'\n'$what}"
  else
    record "$label" "$pass" "$fail" "$what"
  fi
}

healthy() { node -e 'fetch(`http://127.0.0.1:${process.argv[1]}/health`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$1"; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# bench/report.mjs: the published performance tables match their committed results (no server needed).
node_suite "bench-report" node --test --test-reporter=tap tests/node/bench/

echo "== note: tests/node/conformance/suites/hub-token.js (hub federation, PROTOCOL.md §5) is not run: federation is not built (docs/decisions.md, 11)"
for transport in observer stream; do
  node_suite "conformance-$transport" \
    PEERPIGEON_SERVER_CMD="dotnet $gateway_dll" \
    PEERPIGEON_SERVER_ENV="{\"PUSH_TRANSPORT\":\"$transport\"}" \
    node --test --test-reporter=tap tests/node/conformance/

  node_suite "resilience-$transport" \
    PEERPIGEON_SERVER_CMD="dotnet $gateway_dll" \
    PEERPIGEON_SERVER_ENV="{\"PUSH_TRANSPORT\":\"$transport\"}" \
    node --test --test-reporter=tap tests/node/resilience/

  node_suite "reconnect-$transport" \
    PEERPIGEON_SERVER_CMD="dotnet $gateway_dll" \
    PEERPIGEON_SERVER_ENV="{\"PUSH_TRANSPORT\":\"$transport\"}" \
    PEERPIGEON_SERVER_LOG_DIR="$out/reconnect-$transport" \
    node --test --test-reporter=tap --test-concurrency=1 tests/node/reconnect/

  port=$(free_port)
  HOST=127.0.0.1 PORT=$port PUSH_TRANSPORT=$transport dotnet "$gateway_dll" >"$out/server-$transport.log" 2>&1 &
  server=$!
  ready=0
  for _ in $(seq 1 120); do
    if healthy "$port"; then ready=1; break; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.25
  done
  if [[ $ready == 1 ]]; then
    node_suite "official-client-$transport" PEERPIGEON_URL="ws://127.0.0.1:$port" \
      node --test --test-reporter=tap tests/node/client/
    node_suite "browser-$transport" PEERPIGEON_URL="ws://127.0.0.1:$port" PEERPIGEON_OUTPUT_DIR="$out/single-$transport" \
      node --test --test-reporter=tap tests/node/browser/
  else
    echo "the server for the official-client and browser tests ($transport) did not become healthy; see $out/server-$transport.log" >&2
    record "server-$transport" 0 1 "did not become healthy: $out/server-$transport.log"
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
done

# The fleet: Redis clustering, two silos and two gateways (deploy/local/cluster.sh), for each push transport. The
# conformance suite with its peers spread over both gateways (one fresh fleet per configuration), then official
# clients on different gateways, the dashboard in headless Chromium and the Prometheus series.
for transport in observer stream; do
  node_suite "conformance-fleet-$transport" \
    PEERPIGEON_SPREAD=2 \
    PEERPIGEON_SERVER_CMD="bash $root/deploy/local/cluster.sh run" \
    PEERPIGEON_SERVER_ENV="{\"PUSH_TRANSPORT\":\"$transport\"}" \
    PEERPIGEON_SERVER_LOG_DIR="$out/conformance-fleet-$transport" \
    node --test --test-reporter=tap tests/node/conformance/

  fleet_dir="$out/fleet-$transport"
  token=$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')
  if AUTH_TOKEN=$token FLEET_DIR="$fleet_dir" bash deploy/local/cluster.sh up --free-ports --transport "$transport" \
      >"$out/fleet-$transport-up.log" 2>&1; then
    # shellcheck disable=SC2046 # fleet.env holds one PEERPIGEON_*=value per line, without spaces
    node_suite "fleet-$transport" $(grep -E '^PEERPIGEON_' "$fleet_dir/fleet.env") \
      PEERPIGEON_AUTH_TOKEN="$token" PEERPIGEON_OUTPUT_DIR="$fleet_dir" \
      node --test --test-reporter=tap tests/node/fleet/
    # shellcheck disable=SC2046
    node_suite "browser-fleet-$transport" $(grep -E '^PEERPIGEON_' "$fleet_dir/fleet.env") \
      PEERPIGEON_AUTH_TOKEN="$token" PEERPIGEON_REQUIRE_TWO_GATEWAYS=1 PEERPIGEON_OUTPUT_DIR="$fleet_dir" \
      node --test --test-reporter=tap tests/node/browser/
  else
    echo "the local fleet ($transport) did not start; see $out/fleet-$transport-up.log" >&2
    record "fleet-$transport" 0 1 "did not start: $out/fleet-$transport-up.log"
  fi
  FLEET_DIR="$fleet_dir" bash deploy/local/cluster.sh down >>"$out/fleet-$transport-up.log" 2>&1
done

echo
echo "== summary"
printf '%s\n' "${results[@]}"
echo
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
