using System.Net.WebSockets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using PeerPigeon.Gateway.Cluster;
using PeerPigeon.Gateway.Diagnostics;
using PeerPigeon.Gateway.Hosting;
using PeerPigeon.Gateway.Protocol;
using PeerPigeon.Gateway.Push;
using PeerPigeon.Peers;

namespace PeerPigeon.Gateway.Connections;

/// <summary>
/// Turns an upgrade request on any path into a peer socket: access checks (HTTP 401/403 before the upgrade), then
/// after the upgrade the peerId, capacity and duplicate checks (close 1008), the attach, <c>connected</c>, and the
/// socket's life until it closes and is detached.
/// </summary>
internal sealed partial class WebSocketEndpoint(
    AccessPolicy access,
    ConnectionRegistry registry,
    MessageHandler handler,
    PushEndpoint push,
    RelayDelivery relays,
    GatewayInstruments instruments,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<WebSocketEndpoint> logger)
{
    private static readonly TimeSpan RejectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PongWait = TimeSpan.FromDays(1);
    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        if (!access.IsAuthorized(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("Unauthorized: AUTH_TOKEN required (Authorization: Bearer <token> or ?token=<token>)");
            return;
        }

        if (!access.IsOriginAllowed(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Forbidden: origin not allowed by CORS_ORIGIN");
            return;
        }

        // WebSocket pings every KEEPALIVE_INTERVAL_MS. The pong wait is left long on purpose: liveness is judged by
        // IdleSweeper on any bytes received (PEER_TIMEOUT_MS), not on pongs alone.
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(_options.KeepAliveIntervalMs),
            KeepAliveTimeout = PongWait,
        });

        if (!PeerId.TryParse(FirstPeerIdParameter(context.Request.QueryString), out var peerId))
        {
            await RejectAsync(socket, CloseReasons.InvalidPeerId);
            return;
        }

        if (!registry.TryOpen(_options.MaxConnections))
        {
            await RejectAsync(socket, registry.IsClosing ? CloseReasons.ShuttingDown : CloseReasons.MaximumConnections);
            return;
        }

        var activity = context.Features.Get<ActivityUpgradeFeature>()?.Stream;
        using var connection = new PeerConnection(peerId, socket, activity, _options.MaxMessageSize, _options.SendQueueBytes, instruments, time);
        try
        {
            await RunAsync(connection, socket);
        }
        finally
        {
            registry.Close(connection);
        }
    }

    private async Task RunAsync(PeerConnection connection, WebSocket socket)
    {
        var heldHere = !registry.TryReserve(connection);
        var peer = grains.GetPeerGrain(connection.PeerId);
        AttachResult result;
        try
        {
            result = await ClusterCall.RetryAsync(() => peer.AttachAsync(new Attachment(push.Route, connection.ConnectionId), heldHere));
        }
        catch (Exception exception)
        {
            LogAttachFailed(logger, exception, connection.PeerId);
            await RejectAsync(socket, CloseReasons.ClusterUnavailable, WebSocketCloseStatus.InternalServerError);
            return;
        }

        if (!result.Accepted)
        {
            await RejectAsync(socket, CloseReasons.AlreadyConnected);
            return;
        }

        // connected is always the first frame, then any signaling that waited in the mailbox.
        connection.TrySend(ServerFrames.Connected(connection.PeerId, time.GetUtcNow().ToUnixTimeMilliseconds()));
        registry.Attach(connection);
        relays.DeliverPending(result.Pending);
        if (registry.IsClosing)
        {
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, CloseReasons.ShuttingDown);
        }

        LogAttached(logger, connection.PeerId, connection.ConnectionId);
        var reason = await connection.RunAsync(handler.HandleAsync);
        registry.Close(connection);
        LogDetached(logger, connection.PeerId, reason);
        instruments.Closed(reason);
        try
        {
            await ClusterCall.RetryAsync(() => peer.DetachAsync(connection.ConnectionId, reason));
        }
        catch (Exception exception)
        {
            // The lease will not renew this socket any more, so the grain still learns of the departure.
            LogDetachFailed(logger, exception, connection.PeerId);
        }
    }

    /// <summary>The first query parameter named exactly <c>peerId</c> (case-sensitive, as upstream's URLSearchParams).</summary>
    private static string? FirstPeerIdParameter(QueryString query)
    {
        foreach (var pair in new QueryStringEnumerable(query.Value))
        {
            if (pair.DecodeName().Span.SequenceEqual("peerId"))
            {
                return pair.DecodeValue().ToString();
            }
        }

        return null;
    }

    private async Task RejectAsync(WebSocket socket, string reason, WebSocketCloseStatus status = WebSocketCloseStatus.PolicyViolation)
    {
        instruments.Rejected(reason);
        using var timeout = new CancellationTokenSource(RejectTimeout);
        try
        {
            await socket.CloseAsync(status, reason, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Peer {PeerId} attached as connection {ConnectionId}")]
    private static partial void LogAttached(ILogger logger, PeerId peerId, Guid connectionId);

    [LoggerMessage(2, LogLevel.Debug, "Peer {PeerId} detached: {Reason}")]
    private static partial void LogDetached(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(3, LogLevel.Error, "Attach of peer {PeerId} failed: the cluster did not answer")]
    private static partial void LogAttachFailed(ILogger logger, Exception exception, PeerId peerId);

    [LoggerMessage(4, LogLevel.Warning, "Detach of peer {PeerId} failed")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, PeerId peerId);
}
