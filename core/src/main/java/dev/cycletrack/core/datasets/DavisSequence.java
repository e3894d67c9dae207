package dev.cycletrack.core.datasets;

import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.ImageFileFrames;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One DAVIS sequence: its frames in file-name order and the annotation of each frame that has one
 * (matched by file stem, so sparsely annotated sequences work too). Everything is decoded lazily.
 */
public final class DavisSequence {

    private final String name;
    private final List<Path> frames;
    private final Map<String, Integer> indexByStem = new HashMap<>();
    private final Path[] annotationByFrame;

    DavisSequence(String name, List<Path> frames, List<Path> annotations) throws IOException {
        this.name = name;
        this.frames = List.copyOf(frames);
        for (int i = 0; i < frames.size(); i++) {
            indexByStem.put(stem(frames.get(i)), i);
        }
        this.annotationByFrame = new Path[frames.size()];
        for (Path a : annotations) {
            Integer i = indexByStem.get(stem(a));
            if (i == null) {
                throw new IOException(
                        "annotation " + a + " of DAVIS sequence '" + name + "' has no frame " + stem(a) + ".jpg");
            }
            annotationByFrame[i] = a;
        }
    }

    public String name() {
        return name;
    }

    public int frameCount() {
        return frames.size();
    }

    public List<Path> framePaths() {
        return frames;
    }

    public Path framePath(int index) {
        return frames.get(index);
    }

    /** The frame's file name without extension, e.g. {@code 00000}. */
    public String frameName(int index) {
        return stem(frames.get(index));
    }

    /** Index of the frame whose file stem is {@code frameName}, if there is one. */
    public Optional<Integer> indexOf(String frameName) {
        return Optional.ofNullable(indexByStem.get(frameName));
    }

    public Optional<Path> annotationPath(int index) {
        return Optional.ofNullable(annotationByFrame[index]);
    }

    /** Indices of the frames that have an annotation, ascending. */
    public List<Integer> annotatedFrames() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < annotationByFrame.length; i++) {
            if (annotationByFrame[i] != null) {
                out.add(i);
            }
        }
        return out;
    }

    public RgbImage readFrame(int index) throws IOException {
        return Images.readRgb(frames.get(index));
    }

    /** Gray frame as the baselines read it ({@code imread} colour, BGR2GRAY). */
    public GrayImage readGray(int index) throws IOException {
        return Images.readGray(frames.get(index));
    }

    /** The frame's annotation as ids (a DAVIS-2016 0/255 mask becomes 0/1). */
    public IdMap readAnnotation(int index) throws IOException {
        Path a = annotationByFrame[index];
        if (a == null) {
            throw new IOException(
                    "frame " + frames.get(index) + " of DAVIS sequence '" + name + "' has no annotation PNG");
        }
        return Images.readAnnotation(a);
    }

    /** Streams the frames from {@code from} (inclusive) to {@code to} (exclusive), one decoded at a time. */
    public ImageFileFrames frames(int from, int to) {
        return new ImageFileFrames(frames.subList(from, to));
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }
}
