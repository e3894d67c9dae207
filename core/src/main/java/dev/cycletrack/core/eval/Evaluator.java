package dev.cycletrack.core.eval;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.BadjaDataset;
import dev.cycletrack.core.datasets.BadjaFrame;
import dev.cycletrack.core.datasets.BadjaSequence;
import dev.cycletrack.core.datasets.DavisDataset;
import dev.cycletrack.core.datasets.DavisSequence;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.metrics.BadjaPck;
import dev.cycletrack.core.metrics.BadjaPckDataset;
import dev.cycletrack.core.metrics.DavisEvaluation;
import dev.cycletrack.core.metrics.DavisObjectScore;
import dev.cycletrack.core.metrics.DavisSequenceScore;
import dev.cycletrack.core.metrics.DavisSequenceScorer;
import dev.cycletrack.core.metrics.JhmdbPck;
import dev.cycletrack.core.metrics.PckThreshold;
import dev.cycletrack.core.tracking.VideoTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a tracker over the sequences of a dataset and scores it: DAVIS J/F (object-weighted mean),
 * BADJA PCK (sqrt-area threshold, inclusive, pooled per sequence, mean over sequences), J-HMDB PCK
 * (CRW convention, pooled over clips). Frames are read one at a time, so memory stays bounded by the
 * propagation context.
 */
public final class Evaluator {

    /** Called once per processed frame (progress reporting). */
    public interface Listener {
        void sequenceStarted(String name, int frames);

        void frameDone();
    }

    private final TrackerFactory trackers;
    private final Path overlays;
    private final Listener listener;
    private long frames;
    private long encodeNanos;
    private long propagateNanos;
    private long decodeNanos;

    private Map<String, Map<String, Double>> results = Map.of();

    void keep(Map<String, Map<String, Double>> perSequence) {
        this.results = perSequence;
    }

    /** The per-sequence scores of the last pass. */
    public Map<String, Map<String, Double>> results() {
        return results;
    }

