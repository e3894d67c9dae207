# syntax=docker/dockerfile:1.7
# The trainer (`cycletrack train`, and diagnose, publish, bench train, plus core's eval and bench propagate).
# Build from the project root:
#   docker build -f docker/trainer.Dockerfile -t cycletrack/trainer .
# Run: docker run --rm -v "$PWD/videos:/data/videos:ro" -v "$PWD/runs:/data/runs" cycletrack/trainer \
#        train --videos /data/videos --out /data/runs/stfc3

# ---- build: Debian's OpenJDK 17 and Maven, the toolchain this project is verified with ----
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The jars and the runtime class path the ./cycletrack launcher uses (trainer/target/classpath.txt),
# flattened into /app/lib; the class path keeps Maven's order, in a java @argfile.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true package -pl trainer -am \
 && mkdir -p /app/lib \
 && { ls trainer/target/cycletrack-trainer-*.jar; tr ':' '\n' < trainer/target/classpath.txt; } > /tmp/jars \
 && xargs -a /tmp/jars cp -t /app/lib/ \
 && { printf -- '-cp\n'; xargs -a /tmp/jars -n1 basename | sed 's#^#/app/lib/#' | paste -sd: -; } > /app/classpath.args

# Only the JDK modules the trainer needs (jdeps; see docker/README.md). java.desktop draws the loss and
# learning-curve PNGs. docker/src/test/.../JlinkRuntimeTest links this list and runs the trainer on it.
ARG JLINK_MODULES=java.base,java.compiler,java.desktop,java.sql,jdk.management,jdk.incubator.vector,jdk.unsupported
RUN jlink --add-modules "${JLINK_MODULES}" --strip-debug --no-header-files --no-man-pages --compress=2 \
      --output /opt/java

# ---- runtime: the jlink runtime and the jars, as a non-root user ----
FROM debian:bookworm-slim
# Libraries Debian's JDK links against (java.desktop: ImageIO, fonts, colour management), plus a font for
# the charts' text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfreetype6 libharfbuzz0b liblcms2-2 libjpeg62-turbo libpng16-16 \
      libfontconfig1 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 cycletrack \
 && useradd --system --uid 10001 --gid cycletrack --home-dir /var/lib/cycletrack --shell /usr/sbin/nologin cycletrack \
 && mkdir -p /var/lib/cycletrack /var/cache/cycletrack /data \
 && chown cycletrack:cycletrack /var/lib/cycletrack /var/cache/cycletrack /data
COPY --from=build /opt/java /opt/java
COPY --from=build /app /app
# The launcher's system properties: DJL never downloads (libtorch comes from its jar), natives extract to a
# writable cache, the project folders (models/, docs/) are under /data, logs at warn. Then a smoke run:
# the linked runtime starts and the CLI loads from /app/lib.
RUN printf '%s\n' --add-modules=jdk.incubator.vector -Dai.djl.offline=true -Djava.awt.headless=true -Dcycletrack.home=/data \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.bytedeco.javacpp.cachedir=/var/cache/cycletrack/javacpp \
      > /app/system.args \
 && /opt/java/bin/java -version \
 && /opt/java/bin/java @/app/system.args @/app/classpath.args dev.cycletrack.core.cli.Cycletrack --help > /dev/null
ENV PATH=/opt/java/bin:$PATH \
    ENGINE_CACHE_DIR=/var/cache/cycletrack/djl \
    DJL_CACHE_DIR=/var/cache/cycletrack/djl
USER cycletrack
# Mount videos and the output folder under /data.
WORKDIR /data
# JVM flags: JDK_JAVA_OPTIONS (read by the java launcher), e.g. -Xmx3g.
ENTRYPOINT ["java", "@/app/system.args", "@/app/classpath.args", "dev.cycletrack.core.cli.Cycletrack"]
CMD ["train", "--help"]
