using PeerPigeon.Tests.EndToEnd.Servers;

namespace PeerPigeon.Tests.EndToEnd.Access;

public sealed class AccessStreamTests(TokenStreamServer token, OriginStreamServer origins)
    : AccessTests(token, origins), IClassFixture<TokenStreamServer>, IClassFixture<OriginStreamServer>;
