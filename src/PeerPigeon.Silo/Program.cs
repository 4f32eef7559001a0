using PeerPigeon.Silo;

return await SiloServer.RunAsync(args);
