# Build: go.mod/go.sum first so the module download is cached.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/verifier ./cmd/verifier

# Run: distroless static, non-root, CA certificates included.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/verifier /app/verifier
COPY config.yaml /app/config.yaml
USER nonroot:nonroot
EXPOSE 8080
ENV VERIFIER_LISTEN=0.0.0.0:8080
ENTRYPOINT ["/app/verifier", "--config", "/app/config.yaml"]
