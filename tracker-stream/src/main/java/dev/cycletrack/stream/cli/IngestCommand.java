package dev.cycletrack.stream.cli;

import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.stream.FramePublisher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack ingest}: publishes a source's frames (and first-frame labels) to Kafka. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a video, image folder, rtsp:// URL or camera as frames (and first-frame labels).",
            "Decodes a video file, a folder of images, an rtsp:// URL or a camera (/dev/videoN) with JavaCV and",
            "publishes its frames as JPEG to the frames topic under --stream, seq 0, 1, 2...; with --labels,",
            "first the LabelInit of the first frame (JSON file, or a J-HMDB joint_positions.mat).",
            "--realtime paces frames at the source's frame rate, as a camera would deliver them."
        })
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--source", required = true, description = "Video file, image folder, rtsp://... or /dev/videoN.")
    String source;

    @Option(names = "--stream", required = true, description = "Stream id (the record key).")
    String stream;

    @Option(names = "--labels", description = "First-frame labels: JSON (see README) or joint_positions.mat.")
    Path labels;

    @Option(names = "--realtime", description = "Pace frames at the source frame rate (--fps when unknown).")
    boolean realtime;

    @Option(names = "--fps", defaultValue = "25", description = "Pacing rate when the source has none.")
    double fps;

    @Option(names = "--start-seq", defaultValue = "0", description = "Seq of the first frame.")
    long startSeq;

    @Option(names = "--max-frames", defaultValue = "0", description = "Stop after this many frames (0 = all).")
    int maxFrames;

    @Option(names = "--jpeg-quality", defaultValue = "90", description = "JPEG quality 0..100.")
    int quality;

    @Override
    public Integer call() throws Exception {
        FrameSources.Source src = FrameSources.open(source);
        double rate = Double.isNaN(src.fps()) ? fps : src.fps();
        long intervalNs = (long) (1e9 / rate);
        int sent = 0;
        try (var frameStream = src.frames();
                FramePublisher pub = new FramePublisher(common.bootstrap, common.topics(), quality)) {
            long start = System.nanoTime();
            while (frameStream.hasNext() && (maxFrames <= 0 || sent < maxFrames)) {
                RgbImage img = frameStream.next();
                if (sent == 0 && labels != null) {
                    LabelInit init = LabelsFile.read(labels, stream, startSeq, img.width(), img.height());
                    pub.sendInit(init);
                    System.err.println("LabelInit sent: " + init.getTask() + ", " + init.getKeypointsCount()
                            + " keypoints, frame " + startSeq);
                }
                if (realtime) {
                    long due = start + sent * intervalNs;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                pub.sendFrame(stream, startSeq + sent, img);
                sent++;
            }
            pub.flush();
        }
        System.err.println("sent " + sent + " frames of stream " + stream + " to "
                + common.topics().frames().name());
        return 0;
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new IngestCommand();
        }
    }
}
