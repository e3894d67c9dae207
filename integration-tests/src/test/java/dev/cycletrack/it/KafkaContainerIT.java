package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.Expected;
import dev.cycletrack.it.support.ItKafka;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.StreamSender;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The tracker against Testcontainers' Kafka (the broker image, not this JVM's jars): one stream is
 * labelled, once per frame, as offline. Where no Docker engine runs it is reported as skipped; the other
 * ITs then use the in-process KRaft broker. (Not named Testcontainers*IT: Surefire would take a Test*
 * class for a unit test.)
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerIT {

    static ItKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = ItKafka.container();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(300)
    void aStreamIsLabelledOnceAndAsOfflineOnAContainerBroker(@TempDir Path tmp) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        InputSize input = InputSize.parse("square:64");
        TrackerConfig config = TrackerConfig.defaults()
                .withTopicPrefix("tc.")
                .withMaxFrameAge(Duration.ZERO, true)
                .withInputSize(input)
                .withHttpPort(-1);
        TopicSetup.ensure(bootstrap, config.topics(), 2);
        try (Tracker tracker = Tracker.start(
                        new Tracker.Options(
                                bootstrap, 0, tmp.resolve("tracker"), "it-tc", 1, "at_least_once", "random", 2, config),
                        Models.random());
                TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, config.topics(), false);
                StreamSender sender =
                        new StreamSender(bootstrap, config.topics(), List.of("tc"), new int[] {0}, 8, 5)) {
            tracker.awaitRunning(Duration.ofSeconds(120));
            sender.start();
            Poll.until("the sender done", Duration.ofSeconds(60), sender::done);
            Poll.until(
                    "every frame answered",
                    Duration.ofSeconds(180),
                    () -> new Answers(labels.all()).complete(sender.sent()));
            Answers answers = new Answers(labels.all());
            Reports.write(
                    "testcontainers",
                    Map.of("broker", kafka.kind(), "frames_sent", sender.sentCount(), "answered", answers.answered()));
            assertEquals(sender.sentCount(), answers.answered());
            assertEquals(List.of(), Expected.differences(sender, answers, input));
        }
    }
}
