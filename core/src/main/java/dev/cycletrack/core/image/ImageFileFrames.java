package dev.cycletrack.core.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/** A frame stream over image files (one JPEG/PNG per frame), each decoded only when asked for. */
public final class ImageFileFrames implements FrameStream {

    private final List<Path> files;
    private int next;

    public ImageFileFrames(List<Path> files) {
        this.files = List.copyOf(files);
    }

    @Override
    public boolean hasNext() {
        return next < files.size();
    }

    @Override
    public RgbImage next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + files.size() + " frames have been read");
        }
        Path file = files.get(next++);
        try {
            return Images.readRgb(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        next = files.size();
    }
}
