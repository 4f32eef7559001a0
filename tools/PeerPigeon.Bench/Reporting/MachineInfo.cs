using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace PeerPigeon.Bench.Reporting;

/// <summary>What the bench ran on, for the result file.</summary>
internal static class MachineInfo
{
    public static JsonObject ToJson() => new()
    {
        ["processorCount"] = Environment.ProcessorCount,
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["serverGc"] = System.Runtime.GCSettings.IsServerGC,
    };
}
