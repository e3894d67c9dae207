package dev.cycletrack.stream.cli;

import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.ObjectArea;
import dev.cycletrack.schemas.v1.OutKeypoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** FrameLabels as a JSON-ready map (what {@code tail} prints, one per line). */
final class LabelsJson {

    private LabelsJson() {}

    static Map<String, Object> of(FrameLabels f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stream", f.getStreamId());
        m.put("seq", f.getSeq());
        m.put("status", f.getStatus().name().toLowerCase(java.util.Locale.ROOT));
        m.put("model_version", f.getModelVersion());
        m.put("capture_time_us", f.getCaptureTimeUs());
        m.put("emit_time_us", f.getEmitTimeUs());
        m.put("latency_ms", (f.getEmitTimeUs() - f.getCaptureTimeUs()) / 1000.0);
        if (f.getKeypointsCount() > 0) {
            List<Map<String, Object>> kps = new ArrayList<>();
            for (OutKeypoint k : f.getKeypointsList()) {
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("id", k.getId());
                km.put("x", k.getX());
                km.put("y", k.getY());
                km.put("confidence", k.getConfidence());
                km.put("visible", k.getVisible());
                kps.add(km);
            }
            m.put("keypoints", kps);
        }
        if (f.hasMask()) {
            Map<String, Object> areas = new LinkedHashMap<>();
            for (ObjectArea a : f.getMask().getAreasList()) {
                areas.put(String.valueOf(a.getId()), a.getPixels());
            }
            m.put(
                    "mask",
                    Map.of(
                            "width",
                            f.getMask().getWidth(),
                            "height",
                            f.getMask().getHeight(),
                            "areas",
                            areas));
        }
        if (f.hasTimings()) {
            var t = f.getTimings();
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("decode_ms", t.getDecodeUs() / 1000.0);
            tm.put("encode_ms", t.getEncodeUs() / 1000.0);
            tm.put("propagate_ms", t.getPropagateUs() / 1000.0);
            tm.put("labels_ms", t.getLabelsUs() / 1000.0);
            tm.put("compute_ms", t.getComputeUs() / 1000.0);
            m.put("timings", tm);
        }
        return m;
    }
}
