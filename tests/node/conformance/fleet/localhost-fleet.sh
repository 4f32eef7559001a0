#!/usr/bin/env bash
# A whole fleet on this machine for the conformance suite's spread mode (README.md, "Spread mode"): one silo
# (src/PeerPigeon.Silo) and two gateways (src/PeerPigeon.Gateway, ORLEANS_CLUSTERING=localhost) in one Orleans cluster.
#
#   PEERPIGEON_SPREAD=2 PEERPIGEON_SERVER_CMD="bash tests/node/conformance/fleet/localhost-fleet.sh" \
#     node --test tests/node/conformance/
#
# Needs HOST, PORT (gateway 0) and SECOND_PORT (gateway 1), which the suite sets. Every other variable of the
# environment (the configuration under test, PEERPIGEON_SERVER_ENV's extras such as PUSH_TRANSPORT) reaches the silo
# AND both gateways: silo-side settings (DUPLICATE_PEER_POLICY, MESSAGE_TTL_MS, MAX_DISCOVERY_PEERS, IS_HUB,
# HUB_MESH_NAMESPACE, PUSH_TRANSPORT …) are read by the silo, connection settings by the gateways.
# The silo's ports are free ports picked here, and the cluster id is unique per run, so two fleets never join.
#
# It does not exec: it waits for its three children. On SIGTERM/SIGINT it sends TERM to exactly those three PIDs, waits
# for them (bounded by FLEET_STOP_TIMEOUT_S, default 8, below the suite's 10 s before it kills the process group)
# and KILLs whichever is left. If one child exits on its own, the others are stopped the same way and the script exits
# with that child's status, so the suite sees a dead server instead of half a fleet.
#
# Optional: FLEET_BUILD_CONFIGURATION (Release), FLEET_START_TIMEOUT_S (60: until the silo accepts gateway
# connections), FLEET_STOP_TIMEOUT_S (8).
set -u

log() { echo "[fleet] $*"; }
die() { echo "[fleet] error: $*" >&2; exit 2; }

: "${HOST:?HOST must be set (the conformance suite sets HOST=127.0.0.1)}"
: "${PORT:?PORT must be set (gateway 0; the conformance suite sets it)}"
: "${SECOND_PORT:?SECOND_PORT must be set (gateway 1; the conformance suite sets it with PEERPIGEON_SPREAD=2)}"
[[ $PORT != "$SECOND_PORT" ]] || die "PORT and SECOND_PORT are both $PORT"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
build=${FLEET_BUILD_CONFIGURATION:-Release}
silo_dll="$root/src/PeerPigeon.Silo/bin/$build/net10.0/PeerPigeon.Silo.dll"
gateway_dll="$root/src/PeerPigeon.Gateway/bin/$build/net10.0/PeerPigeon.Gateway.dll"
for dll in "$silo_dll" "$gateway_dll"; do
  [[ -f $dll ]] || die "$dll is missing: build first (dotnet build PeerPigeon.Orleans.sln -c $build)"
done
start_timeout=${FLEET_START_TIMEOUT_S:-60}
stop_timeout=${FLEET_STOP_TIMEOUT_S:-8}
command -v node >/dev/null || die "node is needed to pick free ports"

# Two distinct free ports on 127.0.0.1 (the silo's port and its gateway port), held open together so they differ.
read -r silo_port silo_gateway_port < <(node -e '
  const net = require("node:net");
  const servers = [net.createServer(), net.createServer()];
  Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
    .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });
')
[[ -n ${silo_port:-} && -n ${silo_gateway_port:-} ]] || die "could not pick free ports for the silo"
cluster_id="conformance-$$-$(date +%s%N)-$RANDOM"

pids=()
names=()
stopping=0

# start NAME COMMAND…: runs COMMAND in the background, its output prefixed with [NAME]; records its PID. The prefixing
# sed ignores TERM/INT (it is in the process group the suite signals) so that it keeps the child's shutdown output and
# ends when the child closes its output.
start() {
  local name=$1
  shift
  "$@" > >(trap '' TERM INT; exec sed -u "s/^/[$name] /") 2>&1 &
  pids+=("$!")
  names+=("$name")
  log "started $name: pid $!"
}

running() { # PID: still one of our running jobs (the job table, not kill -0, so a reused PID is never mistaken)
  local p
  for p in $(jobs -rp); do [[ $p == "$1" ]] && return 0; done
  return 1
}

any_running() {
  local p
  for p in "${pids[@]}"; do running "$p" && return 0; done
  return 1
}

stop_all() { # $1: why
  [[ $stopping == 1 ]] && return
  stopping=1
  trap '' TERM INT # a second signal (the suite signals the whole group, then may signal again) must not cut this short
  log "stopping (${1}): TERM to ${pids[*]}"
  local p i
  for p in "${pids[@]}"; do running "$p" && kill -TERM "$p" 2>/dev/null; done
  local deadline=$((SECONDS + stop_timeout))
  while any_running && ((SECONDS < deadline)); do
    sleep 0.1 # polling interval of a bounded wait for our children to exit
  done
  for i in "${!pids[@]}"; do
    if running "${pids[$i]}"; then
      log "${names[$i]} (pid ${pids[$i]}) still running after ${stop_timeout} s: KILL"
      kill -KILL "${pids[$i]}" 2>/dev/null
    fi
  done
  wait "${pids[@]}" 2>/dev/null
  log "stopped"
}

trap 'stop_all "SIGTERM"; exit 143' TERM
trap 'stop_all "SIGINT"; exit 130' INT
trap 'stop_all "exit"' EXIT

log "cluster $cluster_id: silo on 127.0.0.1:$silo_port (gateway port $silo_gateway_port), gateways on $HOST:$PORT and $HOST:$SECOND_PORT"

start silo env \
  ORLEANS_SILO_PORT="$silo_port" ORLEANS_GATEWAY_PORT="$silo_gateway_port" ORLEANS_PRIMARY_SILO_PORT="$silo_port" \
  ORLEANS_CLUSTER_ID="$cluster_id" \
  dotnet "$silo_dll"
silo_pid=${pids[0]}

# The gateways are Orleans clients: start them once the silo accepts connections on its gateway port (bounded).
deadline=$((SECONDS + start_timeout))
until (exec 3<>"/dev/tcp/127.0.0.1/$silo_gateway_port") 2>/dev/null; do
  running "$silo_pid" || { wait "$silo_pid"; code=$?; log "the silo exited ($code) before accepting gateway connections"; exit "$code"; }
  ((SECONDS < deadline)) || { log "the silo did not accept connections on port $silo_gateway_port within $start_timeout s"; exit 1; }
  sleep 0.2 # polling interval of a bounded readiness probe
done
log "silo accepts gateway connections on port $silo_gateway_port"

for gw in 0 1; do
  port=$PORT
  [[ $gw == 1 ]] && port=$SECOND_PORT
  start "gw$gw :$port" env \
    ORLEANS_CLUSTERING=localhost ORLEANS_GATEWAY_PORT="$silo_gateway_port" ORLEANS_CLUSTER_ID="$cluster_id" \
    HOST="$HOST" PORT="$port" \
    dotnet "$gateway_dll"
done

# Wait for the first child to exit on its own (a signal interrupts the wait and runs its trap instead).
wait -n -p exited "${pids[@]}"
code=$?
if [[ -n ${exited:-} ]]; then
  for i in "${!pids[@]}"; do [[ ${pids[$i]} == "$exited" ]] && log "${names[$i]} (pid $exited) exited on its own with status $code"; done
fi
stop_all "a child exited"
exit "$code"
