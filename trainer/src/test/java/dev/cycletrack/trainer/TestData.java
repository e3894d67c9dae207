package dev.cycletrack.trainer;

import dev.cycletrack.trainer.data.VideoLibrary;
import dev.cycletrack.trainer.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shipped sample clip (samples/jhmdb, in the repository) and tiny configurations for fast tests. */
public final class TestData {

    private TestData() {}

    /** The project root: the nearest parent holding samples/ and pom.xml. */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("samples")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "project root with samples/ not found above " + Path.of("").toAbsolutePath());
    }

    /** The shipped J-HMDB sample video (320x240, 40 frames). */
    public static Path sampleVideo() {
        Path dir = projectRoot().resolve("samples/jhmdb/Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2");
        return dir.resolve("Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2.avi");
    }

    /** The first {@code frames} frames of the sample video, short side {@code shortSide}. */
    public static VideoLibrary sampleLibrary(int frames, int shortSide) throws IOException {
        VideoLibrary.Video v = VideoLibrary.decode(sampleVideo(), 0, shortSide, frames);
        return VideoLibrary.of(List.of(v));
    }

    /** A tiny, fast configuration: 32 px crops, layer3 + a small head, T = 3, batch 2. */
    public static TrainConfig tinyConfig() {
        TrainConfig c = new TrainConfig();
        c.videos = List.of(sampleVideo().toString());
        c.cropSize = 32;
        c.clipLength = 3;
        c.batchSize = 2;
        c.trainLayer = "layer3";
        c.headHidden = 64;
        c.embedDim = 32;
        c.lr = 1e-3;
        c.edgeDropout = 0.1;
        c.steps = 10;
        c.seed = 7;
        c.threads = 1;
        return c;
    }
}
