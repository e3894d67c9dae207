package dev.cycletrack.stream.state;

import dev.cycletrack.schemas.ProtoSerde;
import dev.cycletrack.schemas.v1.StoredFrame;
import dev.cycletrack.schemas.v1.StreamMeta;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The two persistent (RocksDB, changelogged) stores of the per-stream state: {@value #STREAMS}
 * (stream id -> {@link StreamMeta}) and {@value #FRAMES} ("stream/seq" -> {@link StoredFrame}: frame 0
 * and the last m frames as their encoded bytes plus soft labels). Features are not stored.
 */
public final class StreamStores {

    public static final String STREAMS = "cycletrack-streams";
    public static final String FRAMES = "cycletrack-frames";

    /** Changelog records hold whole frames: allow up to 32 MiB. */
    static final Map<String, String> CHANGELOG = Map.of("max.message.bytes", String.valueOf(32 << 20));

    private StreamStores() {}

    public static StoreBuilder<KeyValueStore<String, StreamMeta>> streams() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STREAMS),
                        Serdes.String(),
                        ProtoSerde.withoutHeaders(StreamMeta.getDefaultInstance()))
                .withLoggingEnabled(CHANGELOG);
    }

    public static StoreBuilder<KeyValueStore<String, StoredFrame>> frames() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(FRAMES),
                        Serdes.String(),
                        ProtoSerde.withoutHeaders(StoredFrame.getDefaultInstance()))
                .withLoggingEnabled(CHANGELOG)
                .withCachingDisabled();
    }
}
