#!/usr/bin/env bash
# A PeerPigeon.Orleans fleet on this machine without containers: its own Redis (cluster membership), N silos and M
# gateways as plain processes on 127.0.0.1, with logs, PIDs and URLs in a state directory. `--help` for the commands.
set -euo pipefail

script_path=$(readlink -f "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "$script_path")/../.." && pwd)
silo_dll="$root/src/PeerPigeon.Silo/bin/Release/net10.0/PeerPigeon.Silo.dll"
gateway_dll="$root/src/PeerPigeon.Gateway/bin/Release/net10.0/PeerPigeon.Gateway.dll"

start_timeout=${FLEET_START_TIMEOUT:-90}
stop_timeout=${FLEET_STOP_TIMEOUT:-10}

usage() {
  cat <<'EOF'
Usage: deploy/local/cluster.sh COMMAND [OPTIONS]

A local PeerPigeon.Orleans fleet: one Redis (cluster membership), N silos and M gateways, all on 127.0.0.1.

Commands:
  up      Start a fleet in the background in stages (Redis, then the silos, then the gateways), each stage waiting
          until it answers (Redis PING, GET /health 200 on every silo, then on every gateway), print a table of
          processes, PIDs, URLs and logs, and return. The processes keep running (each in its own session) until
          `down`. A taken port is named and nothing is started; a process that dies during the start, or a start
          that takes longer than FLEET_START_TIMEOUT, is reported with its log's last lines and everything started
          is stopped (exit 1).
  down    Stop exactly the processes recorded by `up` (gateways, then silos, then Redis if the script started it):
          SIGTERM, up to FLEET_STOP_TIMEOUT s each stage, then SIGKILL. A PID is signalled only while it is still
          the process that was started (same PID and start time).
  status  Each recorded process: alive or dead, and its health (Redis PING, GET /health). Exit 0 when all are alive
          and healthy, 1 otherwise, 3 when no fleet is recorded.
  run     `up` in the foreground, for tools that start a server and stop it with a signal: on SIGTERM, SIGINT or SIGHUP
          it does `down` and exits 0; if a fleet process dies it stops the rest and exits 1. Honours HOST (default
          127.0.0.1), PORT (first gateway) and SECOND_PORT (second gateway); every other port (Redis, silos, further
          gateways) is a free one picked at random, never the defaults, so it cannot collide with a fleet from `up`.
          State goes to a new directory deploy/local/.fleet/run-<time>-<pid> (or FLEET_DIR); the ten newest stopped
          ones are kept. A watchdog stops the fleet if this script is killed outright (SIGKILL).

Options (up, run):
  --silos N                     silos (default 2, or FLEET_SILOS)
  --gateways M                  gateways (default 2, or FLEET_GATEWAYS)
  --transport observer|stream   push transport (default observer, or PUSH_TRANSPORT)
  --build                       run `dotnet build -c Release` first; without it the Release dlls are built only when
                                missing (so after changing the code, pass --build or build yourself)
  --free-ports                  up: every port a free one picked at random (as `run` does) instead of the defaults
                                below; fleet.env and the table say which (for scripts and CI next to other fleets)

Environment (up; `run` uses free ports instead, see above):
  REDIS_PORT              6379 (when unset and 6379 is taken, the next free port up to 6399 is used)
  GATEWAY_BASE_PORT       3000   gateways on 3000, 3001, ...   ws://127.0.0.1:3000 is the first
  SILO_BASE_PORT          11111  silo-to-silo ports 11111, 11112, ...
  SILO_GATEWAY_BASE_PORT  30000  Orleans gateway ports of the silos 30000, 30001, ...
  SILO_HTTP_BASE_PORT     8080   silo HTTP (/health, /metrics, /dashboard) 8080, 8081, ...
  REDIS_CONNECTION_STRING when set, use that Redis instead of starting one (and never stop it)
  FLEET_DIR               state directory: PIDs, logs, fleet.env (default deploy/local/.fleet, gitignored)
  FLEET_START_TIMEOUT     seconds to wait for the fleet to become healthy (default 90)
  FLEET_STOP_TIMEOUT      seconds per stop stage before SIGKILL (default 10)
Every other variable (AUTH_TOKEN, DUPLICATE_PEER_POLICY, MESSAGE_TTL_MS, ...) is passed to every silo and gateway.
Each `up` gets a new ORLEANS_CLUSTER_ID (local-<time>-<pid>).

Redis: /usr/bin/redis-server is used; when missing it is installed with apt-get (root, or sudo without a password).
Readiness needs no curl or redis-cli: HTTP and Redis are spoken over bash's /dev/tcp.

Files in the state directory: processes (name, kind, PID, start time, ports, URL, log), fleet.env (sourceable:
FLEET_CLUSTER_ID, PEERPIGEON_URL, PEERPIGEON_URL_2, PEERPIGEON_DASHBOARD_URL, ...), redis.log, silo<i>.log,
gateway<j>.log.

Examples:
  deploy/local/cluster.sh up                       # 2 silos, 2 gateways: ws://127.0.0.1:3000 and :3001
  AUTH_TOKEN=secret deploy/local/cluster.sh up --silos 3 --transport stream
  deploy/local/cluster.sh status
  deploy/local/cluster.sh down
  PEERPIGEON_SERVER_CMD="bash deploy/local/cluster.sh run" ...   # a tool supplies HOST, PORT, SECOND_PORT
EOF
}

say() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --- processes ----------------------------------------------------------------------------------------------------

# Field 22 of /proc/<pid>/stat (start time in clock ticks since boot): with the PID it names one process for good.
proc_field() { # pid field(3 = state, 22 = start time)
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # the command name may contain spaces and parentheses; the fields after it do not
  local -a fields
  read -r -a fields <<<"$stat"
  printf '%s\n' "${fields[$(($2 - 3))]}"
}

# True while PID is the very process we started (same start time) and has not exited. A process that exited but was
# not reaped yet is a zombie (state Z); so is a thread-group leader whose own thread ended while others still run,
# hence every thread is looked at.
is_ours_alive() { # pid start
  local start state task
  start=$(proc_field "$1" 22) || return 1
  [[ $start == "$2" ]] || return 1
  for task in /proc/"$1"/task/*; do
    state=$(proc_field "$1/task/${task##*/}" 3) || continue
    [[ $state == Z || $state == X ]] || return 0
  done
  return 1
}

# --- ports and probes (bash /dev/tcp only) -------------------------------------------------------------------------

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_status() { # port path -> HTTP status code, 000 when there is no answer
  local code
  code=$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
    IFS=' ' read -r -t 3 _ status _ <&3 || exit 1
    printf '%s' "$status"
  ) || code=000
  printf '%s\n' "${code:-000}"
}

redis_ping() { # port
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 3 reply <&3 || exit 1
    [[ $reply == +PONG* ]]
  ) 2>/dev/null
}

health_of() { # kind port http -> "ok" / "HTTP 503" / "no answer"
  case $1 in
    redis) if redis_ping "$2"; then echo ok; else echo "no answer"; fi ;;
    silo | gateway)
      local port=$2 code
      [[ $1 == silo ]] && port=$3
      code=$(http_status "$port" /health)
      case $code in 200) echo ok ;; 000) echo "no answer" ;; *) echo "HTTP $code" ;; esac
      ;;
  esac
}

declare -A reserved=()
# Sets REPLY to a port in 20000-31999 (below Linux's ephemeral range) that nothing listens on and that this run has
# not handed out yet.
pick_free_port() {
  local port
  for _ in $(seq 1 500); do
    port=$((20000 + RANDOM % 12000))
    if [[ -z ${reserved[$port]:-} ]] && ! port_busy "$port"; then
      reserved[$port]=1
      REPLY=$port
      return 0
    fi
  done
  die "no free port found in 20000-31999 after 500 tries"
}

# --- state ---------------------------------------------------------------------------------------------------------

fleet_dir=
procs=

set_fleet_dir() {
  fleet_dir=$(realpath -m -- "$1")
  procs="$fleet_dir/processes"
}

