using System.Net;
using System.Net.Sockets;

namespace PeerPigeon.Tests.Fleet;

/// <summary>
/// Free loopback TCP ports for processes that must be started (and restarted) on a known port. A port is never handed
/// out twice in one test run, so a process restarted on its port does not meet another fleet's process there.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
