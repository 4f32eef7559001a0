using System.Globalization;

namespace PeerPigeon.Bench.Reporting;

/// <summary>
/// CPU counts that <see cref="Environment.ProcessorCount"/> blurs: it follows this process's affinity (1 under
/// <c>taskset -c 1</c>) and a cgroup CPU quota. Here the machine's online CPUs and the CPUs this process may run on,
/// read from Linux's files (null where they are missing, e.g. not on Linux).
/// </summary>
internal static class CpuInfo
{
    /// <summary>Online CPUs of the machine, as a list ("0-7") from /sys/devices/system/cpu/online.</summary>
    public static string? MachineOnlineList => ReadTrimmed("/sys/devices/system/cpu/online");

    /// <summary>Online CPUs of the machine: from the list above, else the "processor" lines of /proc/cpuinfo.</summary>
    public static int? MachineOnlineCount =>
        CountList(MachineOnlineList) ?? CountCpuInfoProcessors();

    /// <summary>CPUs this process may run on (its affinity), as a list from Cpus_allowed_list in /proc/self/status.</summary>
    public static string? AffinityList
    {
        get
        {
            try
            {
                return File.ReadLines("/proc/self/status")
                    .Where(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                    .Select(l => l["Cpus_allowed_list:".Length..].Trim())
                    .FirstOrDefault();
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    public static int? AffinityCount => CountList(AffinityList);

    /// <summary>How many CPUs a Linux CPU list names ("0-3,8,10-11" is 7); null when it does not parse.</summary>
    public static int? CountList(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }

        var count = 0;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return null;
                }

                count++;
            }
            else if (int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                     && int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                     && to >= from)
            {
                count += to - from + 1;
            }
            else
            {
                return null;
            }
        }

        return count;
    }

    private static int? CountCpuInfoProcessors()
    {
        try
        {
            var n = File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
            return n > 0 ? n : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
