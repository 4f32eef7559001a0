using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PeerPigeon.Bench.Cli;

namespace PeerPigeon.Bench.Reporting;

/// <summary>
/// The server processes named by <c>--pid</c> (a gateway, a silo, a Node server): resident memory and CPU time read
/// from /proc, so a scenario can report KB per connection and CPU µs per message of each process and of them all.
/// </summary>
internal sealed class ServerProcesses
{
    // /proc/PID/stat counts utime and stime in USER_HZ ticks, which the kernel ABI fixes at 100 a second.
    private const double MicrosecondsPerTick = 10_000;

    private ServerProcesses(int[] pids) => Pids = pids;

    public IReadOnlyList<int> Pids { get; }

    public bool Any => Pids.Count > 0;

    public static ServerProcesses FromArguments(ParsedArguments args)
    {
        var pids = args.Strings("pid").Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid : throw new UsageException($"--pid must be a process id, got '{p}'.")).ToArray();
        foreach (var pid in pids.Where(p => ProcessMemory.ResidentKilobytes(p) is null || CpuMicroseconds(p) is null))
        {
            throw new UsageException($"--pid {pid}: /proc/{pid}/status or /proc/{pid}/stat is not readable; is the server running on this machine?");
        }

        return new ServerProcesses(pids);
    }

    /// <summary>VmRSS in KB of each --pid and of the bench itself ("bench").</summary>
    public Dictionary<string, long?> Memory()
    {
        var snapshot = Pids.ToDictionary(p => p.ToString(CultureInfo.InvariantCulture), ProcessMemory.ResidentKilobytes);
        snapshot["bench"] = ProcessMemory.ResidentKilobytes(Environment.ProcessId);
        return snapshot;
    }

    /// <summary>User + system CPU time of each --pid in µs (all threads), with the moment it was read.</summary>
    public CpuSample Cpu() => new(Stopwatch.GetTimestamp(), Pids.Select(CpuMicroseconds).ToArray());

    /// <summary>
    /// CPU of every --pid between two moments of the run (Stopwatch timestamps): waits for each and reads /proc then.
    /// Null when the run ends before the second moment.
    /// </summary>
    public async Task<(CpuSample From, CpuSample Until)?> CpuBetweenAsync(long from, long until, CancellationToken cancellationToken)
    {
        try
        {
            await DelayUntilAsync(from, cancellationToken);
            var first = Cpu();
            await DelayUntilAsync(until, cancellationToken);
            return (first, Cpu());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU used by each --pid and by all of them between two samples: seconds, share of one core, and µs per unit of
    /// work (<paramref name="work"/> messages, discoveries or cycles, named by <paramref name="unit"/>).
    /// </summary>
    public JsonObject CpuReport(CpuSample from, CpuSample until, long work, string unit)
    {
        var wall = Math.Max(1e-6, (until.Timestamp - from.Timestamp) / (double)Stopwatch.Frequency);
        var json = new JsonObject { ["wallSeconds"] = Math.Round(wall, 3), ["unit"] = unit, ["units"] = work };
        double total = 0;
        var complete = true;
        for (var i = 0; i < Pids.Count; i++)
        {
            double? used = from.Microseconds[i] is { } a && until.Microseconds[i] is { } b ? b - a : null;
            complete &= used is not null;
            total += used ?? 0;
            json[Pids[i].ToString(CultureInfo.InvariantCulture)] = Entry(used, wall, work);
        }

        json["all"] = Entry(complete ? total : null, wall, work);
        return json;
    }

    private static JsonObject Entry(double? microseconds, double wall, long work) => new()
    {
        ["cpuSeconds"] = microseconds is { } u ? Math.Round(u / 1e6, 3) : null,
        ["coreShare"] = microseconds is { } s ? Math.Round(s / 1e6 / wall, 3) : null,
        ["cpuMicrosecondsPerUnit"] = microseconds is { } m && work > 0 ? Math.Round(m / work, 2) : null,
    };

    /// <summary>utime + stime of all the process's threads in µs, from /proc/PID/stat; null when unreadable.</summary>
    public static long? CpuMicroseconds(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return ParseCpuMicroseconds(text);
    }

    /// <summary>utime + stime in µs from the text of a /proc/PID/stat file; null when it is not one.</summary>
    public static long? ParseCpuMicroseconds(string stat)
    {
        // The command name (field 2) is in parentheses and may hold spaces and ')': count fields after the last ')'.
        // Fields 14 and 15 (utime, stime) are the 12th and 13th after it.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 > stat.Length)
        {
            return null;
        }

        var fields = stat[(close + 2)..].Split(' ');
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? (long)((user + system) * MicrosecondsPerTick)
            : null;
    }

    private static Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return remaining > TimeSpan.Zero ? Task.Delay(remaining, cancellationToken) : Task.CompletedTask;
    }
}

/// <summary>CPU µs of each --pid (in --pid order; null where unreadable) at a Stopwatch timestamp.</summary>
internal sealed record CpuSample(long Timestamp, long?[] Microseconds);
