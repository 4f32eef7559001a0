using System.Globalization;

namespace PeerPigeon.Bench.Reporting;

/// <summary>Resident memory of a process from /proc/PID/status (Linux only).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in KB, or null when the process or the file is not there.</summary>
    public static long? ResidentKilobytes(int pid)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var digits = new string(line.AsSpan(6).ToArray().Where(char.IsDigit).ToArray());
                    return long.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
