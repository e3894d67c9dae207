# syntax=docker/dockerfile:1.7
# The streaming tracker (`cycletrack track`, and the other tracker-stream commands: broker, ingest, view,
# tail, demo, bench stream). Build from the project root:
#   docker build -f docker/tracker.Dockerfile -t cycletrack/tracker .
# Run: docker run --rm -p 9464:9464 cycletrack/tracker track --bootstrap-servers HOST:PORT

# ---- build: Debian's OpenJDK 17 and Maven, the toolchain this project is verified with ----
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The jars and the runtime class path the ./cycletrack launcher uses (tracker-stream/target/classpath.txt),
# flattened into /app/lib; the class path keeps Maven's order, in a java @argfile.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true package -pl tracker-stream -am \
 && mkdir -p /app/lib \
 && { ls tracker-stream/target/cycletrack-tracker-stream-*.jar; tr ':' '\n' < tracker-stream/target/classpath.txt; } > /tmp/jars \
 && xargs -a /tmp/jars cp -t /app/lib/ \
 && { printf -- '-cp\n'; xargs -a /tmp/jars -n1 basename | sed 's#^#/app/lib/#' | paste -sd: -; } > /app/classpath.args

# Only the JDK modules the tracker needs (see docker/README.md: jdeps, plus jdk.crypto.ec for TLS to Kafka,
# which jdeps cannot see because it is a security provider). docker/src/test/.../JlinkRuntimeTest links this
# list and runs the tracker on it.
ARG JLINK_MODULES=java.base,java.compiler,java.desktop,java.naming,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.incubator.vector,jdk.unsupported
RUN jlink --add-modules "${JLINK_MODULES}" --strip-debug --no-header-files --no-man-pages --compress=2 \
      --output /opt/java

# ---- runtime: the jlink runtime and the jars, as a non-root user ----
FROM debian:bookworm-slim
# Libraries Debian's JDK links against (java.desktop: ImageIO, fonts, colour management), plus a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfreetype6 libharfbuzz0b liblcms2-2 libjpeg62-turbo libpng16-16 \
      libfontconfig1 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 cycletrack \
 && useradd --system --uid 10001 --gid cycletrack --home-dir /var/lib/cycletrack --shell /usr/sbin/nologin cycletrack \
 && mkdir -p /var/lib/cycletrack /var/cache/cycletrack /app/models \
 && chown cycletrack:cycletrack /var/lib/cycletrack /var/cache/cycletrack
COPY --from=build /opt/java /opt/java
COPY --from=build /app /app
# The launcher's system properties: DJL never downloads (libtorch comes from its jar), natives extract to a
# writable cache, models/ is /app/models, logs at warn. Then a smoke run: the linked runtime starts and the
# CLI loads from /app/lib.
RUN printf '%s\n' --add-modules=jdk.incubator.vector -Dai.djl.offline=true -Djava.awt.headless=true -Dcycletrack.home=/app \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.bytedeco.javacpp.cachedir=/var/cache/cycletrack/javacpp \
      > /app/system.args \
 && /opt/java/bin/java -version \
 && /opt/java/bin/java @/app/system.args @/app/classpath.args dev.cycletrack.core.cli.Cycletrack --help > /dev/null
ENV PATH=/opt/java/bin:$PATH \
    ENGINE_CACHE_DIR=/var/cache/cycletrack/djl \
    DJL_CACHE_DIR=/var/cache/cycletrack/djl
USER cycletrack
WORKDIR /var/lib/cycletrack
# /metrics and /health (track --http-port); the embedded broker's port when track runs without Kafka.
EXPOSE 9464 9092
# JVM flags: JDK_JAVA_OPTIONS (read by the java launcher), e.g. -Xmx3g.
ENTRYPOINT ["java", "@/app/system.args", "@/app/classpath.args", "dev.cycletrack.core.cli.Cycletrack"]
CMD ["track", "--data-dir", "/var/lib/cycletrack", "--http-port", "9464"]
