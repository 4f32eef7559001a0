# syntax=docker/dockerfile:1
#
# PeerPigeon gateway: WebSockets + HTTP on one port, an Orleans client of the silos (ORLEANS_CLUSTERING=redis), or a
# complete single-process server with its own in-process silo (the default, ORLEANS_CLUSTERING=embedded).
#
# The build context is the repository root:
#   docker build -f deploy/docker/Gateway.Dockerfile -t peerpigeon-gateway:local .
# Gateway.Dockerfile.dockerignore (next to this file) keeps bin/, obj/, tests/, node_modules and .git out of the
# context. BuildKit (the default builder since Docker 23) reads it; the legacy builder does not.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo

# Restore from the files that decide it only, so an edit to the sources reuses the cached restore layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/PeerPigeon.Grains.Interfaces/PeerPigeon.Grains.Interfaces.csproj src/PeerPigeon.Grains.Interfaces/
COPY src/PeerPigeon.Grains/PeerPigeon.Grains.csproj src/PeerPigeon.Grains/
COPY src/PeerPigeon.Gateway/PeerPigeon.Gateway.csproj src/PeerPigeon.Gateway/
RUN dotnet restore src/PeerPigeon.Gateway/PeerPigeon.Gateway.csproj

COPY src/ src/
# No --no-restore: the restore is a no-op here, and it repairs obj/ copied in from the host by a builder that does
# not read the ignore file (the legacy builder).
RUN dotnet publish src/PeerPigeon.Gateway/PeerPigeon.Gateway.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# HOST: the gateway's default is localhost, which nothing outside the container can reach.
# ASPNETCORE_HTTP_PORTS: the base image sets 8080; the gateway binds HOST:PORT itself, so empty it rather than have
# Kestrel warn that it overrides it.
ENV HOST=0.0.0.0 \
    PORT=3000 \
    ASPNETCORE_HTTP_PORTS=

# WebSocket and HTTP (/health, /hubs, /stats, /hubstats, /metrics) on the same port.
EXPOSE 3000

# No HEALTHCHECK: the aspnet image has neither curl nor wget. Compose and Kubernetes probe from outside instead
# (Kubernetes: readiness httpGet /health, liveness tcpSocket 3000; see deploy/README.md).

# The base image's unprivileged "app" user (APP_UID is set by the base image).
USER $APP_UID
ENTRYPOINT ["dotnet", "PeerPigeon.Gateway.dll"]
