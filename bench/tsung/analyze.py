#!/usr/bin/env python3
"""Turns a Tsung 1.7 tsung.log (and run.sh's /proc samples) into tsung-relay.json / tsung-idle.json.

Where the figures come from
---------------------------
tsung.log holds one block per second (run.sh sets dumpstats_interval=1000), "# stats: dump at <epoch s>" followed by
  stats: <counter> <value in this interval> <running total>                  (counters: match, size_rcv, connected...)
  stats: <sample> <count> <mean> <stddev> <max> <min> <mean before> <count before>   (request, connect, tr_relay...)

Relay throughput (relayed frames delivered per second, both directions: the same quantity as PeerPigeon.Bench's
relayedMessagesPerSecond, which counts A's offers and B's answers):
  * Frames: in the measured loop every request sends one offer and completes on exactly one received WebSocket frame
    (Tsung's websocket parser acks a request per decoded frame). Each user works in blocks of `block` rounds and the
    last frame of every block is tested against ^{"type":"offer" with <match>: Tsung counts `match` (a relayed offer)
    or `nomatch` (anything else) once per block, per user. Nothing else in the scenario has a <match>, so
    relayedFrames = (match + nomatch) x block, and any nomatch is reported as a problem.
  * Time: the measured loop is Tsung transaction `relay` (stat tr_relay, milliseconds, one sample per user). Every
    user enters it within milliseconds of the others (after two global barriers and a warm-up that ends in the same
    block for both partners) and leaves it within one block of its deadline, so its mean is the length of the
    measurement.
  relayedPerSecond = relayedFrames / (mean tr_relay / 1000).
  Cross-check from the per-second blocks, not used for the headline: over the full seconds strictly inside the
  measured loop (after the first second with a `match`, before the first second in which a tr_relay sample ended),
  frames/s by the `match` counter and by bytes, size_rcv / relayFrameWireBytes. The relayed frame's length is known
  exactly: payload = len(data) + len(networkName) + 181 for
  {"type":"offer","data":<data>,"fromPeerId":<40>,"targetPeerId":<40>,"networkName":<net>,"timestamp":<13 digits>}
  (the field set both servers send; key order does not change the length), plus a 4-byte unmasked frame header.
  Per-second counts are noisy: Tsung's clients flush their stats every 500 ms, so a 1-s block holds one to three
  flushes (and the counter moves in steps of `block`); the window sums smooth this out, the transaction-based figure
  does not depend on it.
"""
import argparse
import json
import math
import sys


def parse_log(path):
    blocks = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("# stats: dump at "):
                blocks.append({"ts": int(line.split()[-1]), "stats": {}})
            elif line.startswith("stats: ") and blocks:
                parts = line.split()
                name, values = parts[1], parts[2:]
                try:
                    blocks[-1]["stats"][name] = [float(v) for v in values]
                except ValueError:
                    pass
    return blocks


def counter_total(blocks, name):
    for b in reversed(blocks):
        v = b["stats"].get(name)
        if v is not None and len(v) == 2:
            return v[1]
    return 0.0


def counter_max_total(blocks, name):
    vals = [b["stats"][name][1] for b in blocks if name in b["stats"] and len(b["stats"][name]) == 2]
    return max(vals) if vals else 0.0


def interval(b, name):
    v = b["stats"].get(name)
    return v[0] if v else 0.0


def sample_summary(blocks, name):
    n = 0.0
    total = 0.0
    mx = None
    mn = None
    for b in blocks:
        v = b["stats"].get(name)
        if v is None or len(v) < 5 or v[0] <= 0:
            continue
        n += v[0]
        total += v[0] * v[1]
        mx = v[3] if mx is None else max(mx, v[3])
        mn = v[4] if mn is None else min(mn, v[4])
    return {"count": int(n), "mean": (total / n) if n else None, "max": mx, "min": mn}


ERROR_NAMES = ("timeout", "websocket_fail", "max_repeat", "abort_session", "error_unknown")


def error_counters(blocks):
    errors = {}
    for b in blocks:
        for name, v in b["stats"].items():
            if len(v) == 2 and (name.startswith("error") or name in ERROR_NAMES):
                errors[name] = int(v[1])
    return errors