# Reads the processes file into parallel arrays p_name, p_kind, p_pid, p_start, p_port, p_http, p_url, p_log.
load_processes() {
  p_name=() p_kind=() p_pid=() p_start=() p_port=() p_http=() p_url=() p_log=()
  [[ -f $procs ]] || return 1
  local name kind pid start port http url log
  while IFS=$'\t' read -r name kind pid start port http url log; do
    [[ -n $name && $name != \#* ]] || continue
    p_name+=("$name") p_kind+=("$kind") p_pid+=("$pid") p_start+=("$start")
    p_port+=("$port") p_http+=("$http") p_url+=("$url") p_log+=("$log")
  done <"$procs"
}

any_alive() {
  load_processes || return 1
  local i
  for i in "${!p_pid[@]}"; do
    is_ours_alive "${p_pid[$i]}" "${p_start[$i]}" && return 0
  done
  return 1
}

launch() { # name kind port http url log -- command...
  local name=$1 kind=$2 port=$3 http=$4 url=$5 log=$6
  shift 7
  # setsid: each process leads its own session, so neither a closed terminal nor a signal to the caller's process
  # group reaches it; `down` (or run's trap) stops it deliberately, in order.
  setsid "$@" </dev/null >"$log" 2>&1 &
  local pid=$! start
  start=$(proc_field "$pid" 22) || start=unknown
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$pid" "$start" "$port" "$http" "$url" "$log" >>"$procs"
}

# Stops every recorded process that is still ours: gateways first (they close their sockets with 1001), then silos
# (they leave the membership table), then Redis. Each stage: SIGTERM, a bounded wait, then SIGKILL.
stop_recorded() {
  load_processes || return 0
  local kind i stage_pids deadline label
  for kind in gateway silo redis; do
    stage_pids=()
    for i in "${!p_pid[@]}"; do
      [[ ${p_kind[$i]} == "$kind" ]] || continue
      if is_ours_alive "${p_pid[$i]}" "${p_start[$i]}"; then
        kill -TERM "${p_pid[$i]}" 2>/dev/null || true
        stage_pids+=("$i")
      fi
    done
    ((${#stage_pids[@]} > 0)) || continue
    local stage_start=${EPOCHREALTIME/./}
    deadline=$((SECONDS + stop_timeout))
    while ((SECONDS < deadline)); do
      local left=0
      for i in "${stage_pids[@]}"; do
        is_ours_alive "${p_pid[$i]}" "${p_start[$i]}" && left=1
      done
      ((left)) || break
      sleep 0.2 # polling interval of a bounded wait
    done
    for i in "${stage_pids[@]}"; do
      if is_ours_alive "${p_pid[$i]}" "${p_start[$i]}"; then
        say "${p_name[$i]} (pid ${p_pid[$i]}) still running after ${stop_timeout}s: SIGKILL"
        kill -KILL "${p_pid[$i]}" 2>/dev/null || true
      else
        say "stopped ${p_name[$i]} (pid ${p_pid[$i]})"
      fi
    done
    case $kind in redis) label=redis ;; *) label=${kind}s ;; esac
    say "$label down in $(((${EPOCHREALTIME/./} - stage_start) / 1000)) ms"
  done
  # Reap our own children (run mode, or a failed start) so none is left as a zombie; not ours: no-op.
  wait "${p_pid[@]}" 2>/dev/null || true
  mv -f "$procs" "$fleet_dir/processes.stopped"
  rm -f "$fleet_dir/fleet.env"
}

print_table() {
  load_processes || return 0
  # shellcheck disable=SC1091
  [[ -f $fleet_dir/fleet.env ]] && . "$fleet_dir/fleet.env"
  printf 'cluster %s, push transport %s, state %s\n' "${FLEET_CLUSTER_ID:-?}" "${FLEET_TRANSPORT:-?}" "$fleet_dir"
  [[ -n ${FLEET_EXTERNAL_REDIS:-} ]] && printf 'redis: %s (not started by this script)\n' "$FLEET_EXTERNAL_REDIS"
  printf '%-10s %-8s %-45s %s\n' PROCESS PID URL LOG
  local i
  for i in "${!p_pid[@]}"; do
    printf '%-10s %-8s %-45s %s\n' "${p_name[$i]}" "${p_pid[$i]}" "${p_url[$i]}" "${p_log[$i]}"
  done
  printf 'tests: source %s (PEERPIGEON_URL, PEERPIGEON_URL_2, PEERPIGEON_DASHBOARD_URL)\n' "$fleet_dir/fleet.env"
}

# --- up --------------------------------------------------------------------------------------------------------------

silos=${FLEET_SILOS:-2}
gateways=${FLEET_GATEWAYS:-2}
transport=${PUSH_TRANSPORT:-observer}
force_build=0
free_ports=0

parse_options() {
  while (($# > 0)); do
    case $1 in
      --silos) silos=${2:-}; shift 2 || die "--silos needs a number" ;;
      --silos=*) silos=${1#*=}; shift ;;
      --gateways) gateways=${2:-}; shift 2 || die "--gateways needs a number" ;;
      --gateways=*) gateways=${1#*=}; shift ;;
      --transport) transport=${2:-}; shift 2 || die "--transport needs observer or stream" ;;
      --transport=*) transport=${1#*=}; shift ;;
      --build) force_build=1; shift ;;
      --free-ports) free_ports=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
  done
  [[ $silos =~ ^[1-9][0-9]*$ ]] || die "--silos must be a whole number of at least 1, got '$silos'"
  [[ $gateways =~ ^[1-9][0-9]*$ ]] || die "--gateways must be a whole number of at least 1, got '$gateways'"
  [[ $transport == observer || $transport == stream ]] || die "--transport must be 'observer' or 'stream', got '$transport'"
}

