#!/usr/bin/env bash
# An independent load cross-check of a PeerPigeon signaling server with Tsung 1.7 (Debian package `tsung`).
#
#   bench/tsung/run.sh relay --port P [--pairs N] [--duration S] [--warmup S] [--size BYTES] [--block N] [--pid SERVER_PID] --out DIR
#   bench/tsung/run.sh idle  --port P [--connections N] [--network-size N] [--hold S] [--pid SERVER_PID] --out DIR
#
# Renders bench/tsung/<scenario>.xml.in into DIR, runs `tsung start` in the foreground (bounded by `timeout`), and
# writes DIR/tsung-<scenario>.json from Tsung's tsung.log (see analyze.py for how every figure is derived).
# Pin the load generator by pinning this script: `taskset -c 1 bench/tsung/run.sh ...` (Tsung's Erlang VM inherits
# the affinity and then runs one scheduler).
#
# Exit codes: 0 done; 1 finished, but with errors (connect errors, timeouts, frames that were not relayed offers,
# users that did not connect); 2 bad command line; 3 tsung or python3 missing, or Tsung did not produce a log.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

Options (defaults in brackets):
  --port P            server port on 127.0.0.1 (required)
  --out DIR           output directory (required); created if missing
  --pid PID           server process: VmRSS and CPU time are sampled from /proc/PID
  relay: --pairs N [50]  --duration S [10] measured  --warmup S [2]  --size BYTES [1024] offer sdp length
         --block N [20] rounds between two deadline checks (Tsung's interpreted eval code is too slow to run
         on every round; see relay.xml.in)
  idle:  --connections N [2000]  --network-size N [50]  --hold S [10]
  --arrival-rate R    users started per second [1000]
  --settle S          relay: pause between the two start barriers [1]
EOF
}

die_usage() { echo "run.sh: $*" >&2; usage >&2; exit 2; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

[[ $# -ge 1 ]] || die_usage "missing scenario"
case "$1" in
  relay|idle) SCENARIO=$1; shift ;;
  -h|--help) usage; exit 0 ;;
  *) die_usage "unknown scenario '$1' (relay or idle)" ;;
esac

PORT="" OUT="" PID="" PAIRS=50 DURATION=10 WARMUP=2 SIZE=1024 CONNECTIONS=2000 NETWORK_SIZE=50 HOLD=10
ARRIVAL_RATE=1000 SETTLE=1 BLOCK=20
while [[ $# -gt 0 ]]; do
  opt=$1
  [[ $# -ge 2 ]] || die_usage "$opt needs a value"
  val=$2; shift 2
  case "$opt" in
    --port) PORT=$val ;;
    --out) OUT=$val ;;
    --pid) PID=$val ;;
    --pairs) PAIRS=$val ;;
    --duration) DURATION=$val ;;
    --warmup) WARMUP=$val ;;
    --size) SIZE=$val ;;
    --connections) CONNECTIONS=$val ;;
    --network-size) NETWORK_SIZE=$val ;;
    --hold) HOLD=$val ;;
    --arrival-rate) ARRIVAL_RATE=$val ;;
    --settle) SETTLE=$val ;;
    --block) BLOCK=$val ;;
    *) die_usage "unknown option $opt" ;;
  esac
done

[[ -n "$PORT" ]] || die_usage "--port is required"
[[ -n "$OUT" ]] || die_usage "--out is required"
for v in PORT PAIRS DURATION WARMUP SIZE CONNECTIONS NETWORK_SIZE HOLD ARRIVAL_RATE SETTLE BLOCK; do
  is_uint "${!v}" || die_usage "--$(echo "$v" | tr 'A-Z_' 'a-z-') must be a whole number, got '${!v}'"
done
[[ -z "$PID" ]] || is_uint "$PID" || die_usage "--pid must be a process id"
[[ -z "$PID" || -r "/proc/$PID/status" ]] || die_usage "--pid $PID: no such process"
(( PORT > 0 && PORT < 65536 )) || die_usage "--port out of range"
(( PAIRS >= 1 && DURATION >= 1 && SIZE >= 16 && CONNECTIONS >= 1 && NETWORK_SIZE >= 1 && ARRIVAL_RATE >= 1 )) \
  || die_usage "--pairs, --duration, --connections, --network-size, --arrival-rate must be >= 1, --size >= 16"
