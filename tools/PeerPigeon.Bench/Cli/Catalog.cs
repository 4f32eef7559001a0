namespace PeerPigeon.Bench.Cli;

/// <summary>Every scenario and option the bench understands, with defaults; the single source for parsing and help.</summary>
internal static class Catalog
{
    private static readonly OptionSpec Url = new("url", "ws://127.0.0.1:3000", "Gateway WebSocket URL (?peerId= is added).");
    private static readonly OptionSpec Timeout = new("timeout", "120", "Hard limit for the whole run in seconds; on expiry the partial result is reported and the exit code is 3.");
    private static readonly OptionSpec Json = new("json", null, "Write the machine-readable result to this file.");
    private static readonly OptionSpec Quiet = new("quiet", null, "No progress line on stderr.", Flag: true);
    private static readonly OptionSpec Pid = new("pid", null,
        "Server process (gateway, silo, Node server) to read CPU time (/proc/PID/stat) and VmRSS (/proc/PID/status) of; repeatable. Each is reported alone and all together.",
        Repeatable: true);
    private static readonly OptionSpec ConnectConcurrency = new("connect-concurrency", "64", "Sockets being opened at once.");
    private static readonly OptionSpec Protocol = new("protocol", "peerpigeon",
        "Wire protocol: peerpigeon (this server, upstream peerpigeon) or peerjs (the PeerJS server, npm peer: connects to <url path>peerjs?key=peerjs&id=<id>&token=<random>, OPEN first, OFFER/ANSWER/CANDIDATE by dst, HEARTBEAT every 5 s, no networks or discovery).");

    public static IReadOnlyList<ScenarioSpec> Scenarios { get; } =
    [
        new("relay", "Pairs A_i<->B_i: A sends offers, B answers; one-way and round-trip latency, loss, duplicates.",
        [
            Url,
            Protocol,
            new("url2", null, "Second gateway: the B peers connect here (cross-gateway relay)."),
            new("pairs", "10", "Number of A<->B pairs, each in its own network."),
            new("size", "1024", "Bytes of padded SDP in every offer and answer."),
            new("rate", "1000", "Offers per second over all pairs (open loop); 0 = closed loop with --window in flight per pair."),
            new("ice", "0", "ice-candidate frames (~290 bytes each) A sends to B after every offer, as a real handshake has; counted, checked for order and timed from the offer's (scheduled) send time."),
            new("window", "1", "Closed loop: offers in flight per pair."),
            new("warmup", "2", "Seconds of traffic before measuring."),
            new("duration", "10", "Measured seconds."),
            new("count", "10000000", "Most offers sent in the whole run (warm-up included)."),
            new("drain", "2", "Seconds to wait after the last offer for stragglers."),
            Pid, ConnectConcurrency, Timeout, Json, Quiet,
        ]),
        new("idle", "N idle announced sockets: connect rate, errors, memory per connection of each --pid.",
        [
            Url,
            Protocol,
            new("connections", "1000", "Sockets to open (bounded by the server's MAX_CONNECTIONS)."),
            new("network", "bench-idle", "Network name prefix; sockets are spread over networks of --network-size."),
            new("network-size", "50", "Members per network, so discovery fan-out stays bounded."),
            new("hold", "5", "Seconds to hold the sockets open after all are announced."),
            new("steps", "1", "Read memory after each of this many equal steps of connections (a memory-vs-connections curve)."),
            Pid,
            ConnectConcurrency, Timeout, Json, Quiet,
        ]),
        new("join-storm", "N peers announce into one network at once: time until each has discovered the N-1 others.",
        [
            Url,
            new("peers", "100", "Peers joining the network (N*(N-1) discoveries are delivered)."),
            new("network", "bench-storm", "Network name prefix (a run id is appended)."),
            Pid, ConnectConcurrency, Timeout, Json, Quiet,
        ]),
        new("churn", "Connect + announce + goodbye + close, R times a second: achieved rate, errors, latencies.",
        [
            Url,
            new("rate", "20", "Peers started per second."),
            new("duration", "10", "Seconds of churn."),
            new("count", "100000", "Most peers started."),
            new("max-inflight", "200", "Most peers between connect and close at once; starts beyond it are counted as skipped."),
            new("network", "bench-churn", "Network name prefix (a run id is appended)."),
            Pid, Timeout, Json, Quiet,
        ]),
    ];

    public static ScenarioSpec? Find(string name) => Scenarios.FirstOrDefault(s => s.Name == name);
}
