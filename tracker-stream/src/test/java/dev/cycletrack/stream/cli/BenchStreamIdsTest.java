package dev.cycletrack.stream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class BenchStreamIdsTest {

    @Test
    void benchStreamsLandOnDistinctPartitionsAsTheProducerPlacesThem() {
        for (int partitions : new int[] {2, 3, 4, 8}) {
            List<String> ids = BenchStreamCommand.streamIds(partitions, partitions);
            for (int s = 0; s < ids.size(); s++) {
                byte[] key = ids.get(s).getBytes(StandardCharsets.UTF_8);
                // The producer's own placement of a keyed record.
                assertEquals(s, BuiltInPartitioner.partitionForKey(key, partitions), ids.get(s));
            }
        }
    }
}
