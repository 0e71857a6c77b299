# datazone-mock in a container: the server on port 8484 of every interface, as a non-root user.
#
#   docker build -t datazone-mock .
#   docker run --rm -p 8484:8484 datazone-mock
#   docker run --rm -p 8484:8484 -e DATAZONE_MOCK_ADMIN_TOKEN=s3cret \
#       -v "$PWD/fixtures:/fixtures:ro" datazone-mock --fixtures /fixtures --scenario slow
#
# Configure with DATAZONE_MOCK_* variables or with flags after the image name.

# Build stage: the same Release build CI runs (scripts/build-release.sh installs the Debian build
# packages itself).
FROM debian:bookworm-slim AS build
WORKDIR /src
COPY . .
RUN bash scripts/build-release.sh build-release \
    && strip -o /datazone-mock build-release/datazone-mock

# Runtime stage: Debian 12 again, so the shared libraries are the ones the binary was linked
# against. The list is `ldd datazone-mock` mapped to packages (libc6 is in every image);
# tests/package/dockerfile_test.py checks that it still matches the built binary.
FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libbrotli1 libcpp-httplib0.11 libgcc-s1 libssl3 libstdc++6 libyaml-cpp0.7 zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin datazone-mock
COPY --from=build /datazone-mock /usr/local/bin/datazone-mock

# Numeric, so that "runAsNonRoot" checks can verify it without reading /etc/passwd.
USER 10001:10001
# Every interface: a container's loopback cannot be reached through a published port. The server
# warns at start that the admin API is then open to the network unless DATAZONE_MOCK_ADMIN_TOKEN
# is set; GET /_mock/health stays open either way.
ENV DATAZONE_MOCK_HOST=0.0.0.0 \
    DATAZONE_MOCK_PORT=8484
EXPOSE 8484
# bash's /dev/tcp speaks enough HTTP for a health check, so the image needs no curl or wget (and
# none of their libraries and CVEs); bash is essential in every Debian image. A plain-HTTP check:
# with --tls-cert, or with the admin API off, set a health check of your own or none.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${DATAZONE_MOCK_PORT:-8484} && printf 'GET /_mock/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 3 status <&3 && [[ $status == 'HTTP/1.'?' 200 '* ]]"]
# SIGTERM (docker stop) drains in-flight requests for at most 5 s, then exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["datazone-mock"]
