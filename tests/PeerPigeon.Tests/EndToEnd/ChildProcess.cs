using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PeerPigeon.Tests.EndToEnd;

/// <summary>
/// A process a test started (a gateway, a silo, Redis): its output kept for failure messages, and ended only through
/// its own PID — <see cref="KillAsync"/> (SIGKILL: no goodbye of any kind) or <see cref="StopAsync"/> (SIGTERM: a
/// graceful shutdown, bounded). Disposing kills what is still running.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private const int DescribedLines = 60;
    private const int SigTerm = 15;
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private readonly Lock _gate = new();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        Id = process.Id;
    }

    /// <summary>A name for messages, e.g. <c>silo fleet-silo-1</c>.</summary>
    public string Name { get; }

    /// <summary>The operating-system process id.</summary>
    public int Id { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>; <paramref name="environment"/> is added to
    /// this process's environment (configuration sections such as <c>Logging:LogLevel:Default</c> are spelled with
    /// <c>__</c>). Standard output and error are both captured.
    /// </summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, line) => child.Observe(line.Data);
        process.ErrorDataReceived += (_, line) => child.Observe(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Waits for an output line matching <paramref name="pattern"/> (lines already written count) and returns the
    /// match. Fails, with the recent output, when the process exits first or nothing matches in time.
    /// </summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, string expectation, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _output)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            _waiters.Add((pattern, found));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        if (first == found.Task)
        {
            return await found.Task;
        }

        lock (_gate)
        {
            _waiters.RemoveAll(waiter => waiter.Found == found);
        }

        var why = first == exited ? $"it exited with code {_process.ExitCode} first" : $"nothing matched within {timeout.TotalSeconds:0.#} s";
        Assert.Fail($"Expected {Name} (pid {Id}) to write {expectation}, but {why}. {DescribeOutput()}");
        throw new UnreachableException();
    }

    /// <summary>Kills the process with SIGKILL (no shutdown of any kind) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }

        await WaitForExitAsync(ExitTimeout, "after SIGKILL");
    }

    /// <summary>
    /// Asks the process to stop with SIGTERM (a graceful shutdown) and waits for it to exit; returns its exit code.
    /// Fails when it does not exit within <paramref name="timeout"/> (and then kills it).
    /// </summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && SendSignal(Id, SigTerm) != 0 && !_process.HasExited)
        {
            Assert.Fail($"Could not send SIGTERM to {Name} (pid {Id}): errno {Marshal.GetLastPInvokeError()}.");
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await KillAsync();
            Assert.Fail($"Expected {Name} (pid {Id}) to exit within {timeout.TotalSeconds:0.#} s of SIGTERM; it did not and was killed. {DescribeOutput()}");
        }

        return _process.ExitCode;
    }

    /// <summary>The output lines kept (the last 400) that match <paramref name="pattern"/>, oldest first.</summary>
    public IReadOnlyList<string> LinesMatching(Regex pattern)
    {
        lock (_gate)
        {
            return [.. _output.Where(line => pattern.IsMatch(line))];
        }
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string DescribeOutput()
    {
        lock (_gate)
        {
            return $"Last output of {Name}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", _output.TakeLast(DescribedLines));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private Task WaitForExitAsync(TimeSpan timeout, string context) =>
        Bounded.WaitAsync(_process.WaitForExitAsync(), timeout, () => $"{Name} (pid {Id}) did not exit within {timeout.TotalSeconds:0.#} s {context}.");

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<(TaskCompletionSource<Match> Found, Match Match)> matched = [];
        lock (_gate)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }

            foreach (var waiter in _waiters)
            {
                if (waiter.Pattern.Match(line) is { Success: true } match)
                {
                    matched.Add((waiter.Found, match));
                }
            }

            _waiters.RemoveAll(waiter => matched.Any(hit => hit.Found == waiter.Found));
        }

        foreach (var (found, match) in matched)
        {
            found.TrySetResult(match);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
