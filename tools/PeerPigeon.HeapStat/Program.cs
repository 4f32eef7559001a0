using System.Globalization;
using Microsoft.Diagnostics.Runtime;

// heapstat: what the managed heap of a .NET process holds, from a core dump (createdump, which ships with the
// runtime). It walks the objects reachable from the roots, so garbage the GC has not yet collected is told apart from
// live data, and groups live bytes by owner (Kestrel, WebSockets, Orleans, PeerPigeon, the rest) and by type.
// dotnet-gcdump and dotnet-dump are not on this machine's feed; this reads the same heap through ClrMD.

const string Usage = """
    Usage: heapstat <core-dump> [--per N] [--top N]

    Reads a full core dump of a .NET process (take one with
      /usr/share/dotnet/shared/Microsoft.NETCore.App/<version>/createdump --full -f <file> <pid>)
    and prints the managed heap: all objects, the live ones (reachable from a root), the GC's committed segments, live
    bytes by owner and the largest live types.

      --per N   also print each figure divided by N (e.g. the connections the process held), in KB
      --top N   how many types to list (default 30)
    """;

if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

var dumpPath = args[0];
var per = Option("--per", 0);
var top = Option("--top", 30);
if (!File.Exists(dumpPath))
{
    Console.Error.WriteLine($"heapstat: no such file: {dumpPath}");
    return 2;
}

using var target = DataTarget.LoadDump(dumpPath);
if (target.ClrVersions.Length == 0)
{
    Console.Error.WriteLine($"heapstat: {dumpPath} holds no .NET runtime");
    return 2;
}

using var runtime = target.ClrVersions[0].CreateRuntime();
var heap = runtime.Heap;
if (!heap.CanWalkHeap)
{
    Console.Error.WriteLine("heapstat: the heap cannot be walked (a dump taken mid-GC, or not a full dump)");
    return 1;
}

var live = LiveObjects(heap);
long allBytes = 0, allCount = 0, liveBytes = 0;
var byType = new Dictionary<string, (long Bytes, long Count)>();
foreach (var obj in heap.EnumerateObjects())
{
    if (!obj.IsValid)
    {
        continue;
    }

    var size = (long)obj.Size;
    allBytes += size;
    allCount++;
    if (!live.Contains(obj.Address))
    {
        continue;
    }

    liveBytes += size;
    var name = obj.Type?.Name ?? "?";
    var (bytes, count) = byType.GetValueOrDefault(name);
    byType[name] = (bytes + size, count + 1);
}

var committed = heap.Segments.Sum(segment => (long)segment.CommittedMemory.Length);
Console.WriteLine($"objects      {allCount,12:N0}  {Mb(allBytes),9} MB{PerUnit(allBytes)}");
Console.WriteLine($"live         {live.Count,12:N0}  {Mb(liveBytes),9} MB{PerUnit(liveBytes)}");
Console.WriteLine($"not live     {allCount - live.Count,12:N0}  {Mb(allBytes - liveBytes),9} MB{PerUnit(allBytes - liveBytes)}");
Console.WriteLine($"committed (GC segments)    {Mb(committed),9} MB{PerUnit(committed)}");

Console.WriteLine();
Console.WriteLine("live bytes by owner:");
foreach (var (owner, (bytes, count)) in byType
    .GroupBy(pair => Owner(pair.Key), pair => pair.Value)
    .Select(group => (group.Key, (Bytes: group.Sum(v => v.Bytes), Count: group.Sum(v => v.Count))))
    .OrderByDescending(row => row.Item2.Bytes))
{
    Console.WriteLine($"  {Mb(bytes),9} MB {count,11:N0}{PerUnit(bytes)}  {owner}");
}

Console.WriteLine();
Console.WriteLine($"largest live types (top {top}):");
foreach (var (name, (bytes, count)) in byType.OrderByDescending(pair => pair.Value.Bytes).Take(top))
{
    Console.WriteLine($"  {Mb(bytes),9} MB {count,11:N0}{PerUnit(bytes)}  {(name.Length > 140 ? name[..140] + "…" : name)}");
}

return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return fallback;
    }

    if (index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
    {
        return value;
    }

    Console.Error.WriteLine($"heapstat: {name} takes a positive whole number");
    Environment.Exit(2);
    return fallback;
}

string PerUnit(long bytes) => per > 0 ? $"  {bytes / 1024.0 / per,8:F2} KB/unit" : "";

static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

// Marks every object reachable from a root (stacks, handles, statics, finalizer queue).
static HashSet<ulong> LiveObjects(ClrHeap heap)
{
    var live = new HashSet<ulong>();
    var pending = new Stack<ulong>();
    foreach (var root in heap.EnumerateRoots())
    {
        if (root.Object.Address != 0 && live.Add(root.Object.Address))
        {
            pending.Push(root.Object.Address);
        }
    }

    while (pending.Count > 0)
    {
        var obj = heap.GetObject(pending.Pop());
        if (!obj.IsValid)
        {
            continue;
        }

        foreach (var reference in obj.EnumerateReferences(carefully: false, considerDependantHandles: true))
        {
            if (reference.Address != 0 && live.Add(reference.Address))
            {
                pending.Push(reference.Address);
            }
        }
    }

    return live;
}

// Who a type belongs to, by namespace; generic instantiations count for their outermost type.
static string Owner(string type)
{
    if (type.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) || type.StartsWith("System.IO.Pipelines", StringComparison.Ordinal)
        || type.StartsWith("Microsoft.AspNetCore.Http", StringComparison.Ordinal))
    {
        return "Kestrel and HTTP";
    }

    if (type.StartsWith("System.Net.WebSockets", StringComparison.Ordinal) || type.StartsWith("Microsoft.AspNetCore.WebSockets", StringComparison.Ordinal))
    {
        return "WebSockets";
    }

    if (type.StartsWith("System.Net.Sockets", StringComparison.Ordinal))
    {
        return "sockets";
    }

    if (type.StartsWith("Orleans", StringComparison.Ordinal))
    {
        return "Orleans";
    }

    if (type.StartsWith("PeerPigeon", StringComparison.Ordinal))
    {
        return "PeerPigeon";
    }

    return type switch
    {
        "System.Byte[]" => "byte arrays (buffers, pooled blocks)",
        "System.String" => "strings",
        _ when type.EndsWith("[]", StringComparison.Ordinal) => "other arrays",
        _ => "runtime and other",
    };
}
