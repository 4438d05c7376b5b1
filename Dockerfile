# weiquan: one binary for `api`, `worker`, `migrate` and the tools.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=container
RUN CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/weiquan ./cmd/weiquan

FROM debian:bookworm-slim
# CJK fonts for the written notices (PDF letters: fpdf embeds TrueType only, hence Droid Sans
# Fallback for CJK and DejaVu Sans for digits and Latin), CA certificates for TLS to Temporal/PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates fonts-noto-cjk fonts-droid-fallback fonts-dejavu-core tzdata \
    && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 weiquan \
    && mkdir -p /var/lib/weiquan/calendar /var/lib/weiquan/blobs && chown -R weiquan /var/lib/weiquan
COPY --from=build /out/weiquan /usr/local/bin/weiquan
USER weiquan
EXPOSE 8080 8081
ENTRYPOINT ["/usr/local/bin/weiquan"]
CMD ["api"]
