using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace PeerPigeon.Bench.Reporting;

/// <summary>What the bench ran on, for the result file.</summary>
internal static class MachineInfo
{
    public static JsonObject ToJson() => new()
    {
        // The machine's online CPUs, whatever this process is pinned to.
        ["machineCpuCount"] = CpuInfo.MachineOnlineCount,
        ["machineCpuList"] = CpuInfo.MachineOnlineList,
        // The CPUs the bench process may run on (its affinity, e.g. set by taskset).
        ["benchAffinityCpuCount"] = CpuInfo.AffinityCount,
        ["benchAffinityCpuList"] = CpuInfo.AffinityList,
        // What .NET sizes its thread pool by: the affinity, further limited by a cgroup CPU quota.
        ["processorCount"] = Environment.ProcessorCount,
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["serverGc"] = System.Runtime.GCSettings.IsServerGC,
    };

    /// <summary>"2 machine CPUs (bench may use 1: cpus 1)" for the human summary.</summary>
    public static string Describe()
    {
        var machine = CpuInfo.MachineOnlineCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        var affinity = CpuInfo.AffinityCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        return $"{machine} machine CPUs (bench may use {affinity}: cpus {CpuInfo.AffinityList ?? "?"})";
    }
}
