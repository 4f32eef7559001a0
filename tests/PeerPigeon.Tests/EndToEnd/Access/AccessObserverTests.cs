using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Access;

public sealed class AccessObserverTests(TokenObserverServer token, OriginObserverServer origins)
    : AccessTests(token, origins), IClassFixture<TokenObserverServer>, IClassFixture<OriginObserverServer>;
