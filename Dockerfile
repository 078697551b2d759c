# syntax=docker/dockerfile:1
#
# plexgate and cloudflared in one container: plexgate runs cloudflared as its child (tunnel.enabled
# in plexgate.yml), exactly as the systemd service does. See compose.yaml for a whole setup.
#
#   docker build -t plexgate .
#   docker run --network host -v "$PWD/conf:/etc/plexgate:ro" -e TUNNEL_TOKEN=... plexgate
#
# The arguments after the image name replace `run -c /etc/plexgate/plexgate.yml`, so any plexgate
# command works: `docker run --rm plexgate check`, `docker compose exec plexgate plexgate status`.

# The cloudflared release, pinned: the container never updates it by itself (cloudflared's own
# autoupdate is off under plexgate). Change it here to upgrade; release notes:
# https://github.com/cloudflare/cloudflared/releases
ARG CLOUDFLARED_VERSION=2026.9.3

# The official image ships a static Go binary (CGO_ENABLED=0) in /usr/local/bin, so it runs on the
# Ubuntu base below as it is.
FROM cloudflare/cloudflared:${CLOUDFLARED_VERSION} AS cloudflared

# Build stage: Maven on the same JDK major version as the runtime.
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# .dockerignore keeps target/ directories and .git out of the context.
COPY . .
# The jar only: the tests run in CI, not in every image build. The cache mount keeps ~/.m2 between
# builds without putting it in a layer.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl control -am package -DskipTests

# Runtime: a JRE, no JDK or Maven. Ubuntu-based (glibc), so Netty's native epoll transport loads.
FROM eclipse-temurin:17-jre-noble
# curl for the health check (installed explicitly: the base image's tool set is not a promise).
# A fixed uid/gid, 10001, so that files on the host (a token file in ./conf) can be given to it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 plexgate \
    && useradd --system --uid 10001 --gid plexgate --home-dir /var/lib/plexgate --no-create-home \
        --shell /usr/sbin/nologin plexgate \
    && install -d -o plexgate -g plexgate -m 0750 /var/lib/plexgate

# The same layout as the .deb: the launcher (with the JVM options) in /usr/bin, the jar in
# /usr/share/plexgate, the default configuration in /etc/plexgate (usually mounted over).
COPY --from=cloudflared /usr/local/bin/cloudflared /usr/local/bin/cloudflared
COPY --from=build /src/control/target/plexgate.jar /usr/share/plexgate/plexgate.jar
COPY --chmod=0755 packaging/bin/plexgate /usr/bin/plexgate
COPY conf/ /etc/plexgate/

# The events file (events.file in plexgate.yml): a volume, so it survives a new container.
VOLUME /var/lib/plexgate
WORKDIR /var/lib/plexgate
USER plexgate

# Nothing to EXPOSE: plexgate listens on loopback for cloudflared (127.0.0.1:32401), and cloudflared
# only connects out. /ready on the admin listener answers 200 when the proxy listens and Plex
# answered its last probe. The start period covers the JVM's start and Plex's first probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:9810/ready || exit 1

# The launcher execs java, so the JVM gets SIGTERM (stop: cloudflared first, then requests in
# flight; give it `stop_grace_period: 90s`) and SIGHUP (reload) directly.
ENTRYPOINT ["/usr/bin/plexgate"]
CMD ["run", "-c", "/etc/plexgate/plexgate.yml"]
