# syntax=docker/dockerfile:1
#
# PeerPigeon silo: hosts the grains (PeerGrain, NetworkGrain, ClusterDirectoryGrain), registers itself as a hub, and
# serves /health, /metrics and /dashboard on its own HTTP port.
#
# The build context is the repository root:
#   docker build -f deploy/docker/Silo.Dockerfile -t peerpigeon-silo:local .
# Silo.Dockerfile.dockerignore (next to this file) keeps bin/, obj/, tests/, node_modules and .git out of the
# context. BuildKit (the default builder since Docker 23) reads it; the legacy builder does not.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo

# Restore from the files that decide it only, so an edit to the sources reuses the cached restore layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/PeerPigeon.Grains.Interfaces/PeerPigeon.Grains.Interfaces.csproj src/PeerPigeon.Grains.Interfaces/
COPY src/PeerPigeon.Grains/PeerPigeon.Grains.csproj src/PeerPigeon.Grains/
COPY src/PeerPigeon.Silo/PeerPigeon.Silo.csproj src/PeerPigeon.Silo/
RUN dotnet restore src/PeerPigeon.Silo/PeerPigeon.Silo.csproj

COPY src/ src/
# No --no-restore: the restore is a no-op here, and it repairs obj/ copied in from the host by a builder that does
# not read the ignore file (the legacy builder).
RUN dotnet publish src/PeerPigeon.Silo/PeerPigeon.Silo.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# HOST: the silo's HTTP listen address; its default is localhost, which probes and scrapers cannot reach.
# ASPNETCORE_HTTP_PORTS: the base image sets 8080; the silo binds HOST:SILO_HTTP_PORT itself, so empty it.
# ORLEANS_ADVERTISED_ADDRESS cannot have a useful default here: it is the address other containers reach this one at
# (compose: the service name; Kubernetes: the pod IP). Set it where the container is run.
ENV HOST=0.0.0.0 \
    SILO_HTTP_PORT=8080 \
    ORLEANS_SILO_PORT=11111 \
    ORLEANS_GATEWAY_PORT=30000 \
    ASPNETCORE_HTTP_PORTS=

# 11111: silo-to-silo. 30000: the Orleans gateway port the PeerPigeon gateways connect to.
# 8080: HTTP /health, /metrics, /dashboard.
EXPOSE 11111 30000 8080

# No HEALTHCHECK: the aspnet image has neither curl nor wget. Compose and Kubernetes probe from outside instead
# (Kubernetes: httpGet /health on 8080; see deploy/README.md).

# The base image's unprivileged "app" user (APP_UID is set by the base image).
USER $APP_UID
ENTRYPOINT ["dotnet", "PeerPigeon.Silo.dll"]