ensure_built() {
  if ((force_build)) || [[ ! -f $silo_dll || ! -f $gateway_dll ]]; then
    command -v dotnet >/dev/null || die "dotnet (SDK 10) is required to build the silo and gateway"
    say "building Release (dotnet build PeerPigeon.Orleans.sln -c Release)"
    dotnet build "$root/PeerPigeon.Orleans.sln" -c Release -nologo -v quiet >&2 || die "the build failed"
  fi
  command -v dotnet >/dev/null || die "dotnet (runtime 10) is required to run the silo and gateway"
}

ensure_redis() {
  command -v redis-server >/dev/null && return 0
  say "redis-server is missing: installing it with apt-get"
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
      die "redis-server is missing and this is not root (nor is password-less sudo available): apt-get install -y redis-server"
    fi
    sudo=(sudo -n)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2 ||
    die "apt-get install redis-server failed"
  command -v redis-server >/dev/null || die "redis-server is still not on PATH after installing it"
}

# Plans the ports: in `up` from the *_BASE_PORT variables, with --free-ports and in `run` free random ones (`run`:
# the gateways on PORT and SECOND_PORT when set).
redis_port=''
external_redis=''
declare -a silo_ports=() silo_gw_ports=() silo_http_ports=() gateway_ports=()

plan_ports() { # mode
  local i busy=()
  external_redis=${REDIS_CONNECTION_STRING:-}
  local first=${PORT:-} second=${SECOND_PORT:-}
  if [[ $1 != run ]]; then first='' second=''; fi
  if [[ $1 == run ]] || ((free_ports)); then
    if [[ -n $first ]]; then reserved[$first]=1; fi
    if [[ -n $second ]]; then reserved[$second]=1; fi
    if [[ -z $external_redis ]]; then pick_free_port; redis_port=$REPLY; fi
    for ((i = 0; i < silos; i++)); do
      pick_free_port; silo_ports[i]=$REPLY
      pick_free_port; silo_gw_ports[i]=$REPLY
      pick_free_port; silo_http_ports[i]=$REPLY
    done
    for ((i = 0; i < gateways; i++)); do
      if ((i == 0)) && [[ -n $first ]]; then
        gateway_ports[i]=$first
      elif ((i == 1)) && [[ -n $second ]]; then
        gateway_ports[i]=$second
      else
        pick_free_port; gateway_ports[i]=$REPLY
      fi
    done
  else
    if [[ -z $external_redis ]]; then
      if [[ -n ${REDIS_PORT:-} ]]; then
        redis_port=$REDIS_PORT
      else
        for redis_port in $(seq 6379 6399); do port_busy "$redis_port" || break; done
        port_busy "$redis_port" && die "ports 6379-6399 are all taken: set REDIS_PORT to a free port"
        if [[ $redis_port != 6379 ]]; then say "port 6379 is taken: Redis goes on $redis_port"; fi
      fi
    fi
    for ((i = 0; i < silos; i++)); do
      silo_ports[i]=$((${SILO_BASE_PORT:-11111} + i))
      silo_gw_ports[i]=$((${SILO_GATEWAY_BASE_PORT:-30000} + i))
      silo_http_ports[i]=$((${SILO_HTTP_BASE_PORT:-8080} + i))
    done
    for ((i = 0; i < gateways; i++)); do gateway_ports[i]=$((${GATEWAY_BASE_PORT:-3000} + i)); done
  fi

  # Every port this fleet will listen on must be free now (and distinct); name each one that is not.
  declare -A seen=()
  local name port
  local -a all=()
  [[ -n $redis_port && -z $external_redis ]] && all+=("redis:REDIS_PORT:$redis_port")
  for ((i = 0; i < silos; i++)); do
    all+=("silo$((i + 1)):ORLEANS_SILO_PORT:${silo_ports[i]}" "silo$((i + 1)):ORLEANS_GATEWAY_PORT:${silo_gw_ports[i]}"
      "silo$((i + 1)):SILO_HTTP_PORT:${silo_http_ports[i]}")
  done
  for ((i = 0; i < gateways; i++)); do all+=("gateway$((i + 1)):PORT:${gateway_ports[i]}"); done
  for name in "${all[@]}"; do
    port=${name##*:}
    if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then die "${name%:*} = '$port' is not a TCP port"; fi
    if [[ -n ${seen[$port]:-} ]]; then
      busy+=("$port (${name%:*}) is also planned for ${seen[$port]}")
    elif port_busy "$port"; then
      busy+=("$port (${name%:*}) is taken by another process")
    fi
    seen[$port]=${name%:*}
  done
  if ((${#busy[@]} > 0)); then
    say "cannot start: port conflicts (nothing was started):"
    for name in "${busy[@]}"; do say "  $name"; done
    [[ $1 == up ]] && say "choose other ports with REDIS_PORT, GATEWAY_BASE_PORT, SILO_BASE_PORT, SILO_GATEWAY_BASE_PORT, SILO_HTTP_BASE_PORT"
    exit 1
  fi
}

# Stops what this start launched and exits 1, after showing the end of the logs of the processes named.
fail_start() { # message, then indexes of processes whose logs to show
  local message=$1 i
  shift
  say "$message"
  for i in "$@"; do
    say "last lines of ${p_log[$i]}:"
    tail -n 25 "${p_log[$i]}" 2>/dev/null | sed 's/^/    | /' >&2 || true
  done
  say "stopping what was started"
  stop_recorded
  exit 1
}

# Waits until every process recorded so far is healthy, at most until `deadline` (SECONDS).
wait_until_healthy() {
  local i pending status
  load_processes
  while :; do
    pending=()
    for i in "${!p_pid[@]}"; do
      if ! is_ours_alive "${p_pid[$i]}" "${p_start[$i]}"; then
        fail_start "${p_name[$i]} (pid ${p_pid[$i]}) exited during start" "$i"
      fi
      status=$(health_of "${p_kind[$i]}" "${p_port[$i]}" "${p_http[$i]}")
      [[ $status == ok ]] || pending+=("$i:$status")
    done
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      local names=() idx=()
      for i in "${pending[@]}"; do
        names+=("${p_name[${i%%:*}]} (${i#*:})")
        idx+=("${i%%:*}")
      done
      fail_start "not healthy within ${start_timeout}s (FLEET_START_TIMEOUT): ${names[*]}" "${idx[@]}"
    fi
    sleep 0.5 # polling interval of the bounded readiness wait
  done
}

start_fleet() { # mode (up | run)
  local mode=$1 host=127.0.0.1 i
  if [[ $mode == run ]]; then host=${HOST:-127.0.0.1}; fi
  ensure_built
  [[ -n ${REDIS_CONNECTION_STRING:-} ]] || ensure_redis
  mkdir -p "$fleet_dir"
  if any_alive; then
    die "a fleet is already running from $fleet_dir: 'cluster.sh status' shows it, 'cluster.sh down' stops it (or set FLEET_DIR)"
  fi
  plan_ports "$mode"

  local started=${EPOCHREALTIME/./} cluster_id
  deadline=$((SECONDS + start_timeout))
  cluster_id="local-$(date +%Y%m%d%H%M%S)-$$"
  local redis_conn=${external_redis:-127.0.0.1:$redis_port}
  : >"$procs"
  rm -f "$fleet_dir/processes.stopped"
  {
    printf 'FLEET_CLUSTER_ID=%q\nFLEET_TRANSPORT=%q\nFLEET_DIR=%q\n' "$cluster_id" "$transport" "$fleet_dir"
    printf 'REDIS_CONNECTION_STRING=%q\n' "$redis_conn"
    [[ -n $external_redis ]] && printf 'FLEET_EXTERNAL_REDIS=%q\n' "$external_redis"
    printf 'PEERPIGEON_URL=%q\n' "ws://$host:${gateway_ports[0]}"
    ((gateways > 1)) && printf 'PEERPIGEON_URL_2=%q\n' "ws://$host:${gateway_ports[1]}"
    printf 'PEERPIGEON_DASHBOARD_URL=%q\n' "http://$host:${silo_http_ports[0]}/dashboard"
  } >"$fleet_dir/fleet.env"

  local common=(ORLEANS_CLUSTERING=redis "REDIS_CONNECTION_STRING=$redis_conn" "ORLEANS_CLUSTER_ID=$cluster_id"
    "PUSH_TRANSPORT=$transport" "HOST=$host")
  say "starting: cluster $cluster_id, $silos silo(s), $gateways gateway(s), transport $transport, state $fleet_dir"

  if [[ -z $external_redis ]]; then
    launch redis redis "$redis_port" - "redis://127.0.0.1:$redis_port" "$fleet_dir/redis.log" -- \
      redis-server --bind 127.0.0.1 --port "$redis_port" --protected-mode yes --save '' --appendonly no \
      --dir "$fleet_dir" --logfile ''
  fi
  wait_until_healthy
  for ((i = 0; i < silos; i++)); do
    launch "silo$((i + 1))" silo "${silo_ports[i]}" "${silo_http_ports[i]}" \
      "http://$host:${silo_http_ports[i]}/dashboard" "$fleet_dir/silo$((i + 1)).log" -- \
      env "${common[@]}" "SILO_NAME=silo$((i + 1))" ORLEANS_ADVERTISED_ADDRESS=127.0.0.1 \
      "ORLEANS_SILO_PORT=${silo_ports[i]}" "ORLEANS_GATEWAY_PORT=${silo_gw_ports[i]}" \
      "SILO_HTTP_PORT=${silo_http_ports[i]}" dotnet "$silo_dll"
  done
  # Every silo healthy before any gateway starts: a gateway answering /health then means the whole cluster is there
  # (a tool that only watches PORT gets every silo, not just the first one to join).
  wait_until_healthy
  for ((i = 0; i < gateways; i++)); do
    launch "gateway$((i + 1))" gateway "${gateway_ports[i]}" - "ws://$host:${gateway_ports[i]}" \
      "$fleet_dir/gateway$((i + 1)).log" -- env "${common[@]}" "PORT=${gateway_ports[i]}" dotnet "$gateway_dll"
  done

  wait_until_healthy
  say "fleet healthy in $(((${EPOCHREALTIME/./} - started) / 1000)) ms"
  print_table
}

# --- commands --------------------------------------------------------------------------------------------------------

cmd_up() {
  parse_options "$@"
  set_fleet_dir "${FLEET_DIR:-$root/deploy/local/.fleet}"
  # While stopping, further signals are ignored: a tool that repeats its SIGTERM must not cut the ordered stop short.
  trap 'trap "" INT TERM HUP; say "interrupted: stopping what was started"; stop_recorded; exit 130' INT TERM HUP
  start_fleet up
  trap - INT TERM HUP
}

cmd_down() {
  (($# == 0)) || die "down takes no options"
  set_fleet_dir "${FLEET_DIR:-$root/deploy/local/.fleet}"
  if [[ ! -f $procs ]]; then
    say "no fleet recorded in $fleet_dir: nothing to stop"
    return 0
  fi
  stop_recorded
  say "fleet stopped; logs stay in $fleet_dir"
}

cmd_status() {
  (($# == 0)) || die "status takes no options"
  set_fleet_dir "${FLEET_DIR:-$root/deploy/local/.fleet}"
  if ! load_processes; then
    say "no fleet recorded in $fleet_dir"
    exit 3
  fi
  # shellcheck disable=SC1091
  [[ -f $fleet_dir/fleet.env ]] && . "$fleet_dir/fleet.env"
  printf 'cluster %s, push transport %s, state %s\n' "${FLEET_CLUSTER_ID:-?}" "${FLEET_TRANSPORT:-?}" "$fleet_dir"
  printf '%-10s %-8s %-6s %-10s %-45s %s\n' PROCESS PID STATE HEALTH URL LOG
  local i state health bad=0
  for i in "${!p_pid[@]}"; do
    if is_ours_alive "${p_pid[$i]}" "${p_start[$i]}"; then
      state=alive
      health=$(health_of "${p_kind[$i]}" "${p_port[$i]}" "${p_http[$i]}")
    else
      state=dead health=-
      bad=1
    fi
    [[ $health == ok || $health == - ]] || bad=1
    printf '%-10s %-8s %-6s %-10s %-45s %s\n' "${p_name[$i]}" "${p_pid[$i]}" "$state" "$health" "${p_url[$i]}" "${p_log[$i]}"
  done
  exit "$bad"
}

# The watchdog of `run`: in its own session (so it outlives a SIGKILL of this script's process group), it waits for
# this script to disappear and then stops whatever the fleet still has running. After a normal stop it finds nothing.
start_watchdog() {
  # shellcheck disable=SC2016 # the inner script expands its own positional parameters
  setsid bash -c '
    trap "" TERM INT HUP
    while kill -0 "$1" 2>/dev/null && [[ $(cut -d" " -f3 "/proc/$1/stat" 2>/dev/null) != Z ]]; do sleep 1; done
    FLEET_DIR=$3 exec bash "$2" __reap
  ' watchdog "$$" "$script_path" "$fleet_dir" </dev/null >>"$fleet_dir/watchdog.log" 2>&1 &
  watchdog_pid=$!
  watchdog_start=$(proc_field "$watchdog_pid" 22) || watchdog_start=unknown
}

stop_watchdog() {
  [[ -n ${watchdog_pid:-} ]] && is_ours_alive "$watchdog_pid" "$watchdog_start" && kill -KILL "$watchdog_pid" 2>/dev/null
  return 0
}

prune_run_dirs() { # keeps the ten newest stopped run directories
  local base=$root/deploy/local/.fleet dir count=0
  [[ -d $base ]] || return 0
  while IFS= read -r dir; do
    if (set_fleet_dir "$dir" && any_alive); then continue; fi # a fleet that is still running
    count=$((count + 1))
    if ((count > 10)); then rm -rf -- "$dir"; fi
  done < <(ls -1dt "$base"/run-* 2>/dev/null)
  return 0
}

cmd_run() {
  parse_options "$@"
  prune_run_dirs
  set_fleet_dir "${FLEET_DIR:-$root/deploy/local/.fleet/run-$(date +%Y%m%d-%H%M%S)-$$}"
  watchdog_pid=
  # While stopping, further signals are ignored: a tool that repeats its SIGTERM (the conformance suite's shutdown
  # test does) must not cut the ordered stop short; SIGKILL still ends it, and then the watchdog finishes the stop.
  trap 'trap "" INT TERM HUP; say "signal: stopping the fleet"; stop_recorded; stop_watchdog; exit 0' INT TERM HUP
  mkdir -p "$fleet_dir"
  start_watchdog
  start_fleet run
  # Foreground until a signal (the trap) or until a fleet process exits.
  local i
  while :; do
    wait -n || true
    load_processes || exit 1
    for i in "${!p_pid[@]}"; do
      if ! is_ours_alive "${p_pid[$i]}" "${p_start[$i]}"; then
        trap "" INT TERM HUP
        say "${p_name[$i]} (pid ${p_pid[$i]}) exited: stopping the fleet (log: ${p_log[$i]})"
        stop_recorded
        stop_watchdog
        exit 1
      fi
    done
  done
}

command=${1:-}
(($# > 0)) && shift
case $command in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status "$@" ;;
  run) cmd_run "$@" ;;
  __reap) # the watchdog's call: stop what is recorded in FLEET_DIR, quietly if nothing is
    set_fleet_dir "$FLEET_DIR"
    if any_alive; then say "watchdog: the run script is gone; stopping its fleet"; fi
    if [[ -f $procs ]]; then stop_recorded; fi
    ;;
  -h | --help | help) usage ;;
  '') usage >&2; exit 2 ;;
  *) say "unknown command '$command'"; usage >&2; exit 2 ;;
esac