def read_samples(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 5 or not cols[0]:
                continue
            num = lambda s: float(s) if s not in ("", None) else None
            rows.append({"t": int(cols[0]) / 1000.0, "connected": num(cols[1]), "rss": num(cols[2]),
                         "scpu": num(cols[3]), "tcpu": num(cols[4])})
    return rows


def cpu_percent(rows, key, t0, t1, clk_tck):
    """CPU of a process over [t0, t1] from the nearest samples inside it, in % of one core."""
    inside = [r for r in rows if r[key] is not None and t0 <= r["t"] <= t1]
    if len(inside) < 2:
        return None
    a, b = inside[0], inside[-1]
    if b["t"] <= a["t"]:
        return None
    return round(100.0 * (b[key] - a[key]) / clk_tck / (b["t"] - a["t"]), 1)


def relay(args, blocks, rows, result):
    users = args.users
    size = args.size
    net_len = len(f"tsung-{args.salt}-000000")
    data_len = len('{"type":"offer","sdp":""}') + size
    relay_payload = data_len + net_len + 181
    relay_wire = relay_payload + (2 if relay_payload < 126 else 4)
    sent_payload = len('{"type":"offer","data":') + data_len + len(',"networkName":""') + net_len \
        + len(',"targetPeerId":""') + 40 + 1
    sent_wire = sent_payload + (2 if sent_payload < 126 else 4) + 4

    # The last frame of every block of args.block rounds is matched: frames = matched blocks x block.
    match_blocks = int(counter_total(blocks, "match"))
    nomatch = int(counter_total(blocks, "nomatch"))
    tr = sample_summary(blocks, "tr_relay")
    req = sample_summary(blocks, "request")
    conn = sample_summary(blocks, "connect")
    ws_ok = int(counter_total(blocks, "websocket_succ"))
    errors = error_counters(blocks)

    measured_s = tr["mean"] / 1000.0 if tr["mean"] else None
    rate = round((match_blocks + nomatch) * args.block / measured_s, 1) if measured_s else None

    # Cross-check window over the 1-s blocks.
    idx_match = [i for i, b in enumerate(blocks) if interval(b, "match") > 0]
    idx_end = [i for i, b in enumerate(blocks) if interval(b, "tr_relay") > 0]
    window = []
    if idx_match:
        first, last = idx_match[0], idx_match[-1]
        stop = min(last, idx_end[0]) if idx_end else last
        window = list(range(first + 1, stop))
    w_frames = sum(interval(blocks[i], "match") for i in window) * args.block
    w_bytes = sum(interval(blocks[i], "size_rcv") for i in window)
    w_sent = sum(interval(blocks[i], "size_sent") for i in window)
    w_s = float(len(window))
    w_t0 = blocks[window[0] - 1]["ts"] if window else None
    w_t1 = blocks[window[-1]]["ts"] if window else None

    metrics = {
        "relayedPerSecond": rate,
        "relayedFrames": (match_blocks + nomatch) * args.block,
        "framesSent": (match_blocks + nomatch) * args.block,
        "blocksMatched": match_blocks,
        "blockNotEndingWithOffer": nomatch,
        "measuredSeconds": round(measured_s, 3) if measured_s else None,
        "measuredLoopMsPerUser": {"mean": tr["mean"], "min": tr["min"], "max": tr["max"], "users": tr["count"]},
        "window": {
            "seconds": w_s,
            "epochStart": w_t0,
            "epochEnd": w_t1,
            "relayedPerSecondByCounter": round(w_frames / w_s, 1) if w_s else None,
            "relayedPerSecondByBytes": round(w_bytes / relay_wire / w_s, 1) if w_s else None,
            "sentPerSecondByBytes": round(w_sent / sent_wire / w_s, 1) if w_s else None,
            "perSecond": [int(interval(blocks[i], "match")) * args.block for i in window],
        },
        "relayFrameWireBytes": relay_wire,
        "offerFrameWireBytesSent": sent_wire,
        "roundTripMs": {"mean": req["mean"], "max": req["max"]},
        "usersConnected": ws_ok,
        "connectErrors": max(0, users - ws_ok),
        "connectMs": {"mean": conn["mean"], "max": conn["max"]},
        "requestsAckedTotal": req["count"],
        "bytesReceivedTotal": int(counter_total(blocks, "size_rcv")),
        "bytesSentTotal": int(counter_total(blocks, "size_sent")),
        "errors": errors,
    }
    if w_t0 is not None:
        metrics["serverCpuPercentInWindow"] = cpu_percent(rows, "scpu", w_t0, w_t1, args.clk_tck)
        metrics["tsungCpuPercentInWindow"] = cpu_percent(rows, "tcpu", w_t0, w_t1, args.clk_tck)
    result["metrics"] = metrics
    result["method"] = (
        "relayedPerSecond = relayedFrames / mean of transaction tr_relay (each user's measured loop, ms); "
        "relayedFrames = Tsung counters (match + nomatch) x block: one frame per block of `block` rounds is matched "
        "per user, every round delivers one frame. window.* re-derives the rate from the 1-s stats blocks: the match "
        "counter, and size_rcv / relayFrameWireBytes.")
    problems = []
    if metrics["connectErrors"]:
        problems.append(f"{metrics['connectErrors']} of {users} users did not connect")
    if nomatch:
        problems.append(f"{nomatch} blocks of the measured loop did not end with a relayed offer (see match.log)")
    if errors:
        problems.append("tsung errors: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    if tr["count"] != users:
        problems.append(f"{tr['count']} of {users} users completed the measured loop")
    if tr["count"] and tr["max"] - tr["min"] > max(1000.0, 0.1 * tr["mean"]):
        problems.append(f"measured loops lasted {tr['min']:.0f} to {tr['max']:.0f} ms: users did not run together "
                        "(a stall in Tsung or the server), the rate is not a steady-state figure")
    gaps = [(blocks[i - 1]["ts"], blocks[i]["ts"]) for i in range(1, len(blocks))
            if blocks[i]["ts"] - blocks[i - 1]["ts"] >= 3]
    if gaps:
        problems.append("Tsung wrote no stats for " + ", ".join(f"{b - a} s (after epoch {a})" for a, b in gaps)
                        + ": its VM was stalled (CPU starvation?)")
    if not rate:
        problems.append("no relayed offers measured")
    return problems


def idle(args, blocks, rows, result):
    users = args.users
    ws_ok = int(counter_total(blocks, "websocket_succ"))
    peak = int(counter_max_total(blocks, "connected"))
    errors = error_counters(blocks)
    conn = sample_summary(blocks, "connect")
    rss = [r for r in rows if r["rss"] is not None]
    before = rss[0]["rss"] if rss else None
    full = [r for r in rss if r["connected"] is not None and r["connected"] >= peak and peak > 0]
    at_full = full[0]["rss"] if full else None
    hold_end = full[-1]["rss"] if full else None
    metrics = {
        "usersConnected": peak,
        "websocketHandshakes": ws_ok,
        "connectErrors": max(0, users - ws_ok),
        "connectMs": {"mean": conn["mean"], "max": conn["max"]},
        "bytesReceivedTotal": int(counter_total(blocks, "size_rcv")),
        "errors": errors,
    }
    if args.pid:
        metrics["serverRssKb"] = {
            "before": before,
            "allConnected": at_full,
            "endOfHold": hold_end,
            "maxWhileAllConnected": max((r["rss"] for r in full), default=None),
            "after": rss[-1]["rss"] if rss else None,
        }
        metrics["kbPerConnection"] = round((hold_end - before) / peak, 2) if (hold_end and before and peak) else None
        metrics["secondsSampledWithAllConnected"] = round(full[-1]["t"] - full[0]["t"], 1) if full else 0
    result["metrics"] = metrics
    result["method"] = (
        "usersConnected = highest `connected` gauge in tsung.log. VmRSS of --pid sampled every 0.5 s by run.sh; "
        "before = before Tsung started, endOfHold = last sample while every user was still connected; "
        "kbPerConnection = (endOfHold - before) / usersConnected.")
    problems = []
    if peak < users:
        problems.append(f"only {peak} of {users} users were connected at once")
    if errors:
        problems.append("tsung errors: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=["relay", "idle"])
    ap.add_argument("--log", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--users", type=int, required=True)
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--salt", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, default=0)
    ap.add_argument("--tsung-rc", type=int, default=0)
    ap.add_argument("--pairs", type=int, default=0)
    ap.add_argument("--duration", type=int, default=0)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--network-size", type=int, default=0)
    ap.add_argument("--hold", type=int, default=0)
    ap.add_argument("--arrival-rate", type=int, default=0)
    ap.add_argument("--block", type=int, default=1)
    ap.add_argument("--clk-tck", type=int, default=100)
    args = ap.parse_args()

    blocks = parse_log(args.log)
    rows = read_samples(args.samples)
    params = {"port": args.port, "users": args.users, "arrivalRate": args.arrival_rate, "salt": args.salt}
    if args.scenario == "relay":
        params.update({"pairs": args.pairs, "durationSeconds": args.duration, "warmupSeconds": args.warmup,
                       "sdpBytes": args.size, "block": args.block})
    else:
        params.update({"networkSize": args.network_size, "holdSeconds": args.hold})
    if args.pid:
        params["serverPid"] = args.pid
    result = {"tool": "tsung 1.7.0", "scenario": args.scenario, "parameters": params, "tsungLog": args.log,
              "tsungExitCode": args.tsung_rc, "statsBlocks": len(blocks)}
    problems = relay(args, blocks, rows, result) if args.scenario == "relay" else idle(args, blocks, rows, result)
    if args.tsung_rc != 0:
        problems.append(f"tsung exited with {args.tsung_rc}")
    result["ok"] = not problems
    result["problems"] = problems
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    m = result["metrics"]
    if args.scenario == "relay":
        print(f"tsung relay: {m['relayedPerSecond']} relayed frames/s over {m['measuredSeconds']} s "
              f"({m['relayedFrames']} frames, {args.pairs} pairs); window check: "
              f"{m['window']['relayedPerSecondByCounter']}/s by counter, {m['window']['relayedPerSecondByBytes']}/s by "
              f"bytes; server CPU {m.get('serverCpuPercentInWindow')}%, tsung CPU {m.get('tsungCpuPercentInWindow')}%")
    else:
        line = f"tsung idle: {m['usersConnected']} of {args.users} connected"
        if args.pid:
            line += f"; server VmRSS {m['serverRssKb']} kB; {m['kbPerConnection']} kB per connection"
        print(line)
    for p in problems:
        print("problem: " + p, file=sys.stderr)
    print(f"json: {args.json}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