(( BLOCK >= 3 )) || die_usage "--block must be at least 3"
(( SIZE <= 60000 )) || die_usage "--size at most 60000 (one 16-bit-length WebSocket frame)"

command -v tsung >/dev/null 2>&1 || {
  echo "run.sh: tsung is not installed (Debian/Ubuntu: apt-get update && apt-get install -y tsung)" >&2; exit 3; }
command -v python3 >/dev/null 2>&1 || { echo "run.sh: python3 is required to read Tsung's log" >&2; exit 3; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [[ $SCENARIO == relay ]]; then USERS=$(( 2 * PAIRS )); else USERS=$CONNECTIONS; fi
# Tsung keeps every socket in its one Erlang VM: it needs a descriptor per user (the hard limit here is 20000).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( USERS + 200 > $(ulimit -n) )); then
  echo "run.sh: $USERS users need more file descriptors than ulimit -n = $(ulimit -n)" >&2; exit 2
fi

# Every run gets a fresh salt: peer ids and network names derive from (salt, Tsung user id), so ids of a run never
# collide with sockets of an earlier one that the server may still be closing.
SALT=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
RUN_ID="pp$$"
ARRIVAL_S=$(( (USERS + ARRIVAL_RATE - 1) / ARRIVAL_RATE ))
if [[ $SCENARIO == relay ]]; then
  ACTIVE_S=$(( SETTLE + WARMUP + DURATION ))
else
  ACTIVE_S=$HOLD
fi
PHASE_S=$(( ARRIVAL_S + ACTIVE_S + 3 ))   # about when the last session ends (see the templates' <load>)
BARRIER_TIMEOUT_S=20
# Tsung aborts the whole test at LOAD_CAP_S (counted as error_abort); `timeout` below is a backstop behind it.
LOAD_CAP_S=$(( PHASE_S + BARRIER_TIMEOUT_S + 90 ))
HARD_CAP_S=$(( LOAD_CAP_S + 30 ))
PAD_LEN=$(( SIZE - 13 ))   # sdp = "tsung-last:0 " (13 bytes) + padding = SIZE bytes

XML="$OUT/tsung-$SCENARIO.xml"
sed -e "s/@PORT@/$PORT/g" -e "s/@MAXUSERS@/$(( USERS + 1 ))/g" -e "s/@USERS@/$USERS/g" \
    -e "s/@LOAD_CAP_S@/$LOAD_CAP_S/g" -e "s/@PHASE_S@/$PHASE_S/g" -e "s/@ARRIVAL_RATE@/$ARRIVAL_RATE/g" \
    -e "s/@BARRIER_TIMEOUT_MS@/$(( BARRIER_TIMEOUT_S * 1000 ))/g" -e "s/@IDLE_TIMEOUT_MS@/10000/g" \
    -e "s/@SALT@/$SALT/g" -e "s/@SETTLE_S@/$SETTLE/g" -e "s/@SETTLE_MS@/$(( SETTLE * 1000 ))/g" \
    -e "s/@WARMUP_MS@/$(( WARMUP * 1000 ))/g" -e "s/@DURATION_S@/$DURATION/g" \
    -e "s/@DURATION_MS@/$(( DURATION * 1000 ))/g" -e "s/@BLOCK@/$BLOCK/g" -e "s/@MAX_BLOCKS@/1000000/g" \
    -e "s/@NETWORK_SIZE@/$NETWORK_SIZE/g" -e "s/@HOLD_S@/$HOLD/g" -e "s/@PAD_LEN@/$PAD_LEN/g" \
    "$HERE/$SCENARIO.xml.in" > "$XML"
LEFT=$(grep -o '@[A-Z_]*@' "$XML" | grep -vx '@NAME@' | sort -u | tr '\n' ' ' || true)
[[ -z "$LEFT" ]] || { echo "run.sh: unrendered placeholders in $XML: $LEFT" >&2; exit 3; }

LOGROOT=$(mktemp -d "$OUT/tsung-$SCENARIO-log.XXXX")
SAMPLES="$OUT/tsung-$SCENARIO-samples.tsv"
: > "$SAMPLES"

proc_cpu_ticks() { # utime+stime of a process, in clock ticks; empty when it is gone
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }   # the fields after "(comm) "
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))
}
vmrss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }
beam_of() { # the Erlang VM under the tsung command we started (tsung is a shell script that runs erl)
  local p=$1 c
  for c in $(pgrep -P "$p" 2>/dev/null); do
    if [[ "$(cat /proc/$c/comm 2>/dev/null)" == beam* ]]; then echo "$c"; return; fi
    beam_of "$c"
  done
}
sample() { # epoch_ms, connected users (latest tsung.log gauge), server rss kB, server cpu ticks, tsung cpu ticks
  local now conn="" log rss="" scpu="" tcpu=""
  now=$(date +%s%3N)
  log=$(ls "$LOGROOT"/*/tsung.log 2>/dev/null | head -n 1 || true)
  if [[ -n "$log" ]]; then conn=$(awk '$1 == "stats:" && $2 == "connected" {c = $4} END {print c}' "$log"); fi
  if [[ -n "$PID" ]]; then rss=$(vmrss_kb "$PID"); scpu=$(proc_cpu_ticks "$PID"); fi
  if [[ -n "${BEAM:-}" ]]; then tcpu=$(proc_cpu_ticks "$BEAM"); fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$now" "${conn:-}" "${rss:-}" "${scpu:-}" "${tcpu:-}" >> "$SAMPLES"
}

echo "run.sh: $SCENARIO, $USERS Tsung users against ws://127.0.0.1:$PORT (log: $LOGROOT)" >&2
BEAM=""
sample   # "before"
# Loopback only: epmd, the Erlang distribution port, and no web dashboard (-n). -i isolates this controller's
# node name and cookie from any other Tsung on the machine. dumpstats_interval: one stats block per second.
# +sbwt none...: Erlang schedulers do not busy-wait, so the VM's CPU time sampled here is work, not spinning.
# Tsung starts epmd (loopback only) if none runs, and epmd outlives the run, as it always does.
ERL_EPMD_ADDRESS=127.0.0.1 \
ERL_FLAGS="-tsung_controller dumpstats_interval 1000 -kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none" \
  timeout --kill-after=10 "$HARD_CAP_S" tsung -n -i "$RUN_ID" -l "$LOGROOT" -f "$XML" start \
  > "$OUT/tsung-$SCENARIO.out" 2>&1 &
TSUNG=$!
# Wait for Tsung to finish; meanwhile sample the server (and the Tsung VM) twice a second. The loop ends when the
# tsung command exits, which `timeout` guarantees within HARD_CAP_S.
while kill -0 "$TSUNG" 2>/dev/null; do
  [[ -n "$BEAM" ]] || BEAM=$(beam_of "$TSUNG")
  sample
  sleep 0.5
done
set +e; wait "$TSUNG"; TSUNG_RC=$?; set -e
sample   # "after"
if (( TSUNG_RC == 124 || TSUNG_RC == 137 )); then
  echo "run.sh: tsung did not finish within ${HARD_CAP_S}s and was stopped" >&2
fi

LOG=$(ls "$LOGROOT"/*/tsung.log 2>/dev/null | head -n 1 || true)
if [[ -z "$LOG" ]]; then
  echo "run.sh: Tsung wrote no tsung.log (exit $TSUNG_RC); its output:" >&2
  tail -n 30 "$OUT/tsung-$SCENARIO.out" >&2
  exit 3
fi

JSON="$OUT/tsung-$SCENARIO.json"
set +e
python3 "$HERE/analyze.py" "$SCENARIO" --log "$LOG" --samples "$SAMPLES" --json "$JSON" \
  --users "$USERS" --size "$SIZE" --salt "$SALT" --port "$PORT" --pid "${PID:-0}" --tsung-rc "$TSUNG_RC" \
  --pairs "$PAIRS" --duration "$DURATION" --warmup "$WARMUP" --network-size "$NETWORK_SIZE" --hold "$HOLD" \
  --arrival-rate "$ARRIVAL_RATE" --block "$BLOCK" --clk-tck "$(getconf CLK_TCK)"
RC=$?
set -e
exit $RC
