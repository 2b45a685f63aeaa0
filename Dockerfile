# Build and run the service: `mpmp migrate` and `mpmp serve` share the image.
# (Not built on the project's machines, which have no Docker engine.)
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product mpmp --static-swift-stdlib \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir /staging \
    && cp "$bin/mpmp" /staging/ \
    && cp -R "$bin"/*.resources /staging/

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 mpmp
WORKDIR /app
COPY --from=build /staging/ /app/
USER mpmp
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
ENTRYPOINT ["/app/mpmp"]
CMD ["serve"]
