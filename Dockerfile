# souk for Docker and Compose: one binary on a distroless, non-root base.
# Build: docker build -t souk .
# Run:   docker run -e TELOXIDE_TOKEN=... -p 8080:8080 -v souk-data:/data souk
# (Railway builds Dockerfile.railway: its volumes are owned by root.)

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# rustls everywhere: no OpenSSL to install. The caches (named, as BuildKit hosts such as Railway
# require) keep rebuilds quick.
RUN --mount=type=cache,id=souk-cargo-registry,target=/usr/local/cargo/registry \
    --mount=type=cache,id=souk-target,target=/src/target \
    cargo build --release --locked --bin souk \
 && cp target/release/souk /souk \
 && mkdir -p /data/files

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /souk /usr/local/bin/souk
# /data holds the SQLite database and local file copies; owned by the non-root user (65532).
# Mount a volume there (`-v souk-data:/data`; Compose does) to keep them across containers.
COPY --from=build --chown=65532:65532 /data /data
ENV PORT=8080 \
    DATABASE_URL=sqlite:///data/souk.db \
    FILES_DIR=/data/files \
    LOG_FORMAT=json
EXPOSE 8080
USER nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/souk", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/souk"]
CMD ["run"]
