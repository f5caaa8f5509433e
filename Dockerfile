# syntax=docker/dockerfile:1
# Login with IOTA verifier: a static binary on distroless, non-root.
#
#   docker build --build-arg VERSION=v1.0.0 --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t loginwithiota/verifier:v1.0.0 .
#   docker run -p 8080:8080 -e VERIFIER_PUBLIC_URL=https://verifier.example.org loginwithiota/verifier:v1.0.0
#
# The image runs config.production.yaml (demo off, JSON logs, audit log on
# stdout, metrics on :9090). Mount your own over it, or elsewhere and name
# it with VERIFIER_CONFIG:
#
#   docker run -v "$PWD/my-config.yaml:/app/config.yaml:ro" ...
#   docker run -v "$PWD/conf:/conf:ro" -e VERIFIER_CONFIG=/conf/config.yaml ...
#
# Relative paths in a config (pinned DIDs, contexts, CA files) are relative
# to the config file's directory.

# Build: go.mod/go.sum first so the module download is cached.
FROM golang:1.26-bookworm AS build
ARG VERSION=devel
ARG REVISION=
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# .git is not in the context (.dockerignore): the version and revision come
# from the build arguments instead of the VCS stamp.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags="-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" \
      -o /out/verifier ./cmd/verifier

# Run: distroless static, non-root, CA certificates included.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=devel
ARG REVISION=
ARG CREATED=
LABEL org.opencontainers.image.title="Login with IOTA verifier" \
      org.opencontainers.image.description="OpenID for Verifiable Presentations verifier: websites log users in with an IOTA wallet's credentials" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.documentation="README.md and docs/ in the source repository"
WORKDIR /app
COPY --from=build /out/verifier /app/verifier
COPY config.production.yaml /app/config.yaml
USER nonroot:nonroot
# 8080: the service (publish it); 9090: /metrics (scrape it privately).
EXPOSE 8080 9090
ENV VERIFIER_LISTEN=0.0.0.0:8080 \
    VERIFIER_CONFIG=/app/config.yaml
# No shell in the image: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["/app/verifier", "healthcheck"]
ENTRYPOINT ["/app/verifier"]
