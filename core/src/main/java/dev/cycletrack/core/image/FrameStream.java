package dev.cycletrack.core.image;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Frames decoded one at a time, so a whole clip never sits in memory. Closing releases the decoder;
 * decoding errors surface from {@link #next()} as {@link java.io.UncheckedIOException} naming the file.
 */
public interface FrameStream extends Iterator<RgbImage>, AutoCloseable {

    @Override
    void close();

    /** A sequential stream over the remaining frames; closing the stream closes this. */
    default Stream<RgbImage> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }
}
