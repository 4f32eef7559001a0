using PeerPigeon.Gateway.Hosting;

return await PeerPigeonServer.RunAsync(args);
