package dev.cycletrack.stream.cli;

import dev.cycletrack.core.bench.BenchOutput;
import dev.cycletrack.core.bench.CpuSteal;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.stream.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cycletrack bench kafka}: the latency of one bare Kafka hop (producer to consumer) through the
 * embedded broker on this machine, with the tracker's client settings. A frame crosses two such hops
 * (frame in, label out), so twice this figure is the floor under the stream benchmark's Kafka overhead.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Latency of one bare Kafka hop (send -> record polled by a consumer) through the embedded broker,",
            "with the tracker's client settings (linger 0, acks all, idempotent producer; consumer without a",
            "group). Messages are sent one at a time, each after the previous one was read, --gap-ms apart.",
            "The stream benchmark's Kafka overhead contains two such hops (frame in, label out). Writes JSON",
            "(keys hop_p50_ms, hop_p90_ms, hop_p99_ms, ack_p50_ms) and the section 'bench kafka' of",
            "docs/benchmarks.md."
        })
public final class BenchKafkaCommand implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "500", description = "Measured messages (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(
            names = "--warmup",
            defaultValue = "50",
            description = "Unmeasured messages first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--bytes",
            defaultValue = "20000",
            description = "Message size, about one 320x240 JPEG frame (default ${DEFAULT-VALUE}).")
    int bytes;

    @Option(
            names = "--gap-ms",
            defaultValue = "20",
            description = "Pause between a message read and the next send (default ${DEFAULT-VALUE}).")
    int gapMs;

    @Mixin
    BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || warmup < 0 || bytes < 0 || gapMs < 0) {
            throw new IllegalArgumentException("--messages must be >= 1; --warmup, --bytes and --gap-ms >= 0");
        }
        Path work = ProjectPaths.root().orElse(Path.of(".")).resolve("out").resolve(".bench-kafka-hop");
        DemoCommand.deleteTree(work);
        Map<String, Object> r = new LinkedHashMap<>();
        CpuSteal stealBefore = CpuSteal.snapshot();
        try (EmbeddedBroker broker = EmbeddedBroker.start(work, 0)) {
            String bootstrap = broker.bootstrapServers();
            String topic = "bench-hop";
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
            }
            List<Double> hops = new ArrayList<>();
            ConcurrentLinkedQueue<Double> acks = new ConcurrentLinkedQueue<>();
            try (KafkaProducer<Long, byte[]> producer = producer(bootstrap);
                    KafkaConsumer<Long, byte[]> consumer = consumer(bootstrap)) {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                byte[] payload = new byte[bytes];
                System.err.printf(Locale.ROOT, "sending %d + %d messages of %d bytes%n", warmup, messages, bytes);
                for (int i = 0; i < warmup + messages; i++) {
                    boolean measured = i >= warmup;
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, sent, payload), (meta, e) -> {
                        if (measured && e == null) {
                            acks.add((System.nanoTime() - sent) / 1e6);
                        }
                    });
                    long deadline = sent + 30_000_000_000L;
                    boolean read = false;
                    while (!read) {
                        for (var rec : consumer.poll(Duration.ofMillis(5))) {
                            if (rec.key() == sent) {
                                read = true;
                                if (measured) {
                                    hops.add((System.nanoTime() - sent) / 1e6);
                                }
                            }
                        }
                        if (!read && System.nanoTime() > deadline) {
                            throw new IllegalStateException("message " + i + " not read within 30 s");
                        }
                    }
                    Thread.sleep(gapMs);
                }
            }
            Percentiles p = new Percentiles(hops);
            r.put("messages", messages);
            r.put("bytes", bytes);
            r.put("gap_ms", gapMs);
            r.put("hop_p50_ms", Percentiles.round(p.p(50)));
            r.put("hop_p90_ms", Percentiles.round(p.p(90)));
            r.put("hop_p99_ms", Percentiles.round(p.p(99)));
            r.put("ack_p50_ms", Percentiles.round(new Percentiles(new ArrayList<>(acks)).p(50)));
            r.put("cores", Runtime.getRuntime().availableProcessors());
            r.put("cpu_steal_percent", CpuSteal.snapshot().percentSince(stealBefore));
        } finally {
            DemoCommand.deleteTree(work);
        }
        output.publish(r, "bench kafka", () -> markdown(r));
        return 0;
    }

    private static KafkaProducer<Long, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new LongSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<Long, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return new KafkaConsumer<>(p, new LongDeserializer(), new ByteArrayDeserializer());
    }

    private String markdown(Map<String, Object> r) {
        return String.format(
                Locale.ROOT,
                """
                ### One bare Kafka hop (`./cycletrack bench kafka`)

                %s messages of %s bytes, one at a time (%s ms between a read and the next send), producer (linger 0,
                acks all) -> embedded KRaft broker -> consumer, in one JVM; %s, %s cores, %s%% of the CPU time stolen
                by the hypervisor during the run.

                | hop p50 | hop p90 | hop p99 | producer ack p50 |
                |---|---|---|---|
                | %s ms | %s ms | %s ms | %s ms |

                A frame crosses two hops (frame in, label out), so twice the hop p50 is the floor under the stream
                benchmark's Kafka overhead on this machine.
                """,
                r.get("messages"),
                r.get("bytes"),
                r.get("gap_ms"),
                LocalDate.now(),
                r.get("cores"),
                r.get("cpu_steal_percent"),
                r.get("hop_p50_ms"),
                r.get("hop_p90_ms"),
                r.get("hop_p99_ms"),
                r.get("ack_p50_ms"));
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new BenchKafkaCommand();
        }

        @Override
        public String parent() {
            return "bench";
        }
    }
}
