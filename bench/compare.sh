#!/usr/bin/env bash
# Side-by-side benchmark: the same scenarios, pinned the same way, against our embedded server, our 1 silo + 1 gateway
# cluster, upstream peerpigeon@1.1.3 and the PeerJS server, then the Tsung cross-check; writes the tables and plots
# of docs/performance.md from this run. `--help` for options.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
bench_dll="$root/tools/PeerPigeon.Bench/bin/Release/net10.0/PeerPigeon.Bench.dll"
gateway_dll="$root/src/PeerPigeon.Gateway/bin/Release/net10.0/PeerPigeon.Gateway.dll"

usage() {
  cat <<'EOF'
Usage: bench/compare.sh [OPTIONS]

Runs every scenario of tools/PeerPigeon.Bench against each server in turn, the server pinned to core 0 and the load
to core 1 (taskset), each scenario group on a fresh server process, then Tsung against our embedded server, and
writes the results: JSON per run in the output directory, the tables between the markers of docs/performance.md
and the plots docs/performance/*.png. Bounded: every run has a count and a time limit; the whole script takes about
8 minutes on a 2-core machine once built, plus 3-4 minutes of setup (packages, npm ci, build) on a fresh one.

Servers (--servers, in this order by default):
  embedded   our gateway with the grains in the same process (the README's first command)
  cluster    our 1 silo + 1 gateway (deploy/local/cluster.sh, Redis membership), all processes on core 0
  upstream   peerpigeon@1.1.3's PeerPigeonServer (bench/servers/upstream.mjs)
  peerjs     the PeerJS server, peer@1.0.2 (bench/servers/peerjs.mjs; relay and idle only: it has no networks)
  crossgw    our 1 silo + 2 gateways, relay only, A peers on one gateway and B peers on the other

Options:
  --servers LIST    comma list of the servers above (default embedded,cluster,upstream,peerjs,crossgw)
  --out DIR         results directory (default bench/results/<UTC time>)
  --no-setup        skip apt-get / npm ci / dotnet build (they are skipped anyway when already done)
  --no-tsung        skip the Tsung cross-check
  --no-docs         do not touch docs/performance.md and docs/performance/*.png (results and report.md only)
  -h, --help        this text

Environment: IDLE_CONNECTIONS (default 16000; each process may hold at most `ulimit -n` sockets),
JOIN_PEERS (default 1000), RELAY_RATES (offered msg/s, default "2000 5000 10000 20000 40000"),
TSUNG_PAIRS (25), TSUNG_SIZE (1024-byte sdp), TSUNG_SERVER_CPU (35: percent of core 0 the server may use during the
Tsung cross-check, through a CPU cgroup, so that the server and not the generator is the bottleneck; needs root).
EOF
}

servers=embedded,cluster,upstream,peerjs,crossgw
out=""
setup=1 tsung=1 docs=1
while (($#)); do
  case "$1" in
    --servers) servers=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-setup) setup=0; shift ;;
    --no-tsung) tsung=0; shift ;;
    --no-docs) docs=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

idle_connections=${IDLE_CONNECTIONS:-16000}
join_peers=${JOIN_PEERS:-1000}
relay_rates=${RELAY_RATES:-"2000 5000 10000 20000 40000"}
out=${out:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
started_at=$(date +%s)
node "$root/bench/report.mjs" --machine "$(basename "$out")" >"$out/machine.json"

say() { printf '[compare %4ss] %s\n' "$(($(date +%s) - started_at))" "$*" >&2; }

if (($(nproc) < 2)); then
  echo "compare.sh: needs 2 CPUs (server on core 0, load on core 1); this machine has $(nproc)" >&2
  exit 1
fi

# --- setup -----------------------------------------------------------------------------------------------------
install_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
  ((tsung == 0)) || command -v tsung >/dev/null || missing+=(tsung)
  ((${#missing[@]})) || return 0
  say "apt-get install ${missing[*]}"
  local sudo=""
  ((EUID == 0)) || sudo="sudo -n"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

if ((setup)); then
  install_packages
  if [[ ! -d "$root/bench/node_modules/peerpigeon" || ! -d "$root/bench/node_modules/peer" ]]; then
    say "npm ci (bench/: peerpigeon@1.1.3, peer@1.0.2)"
    (cd "$root/bench" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  say "dotnet build -c Release (gateway, silo, bench)"
  for project in src/PeerPigeon.Gateway src/PeerPigeon.Silo tools/PeerPigeon.Bench; do
    dotnet build "$root/$project" -c Release -v q -nologo >>"$out/build.log" 2>&1 \
      || { tail -20 "$out/build.log" >&2; exit 1; }
  done
fi

# --- servers ---------------------------------------------------------------------------------------------------
# Each start sets server_url (and server_url2 for crossgw) and server_pids (the processes whose CPU and memory count).
server_url="" server_url2="" server_pids=() node_pid="" fleet_dir=""

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_http() { # url seconds
  local deadline=$(($(date +%s) + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    (($(date +%s) < deadline)) || { echo "compare.sh: $1 did not answer within $2 s" >&2; return 1; }
    sleep 0.2
  done
}

start_server() { # name
  local port
  port=$(free_port)
  server_url="ws://127.0.0.1:$port" server_url2="" server_pids=()
  case "$1" in
    embedded)
      HOST=127.0.0.1 PORT=$port MAX_CONNECTIONS=20000 Logging__LogLevel__Default=Warning \
        taskset -c 0 dotnet "$gateway_dll" >"$out/$1.server.log" 2>&1 &
      node_pid=$!
      server_pids=("$node_pid")
      wait_http "http://127.0.0.1:$port/health" 60
      ;;
    cluster|crossgw)
      local gateways=1
      [[ $1 == crossgw ]] && gateways=2
      fleet_dir="$out/$1.fleet"
      MAX_CONNECTIONS=20000 FLEET_DIR="$fleet_dir" Logging__LogLevel__Default=Warning \
        taskset -c 0 "$root/deploy/local/cluster.sh" up --free-ports --silos 1 --gateways "$gateways" >"$out/$1.server.log" 2>&1 \
        || { tail -20 "$out/$1.server.log" >&2; return 1; }
      server_url=$(sed -n 's/^PEERPIGEON_URL=//p' "$fleet_dir/fleet.env" | tr -d "'\"")
      server_url2=$(sed -n 's/^PEERPIGEON_URL_2=//p' "$fleet_dir/fleet.env" | tr -d "'\"")
      mapfile -t server_pids < <(awk -F'\t' '$2 == "silo" || $2 == "gateway" { print $3 }' "$fleet_dir/processes")
      ;;
    upstream|peerjs)
      taskset -c 0 node "$root/bench/servers/$1.mjs" --port "$port" --max-connections 20000 >"$out/$1.server.log" 2>&1 &
      node_pid=$!
      server_pids=("$node_pid")
      local deadline=$(($(date +%s) + 30))
      until grep -q '^ready ' "$out/$1.server.log"; do
        kill -0 "$node_pid" 2>/dev/null || { cat "$out/$1.server.log" >&2; return 1; }
        (($(date +%s) < deadline)) || { echo "compare.sh: $1 did not print 'ready' within 30 s" >&2; return 1; }
        sleep 0.1
      done
      ;;
  esac
}

stop_server() { # name
  case "$1" in
    cluster|crossgw) FLEET_DIR="$fleet_dir" "$root/deploy/local/cluster.sh" down >>"$out/$1.server.log" 2>&1 || true ;;
    *)
      # A server still busy with the last scenario's closes (upstream tells every socket about every close) gets
      # 5 s to exit on SIGTERM, then SIGKILL: its shutdown is not measured.
      # (stderr closed over the whole stop: bash reports a job killed by SIGKILL as "Killed" wherever it notices.)
      {
        kill -TERM "$node_pid" || true
        local deadline=$(($(date +%s) + 5))
        while kill -0 "$node_pid"; do
          if (($(date +%s) >= deadline)); then kill -KILL "$node_pid" || true; fi
          sleep 0.1
        done
        wait "$node_pid" || true
      } 2>/dev/null
      ;;
  esac
}

# --- scenarios -------------------------------------------------------------------------------------------------
# One bench run on core 1; a failed run (exit 1: losses, backlog, skipped) is a result, not an error of the script.
bench() { # json-file args...
  local json=$1; shift
  local pids=()
  for p in "${server_pids[@]}"; do pids+=(--pid "$p"); done
  local rc=0
  taskset -c 1 dotnet "$bench_dll" "$@" "${pids[@]}" --quiet --json "$json" >"${json%.json}.txt" 2>&1 || rc=$?
  if ((rc >= 2)); then
    echo "compare.sh: bench $* exited $rc:" >&2
    tail -5 "${json%.json}.txt" >&2
    return 1
  fi
  say "  $(basename "$json" .json): $(node "$root/bench/report.mjs" --line "$json")"
}

protocol_of() { [[ $1 == peerjs ]] && echo peerjs || echo peerpigeon; }

relay_group() { # name
  local name=$1 protocol url2=()
  protocol=$(protocol_of "$name")
  [[ -n $server_url2 ]] && url2=(--url2 "$server_url2")
  for rate in $relay_rates; do
    # Offers/s is half the relayed messages/s: every offer is answered.
    bench "$out/$name/relay-open-$rate.json" relay --protocol "$protocol" --url "$server_url" "${url2[@]}" \
      --pairs 50 --size 1400 --rate $((rate / 2)) --warmup 1 --duration 4 --drain 2 --timeout 60
    # Past saturation the backlog only grows: the first failed rate is the last point of the curve.
    # (report.mjs --status: Ok, or Saturated when p99 reached 500 ms, or Failed).
    [[ $(node "$root/bench/report.mjs" --status "$out/$name/relay-open-$rate.json") == Ok ]] || break
  done
  bench "$out/$name/relay-closed.json" relay --protocol "$protocol" --url "$server_url" "${url2[@]}" \
    --pairs 50 --size 1400 --rate 0 --window 4 --warmup 2 --duration 5 --drain 3 --timeout 60
}

idle_group() { # name
  bench "$out/$1/idle.json" idle --protocol "$(protocol_of "$1")" --url "$server_url" --connections "$idle_connections" \
    --steps 4 --network-size 10 --hold 2 --timeout 240
}

discovery_group() { # name
  bench "$out/$1/join-storm.json" join-storm --url "$server_url" --peers "$join_peers" --timeout 60
  bench "$out/$1/churn.json" churn --url "$server_url" --rate 4000 --duration 5 --max-inflight 400 --timeout 60
}

run_group() { # name group-function
  say "$1: $2"
  start_server "$1"
  local rc=0
  "$2" "$1" || rc=$?
  stop_server "$1"
  return $rc
}

IFS=, read -ra server_list <<<"$servers"
for name in "${server_list[@]}"; do
  mkdir -p "$out/$name"
  case "$name" in
    embedded|cluster|upstream)
      run_group "$name" relay_group
      run_group "$name" idle_group
      run_group "$name" discovery_group
      ;;
    peerjs)
      run_group "$name" relay_group
      run_group "$name" idle_group
      ;;
    crossgw) run_group "$name" relay_group ;;
    *) echo "compare.sh: unknown server '$name' (see --help)" >&2; exit 2 ;;
  esac
done

# --- Tsung cross-check -----------------------------------------------------------------------------------------
# The same relay shape from two generators against the same fresh server: Tsung (one frame in flight per pair, see
# bench/tsung/README.md) and the bench in closed loop with --window 1; both pinned to core 1. Tsung spends more CPU
# per frame than our server does, so on equal cores it would measure itself; the server is therefore held to
# TSUNG_SERVER_CPU percent of core 0 (a CPU cgroup, quota per 10 ms) for both runs, which makes the server the
# bottleneck for both generators: throughput then says how much the server relayed, whichever tool counted it.
cpu_group=""
cap_cpu() { # percent pid...
  local percent=$1; shift
  local base=/sys/fs/cgroup
  if [[ -f $base/cgroup.controllers ]] && grep -qw cpu $base/cgroup.controllers; then
    cpu_group=$base/peerpigeon-bench-$$
    echo +cpu >"$base/cgroup.subtree_control" 2>/dev/null || true
    mkdir -p "$cpu_group" && echo "$((percent * 100)) 10000" >"$cpu_group/cpu.max"
  elif [[ -d $base/cpu ]]; then
    cpu_group=$base/cpu/peerpigeon-bench-$$
    mkdir -p "$cpu_group" && echo 10000 >"$cpu_group/cpu.cfs_period_us" && echo $((percent * 100)) >"$cpu_group/cpu.cfs_quota_us"
  else
    cpu_group=""
    return 1
  fi
  local pid
  for pid in "$@"; do echo "$pid" >"$cpu_group/cgroup.procs"; done
}
uncap_cpu() { [[ -n $cpu_group ]] && rmdir "$cpu_group" 2>/dev/null; cpu_group=""; }

tsung_check() { # name
  local port=${server_url##*:}
  # Warm the fresh server up uncapped first (JIT tiering on a capped core would fall into whichever run came first).
  bench "$out/tsung/$1/warm-up.json" relay --url "$server_url" --pairs "$tsung_pairs" --size "$tsung_size" \
    --rate 0 --window 1 --warmup 0 --duration 6 --drain 3 --timeout 60
  if cap_cpu "$tsung_server_cpu" "${server_pids[@]}" 2>/dev/null; then
    echo "$tsung_server_cpu" >"$out/tsung/$1.cpu-cap"
  else
    say "  no writable CPU cgroup: the server runs uncapped (the generators may be the bottleneck)"
    echo 100 >"$out/tsung/$1.cpu-cap"
  fi
  local rc=0
  taskset -c 1 "$root/bench/tsung/run.sh" relay --port "$port" --pid "${server_pids[0]}" --pairs "$tsung_pairs" \
    --size "$tsung_size" --warmup 3 --duration 8 --out "$out/tsung/$1" >"$out/tsung/$1.log" 2>&1 || rc=$?
  # 1 = finished with problems (listed in its JSON and in the report); anything else is a failure of the run.
  if ((rc >= 2)); then tail -20 "$out/tsung/$1.log" >&2; return 1; fi
  say "  tsung: $(grep '^tsung relay' "$out/tsung/$1.log" || echo 'no summary line')"
  bench "$out/tsung/$1/bench-relay.json" relay --url "$server_url" --pairs "$tsung_pairs" --size "$tsung_size" \
    --rate 0 --window 1 --warmup 3 --duration 8 --drain 3 --timeout 60
}

if ((tsung)); then
  tsung_pairs=${TSUNG_PAIRS:-25} tsung_size=${TSUNG_SIZE:-1024} tsung_server_cpu=${TSUNG_SERVER_CPU:-35}
  mkdir -p "$out/tsung/embedded" "$out/tsung/upstream"
  trap uncap_cpu EXIT
  for name in embedded upstream; do
    [[ ,$servers, == *,$name,* ]] || continue
    run_group "$name" tsung_check
    uncap_cpu
  done
fi

# --- report ----------------------------------------------------------------------------------------------------
say "report"
report_args=("$out")
((docs)) && report_args+=(--docs "$root/docs/performance.md" --plots "$root/docs/performance")
node "$root/bench/report.mjs" "${report_args[@]}"
say "done in $(($(date +%s) - started_at)) s: $out/report.md"
