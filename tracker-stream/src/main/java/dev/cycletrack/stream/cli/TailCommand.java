package dev.cycletrack.stream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.stream.LabelsReader;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack tail}: a stream's labels as JSON lines. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Prints the labels of a stream (or all streams) as JSON lines, following the labels topic.")
public final class TailCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--stream", description = "Stream id; all streams when omitted.")
    String stream;

    @Option(names = "--from-beginning", description = "Start at the oldest labels instead of new ones.")
    boolean fromBeginning;

    @Option(
            names = "--idle-exit-s",
            defaultValue = "0",
            description = "Exit after this many seconds without new labels (0 = follow until Ctrl-C).")
    long idleExitS;

    @Override
    public Integer call() {
        ObjectMapper json = new ObjectMapper();
        try (LabelsReader<FrameKey, FrameLabels> reader =
                new LabelsReader<>(common.bootstrap, common.topics().labels(), fromBeginning)) {
            long lastSeen = System.nanoTime();
            while (idleExitS <= 0 || System.nanoTime() - lastSeen < idleExitS * 1_000_000_000L) {
                for (var r : reader.poll(Duration.ofMillis(200))) {
                    if (r.value() == null
                            || (stream != null && !stream.equals(r.value().getStreamId()))) {
                        continue;
                    }
                    lastSeen = System.nanoTime();
                    System.out.println(json.writeValueAsString(LabelsJson.of(r.value())));
                }
                System.out.flush();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return 0;
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new TailCommand();
        }
    }
}
