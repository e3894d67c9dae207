package dev.cycletrack.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.cli.Cycletrack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The compose file, the Prometheus config, the Grafana provisioning and the Dockerfiles agree with each
 * other and with the tracker: the tracker's command parses with the real CLI, Kafka is reached at an address
 * the broker advertises, Prometheus scrapes the port the tracker serves /metrics on, Grafana's dashboard
 * uses the provisioned datasource.
 */
class ComposeFileTest {

    private static final Set<String> SERVICES = Set.of("kafka", "tracker", "prometheus", "grafana");

    private final JsonNode compose = DeploymentFiles.compose();
    private final JsonNode services = compose.path("services");

    @Test
    void theStackHasKafkaTheTrackerPrometheusAndGrafana() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(SERVICES), names);
    }

    @Test
    void kafkaIsASingleKraftNodeOfTheTrackersKafkaVersion() {
        JsonNode kafka = services.path("kafka");
        assertEquals(
                "apache/kafka:" + AppInfoParser.getVersion(),
                kafka.path("image").asText(),
                "broker = client version");
        Map<String, String> env = environment(kafka);
        assertEquals(
                Set.of("broker", "controller"),
                Set.of(env.get("KAFKA_PROCESS_ROLES").split(",")));
        Map<String, String> listeners = listeners(env.get("KAFKA_LISTENERS"));
        String controller = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");
        assertEquals(
                env.get("KAFKA_NODE_ID") + "@kafka:" + port(listeners.get(controller)),
                env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"),
                "the one voter is this node, at its controller listener");
        assertTrue(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").contains(controller + ":"));
        assertEquals("1", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), "one node: one replica");
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"), "one node: one replica");
        // Kafka's storage tool accepts only a base64 UUID as the cluster id.
        assertEquals(22, env.get("CLUSTER_ID").length());
        Uuid.fromString(env.get("CLUSTER_ID"));
        // Frames up to 32 MiB, as the embedded broker allows.
        assertEquals(String.valueOf(32 << 20), env.get("KAFKA_MESSAGE_MAX_BYTES"));
    }

    @Test
    void theTrackerCommandParsesAndPointsAtAnAddressKafkaAdvertisesToContainers() {
        CommandLine.ParseResult track = trackCommand();
        String bootstrap = track.matchedOptionValue("--bootstrap-servers", "");
        Map<String, String> env = environment(services.path("kafka"));
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        assertTrue(
                advertised.containsValue(bootstrap),
                "--bootstrap-servers " + bootstrap + " is one of the advertised listeners " + advertised);
        assertTrue(bootstrap.startsWith("kafka:"), "reached by the kafka service's name");
        assertEquals(
                "service_healthy",
                services.path("tracker")
                        .path("depends_on")
                        .path("kafka")
                        .path("condition")
                        .asText(),
                "the tracker starts once Kafka answers");
    }

    @Test
    void prometheusScrapesTheTrackersMetricsPort() {
        int httpPort = trackerHttpPort();
        assertTrue(
                publishedContainerPorts(services.path("tracker")).contains(httpPort), "tracker publishes " + httpPort);
        assertTrue(
                Dockerfiles.runtimeStage(Dockerfiles.tracker()).stream()
                        .anyMatch(l -> l.startsWith("EXPOSE")
                                && List.of(l.split("\\s+")).contains(String.valueOf(httpPort))),
                "tracker.Dockerfile EXPOSEs " + httpPort);
        assertTrue(
                services.path("tracker").path("healthcheck").toString().contains("/dev/tcp/localhost/" + httpPort),
                "the health check asks the metrics port");

        JsonNode prometheus = services.path("prometheus");
        String configPath = "/etc/prometheus/prometheus.yml"; // the image's default
        for (JsonNode arg : prometheus.path("command")) {
            if (arg.asText().startsWith("--config.file=")) {
                configPath = arg.asText().substring("--config.file=".length());
            }
        }
        Path config = mountedFrom(prometheus, configPath);
        assertEquals(DeploymentFiles.dockerDir().resolve("prometheus/prometheus.yml"), config);
        List<String> targets = new ArrayList<>();
        for (JsonNode job : DeploymentFiles.yaml(config).path("scrape_configs")) {
            String path = job.path("metrics_path").asText("/metrics");
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode t : sc.path("targets")) {
                    targets.add(t.asText() + path);
                }
            }
        }
        assertTrue(
                targets.contains("tracker:" + httpPort + "/metrics"),
                "Prometheus scrapes tracker:" + httpPort + "/metrics; it scrapes " + targets);
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheDashboardThatUsesIt() {
        JsonNode grafana = services.path("grafana");
        Path provisioning = mountedFrom(grafana, "/etc/grafana/provisioning");
        JsonNode datasource = DeploymentFiles.yaml(provisioning.resolve("datasources/prometheus.yaml"))
                .path("datasources")
                .get(0);
        assertEquals("prometheus", datasource.path("type").asText());
        int prometheusPort =
                publishedContainerPorts(services.path("prometheus")).get(0);
        assertEquals(
                "http://prometheus:" + prometheusPort, datasource.path("url").asText());

        JsonNode provider = DeploymentFiles.yaml(provisioning.resolve("dashboards/cycletrack.yaml"))
                .path("providers")
                .get(0);
        Path dashboards =
                mountedFrom(grafana, provider.path("options").path("path").asText());
        assertEquals(
                DeploymentFiles.dashboardFile().getParent(), dashboards, "the provider reads the mounted dashboards");
        String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertTrue(home.startsWith(provider.path("options").path("path").asText() + "/"));
        assertTrue(Files.isRegularFile(dashboards.resolve(Path.of(home).getFileName())), "home dashboard exists");

        // Every panel and query names the provisioned datasource by uid.
        JsonNode dashboard = DeploymentFiles.json(DeploymentFiles.dashboardFile());
        String uid = datasource.path("uid").asText();
        List<String> others = new ArrayList<>();
        for (JsonNode ds : dashboard.findValues("datasource")) {
            if (!uid.equals(ds.path("uid").asText())) {
                others.add(ds.toString());
            }
        }
        assertTrue(others.isEmpty(), "datasources other than uid " + uid + ": " + others);
        assertFalse(DeploymentFiles.dashboardExpressions(dashboard).isEmpty());
    }

    @Test
    void theImagesRunTheLaunchersMainClassAsANonRootUserOnAJlinkRuntime() {
        String mainClass = launcherMainClass();
        for (Path dockerfile : List.of(Dockerfiles.tracker(), Dockerfiles.trainer())) {
            List<String> all = Dockerfiles.instructions(dockerfile);
            List<String> runtime = Dockerfiles.runtimeStage(dockerfile);
            assertTrue(all.stream().filter(l -> l.startsWith("FROM ")).count() >= 2, dockerfile + " is multi-stage");
            assertTrue(all.stream().anyMatch(l -> l.contains("jlink --add-modules")), dockerfile + " links a runtime");
            assertTrue(
                    runtime.stream().anyMatch(l -> l.startsWith("COPY --from=build /opt/java")),
                    dockerfile + " ships the linked runtime");
            String entrypoint = runtime.stream()
                    .filter(l -> l.startsWith("ENTRYPOINT"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertTrue(entrypoint.contains("\"" + mainClass + "\""), dockerfile + " runs " + mainClass);
            String user = runtime.stream()
                    .filter(l -> l.startsWith("USER "))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError(dockerfile + " sets no USER"));
            assertNotEquals("root", user.substring(5).strip());
            assertNotEquals("0", user.substring(5).strip());
            assertTrue(Dockerfiles.jlinkModules(dockerfile).contains("java.base"));
        }
        // The tracker image is what compose builds.
        JsonNode build = services.path("tracker").path("build");
        Path context = DeploymentFiles.dockerDir()
                .resolve(build.path("context").asText())
                .normalize();
        assertEquals(DeploymentFiles.projectRoot(), context);
        assertEquals(
                Dockerfiles.tracker(), context.resolve(build.path("dockerfile").asText()));
    }

    // ---- helpers ----

    /** The tracker service's command, parsed by the real CLI; the {@code track} subcommand's result. */
    static CommandLine.ParseResult trackCommand() {
        List<String> args = trackerCommandArgs(DeploymentFiles.compose());
        CommandLine.ParseResult root = Cycletrack.commandLine().parseArgs(args.toArray(String[]::new));
        assertTrue(root.hasSubcommand(), "the tracker's command names a subcommand: " + args);
        assertEquals("track", root.subcommand().commandSpec().name());
        return root.subcommand();
    }

    static List<String> trackerCommandArgs(JsonNode compose) {
        List<String> args = new ArrayList<>();
        compose.path("services").path("tracker").path("command").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** The port the tracker serves /metrics on: --http-port, or its default. */
    static int trackerHttpPort() {
        Object port = trackCommand().commandSpec().findOption("--http-port").getValue();
        return (Integer) port;
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        service.path("environment")
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** {@code NAME://host:port,...} as name to {@code host:port}. */
    private static Map<String, String> listeners(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : spec.split(",")) {
            int sep = l.indexOf("://");
            out.put(l.substring(0, sep), l.substring(sep + 3));
        }
        return out;
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static List<Integer> publishedContainerPorts(JsonNode service) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode p : service.path("ports")) {
            String s = p.asText();
            out.add(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1).replace("/tcp", "")));
        }
        return out;
    }

    /** The host file or folder (under docker/) bind-mounted at {@code containerPath}. */
    private static Path mountedFrom(JsonNode service, String containerPath) {
        Pattern bind = Pattern.compile("(\\./[^:]+):([^:]+)(:ro|:rw)?");
        for (JsonNode v : service.path("volumes")) {
            Matcher m = bind.matcher(v.asText());
            if (m.matches() && m.group(2).equals(containerPath)) {
                Path host = DeploymentFiles.dockerDir().resolve(m.group(1)).normalize();
                assertTrue(Files.exists(host), host + " exists");
                return host;
            }
        }
        throw new AssertionError(
                "nothing from docker/ is mounted at " + containerPath + " in " + service.path("volumes"));
    }

    /** The main class the ./cycletrack launcher runs (its last line: ... -cp ... MAIN "$@"). */
    private static String launcherMainClass() {
        Matcher m = Pattern.compile("\\s([a-z][\\w.]*\\.[A-Z]\\w*) \"\\$@\"")
                .matcher(DeploymentFiles.read(DeploymentFiles.projectRoot().resolve("cycletrack")));
        assertTrue(m.find(), "the launcher's main class");
        return m.group(1);
    }
}