    /** Mean milliseconds per tracked frame for encode, propagate and decode (encoder methods only). */
    public Map<String, Double> stageMillis() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (frames > 0 && encodeNanos + propagateNanos + decodeNanos > 0) {
            m.put("encode_ms", encodeNanos / 1e6 / frames);
            m.put("propagate_ms", propagateNanos / 1e6 / frames);
            m.put("decode_ms", decodeNanos / 1e6 / frames);
        }
        return m;
    }

    private void timed(VideoTracker<?> tracker) {
        frames++;
        encodeNanos += tracker.lastTimes().encodeNanos();
        propagateNanos += tracker.lastTimes().propagateNanos();
        decodeNanos += tracker.lastTimes().decodeNanos();
    }

    public Evaluator(TrackerFactory trackers, Path overlays, Listener listener) {
        this.trackers = trackers;
        this.overlays = overlays;
        this.listener = listener;
    }

    public Map<String, Map<String, Double>> davis(DavisDataset dataset, List<String> names, Map<String, Double> mean)
            throws IOException {
        DavisEvaluation all = new DavisEvaluation();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String name : names) {
            DavisSequence seq = dataset.sequence(name);
            int frames = seq.frameCount();
            listener.sequenceStarted(name, frames);
            RgbImage frame0 = seq.readFrame(0);
            IdMap gt0 = seq.readAnnotation(0);
            DavisSequenceScorer scorer = new DavisSequenceScorer(name, frame0.width(), frame0.height());
            try (VideoTracker<IdMap> tracker = trackers.masks();
                    OverlayWriter overlay = overlay(name, frame0, 24)) {
                IdMap pred = tracker.start(frame0, gt0);
                scorer.addFrame(gt0.ids(), pred.ids());
                if (overlay != null) {
                    overlay.writeMask(frame0, pred);
                }
                listener.frameDone();
                for (int t = 1; t < frames; t++) {
                    RgbImage frame = seq.readFrame(t);
                    pred = tracker.next(frame);
                    timed(tracker);
                    scorer.addFrame(seq.readAnnotation(t).ids(), pred.ids());
                    if (overlay != null) {
                        overlay.writeMask(frame, pred);
                    }
                    listener.frameDone();
                }
            }
            DavisSequenceScore score = scorer.finish();
            all.add(score);
            double j = 0;
            double f = 0;
            for (DavisObjectScore o : score.objects()) {
                j += o.jStats().mean();
                f += o.fStats().mean();
            }
            j = 100 * j / score.objects().size();
            f = 100 * f / score.objects().size();
            out.put(
                    name,
                    EvalReport.scores(
                            "J",
                            j,
                            "F",
                            f,
                            "JF",
                            (j + f) / 2,
                            "objects",
                            score.objects().size()));
        }
        mean.put("J", 100 * all.jMean());
        mean.put("F", 100 * all.fMean());
        mean.put("JF", 100 * all.jfMean());
        return out;
    }

    public Map<String, Map<String, Double>> badja(BadjaDataset dataset, List<String> names, Map<String, Double> mean)
            throws IOException {
        BadjaPckDataset all = new BadjaPckDataset();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String name : names) {
            BadjaSequence seq = dataset.sequence(name);
            Map<Integer, BadjaFrame> annotated = new HashMap<>();
            for (BadjaFrame f : seq.annotated()) {
                annotated.put(f.index(), f);
            }
            List<Path> frames = seq.propagationFrames();
            listener.sequenceStarted(name, frames.size());
            BadjaPck pck = new BadjaPck(PckThreshold.INCLUSIVE);
            RgbImage frame0 = Images.readRgb(frames.get(0));
            try (VideoTracker<List<Keypoint>> tracker = trackers.keypoints();
                    OverlayWriter overlay = overlay(name, frame0, 24)) {
                List<Keypoint> pred = tracker.start(frame0, seq.seed().joints());
                if (overlay != null) {
                    overlay.writeKeypoints(frame0, pred, seq.seed().joints());
                }
                listener.frameDone();
                for (int i = 1; i < frames.size(); i++) {
                    RgbImage frame = Images.readRgb(frames.get(i));
                    pred = tracker.next(frame);
                    timed(tracker);
                    BadjaFrame gt = annotated.get(seq.seedIndex() + i);
                    if (gt != null) {
                        pck.addFrame(
                                gt.joints().toArray(Keypoint[]::new), pred.toArray(Keypoint[]::new), gt.maskArea());
                    }
                    if (overlay != null) {
                        overlay.writeKeypoints(frame, pred, gt == null ? null : gt.joints());
                    }
                    listener.frameDone();
                }
            }
            all.add(name, pck);
            out.put(
                    name,
                    EvalReport.scores(
                            "pck@0.1",
                            100 * pck.pooled(0.1),
                            "pck@0.2",
                            100 * pck.pooled(0.2),
                            "scored",
                            pck.scored()));
        }
        mean.put("pck@0.1", 100 * all.mean(0.1));
        mean.put("pck@0.2", 100 * all.mean(0.2));
        return out;
    }

    public Map<String, Map<String, Double>> jhmdb(List<Path> clips, Map<String, Double> mean) throws IOException {
        JhmdbPck all = new JhmdbPck();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Path dir : clips) {
            JhmdbClip clip = JhmdbClip.open(dir);
            listener.sequenceStarted(clip.name(), clip.frameCount());
            List<Keypoint[]> gt = new ArrayList<>();
            List<Keypoint[]> pred = new ArrayList<>();
            try (FrameStream frames = clip.frames();
                    VideoTracker<List<Keypoint>> tracker = trackers.keypoints()) {
                OverlayWriter overlay = null;
                try {
                    for (int t = 0; frames.hasNext(); t++) {
                        RgbImage frame = frames.next();
                        if (t == 0) {
                            overlay = overlay(clip.name(), frame, 30);
                        }
                        List<Keypoint> p = t == 0 ? tracker.start(frame, clip.joints(0)) : tracker.next(frame);
                        if (t > 0) {
                            timed(tracker);
                        }
                        gt.add(clip.joints(t).toArray(Keypoint[]::new));
                        pred.add(p.toArray(Keypoint[]::new));
                        if (overlay != null) {
                            overlay.writeKeypoints(frame, p, clip.joints(t));
                        }
                        listener.frameDone();
                    }
                } finally {
                    if (overlay != null) {
                        overlay.close();
                    }
                }
            }
            JhmdbPck one = new JhmdbPck();
            one.addVideo(gt, pred);
            all.addVideo(gt, pred);
            out.put(clip.name(), EvalReport.scores("pck@0.1", one.mean(0.1), "pck@0.2", one.mean(0.2)));
        }
        mean.put("pck@0.1", all.mean(0.1));
        mean.put("pck@0.2", all.mean(0.2));
        return out;
    }

    private OverlayWriter overlay(String name, RgbImage first, double fps) throws IOException {
        if (overlays == null) {
            return null;
        }
        return new OverlayWriter(overlays.resolve(name + ".mp4"), first.width(), first.height(), fps);
    }
}
