package dev.cycletrack.stream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.MaskImage;
import dev.cycletrack.schemas.v1.PropagationOverrides;
import dev.cycletrack.schemas.v1.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * First-frame labels for {@code ingest --labels}: a JSON file
 *
 * <pre>
 * {"task": "keypoints", "preset": "pose", "input_size": "square:320",
 *  "keypoints": [{"id": 0, "name": "neck", "x": 120.5, "y": 40, "visible": true}, ...]}
 * {"task": "mask", "preset": "vos", "mask": "first-mask.png"}      (8-bit id PNG, path relative to the file)
 * </pre>
 *
 * or a J-HMDB {@code joint_positions.mat} (its frame 0 joints, pose preset).
 */
final class LabelsFile {

    private LabelsFile() {}

    static LabelInit read(Path file, String stream, long seq, int width, int height) throws IOException {
        LabelInit.Builder b = LabelInit.newBuilder()
                .setStreamId(stream)
                .setSeq(seq)
                .setWidth(width)
                .setHeight(height)
                .setCreatedTimeUs(System.currentTimeMillis() * 1000);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mat")) {
            List<Keypoint> joints = JhmdbClip.readJoints(file).get(0);
            b.setTask(Task.KEYPOINTS).setPreset("pose");
            addKeypoints(b, joints, JhmdbClip.JOINT_NAMES);
            return b.build();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read labels file " + file + ": " + e.getMessage(), e);
        }
        String task = root.path("task").asText("keypoints").toLowerCase(Locale.ROOT);
        b.setPreset(root.path("preset").asText(""));
        if (root.hasNonNull("input_size")) {
            b.setOverrides(PropagationOverrides.newBuilder()
                    .setInputSize(root.get("input_size").asText()));
        }
        switch (task) {
            case "keypoints" -> {
                b.setTask(Task.KEYPOINTS);
                JsonNode kps = root.path("keypoints");
                if (!kps.isArray() || kps.isEmpty()) {
                    throw new IOException("labels file " + file + ": 'keypoints' must be a non-empty array");
                }
                int i = 0;
                for (JsonNode k : kps) {
                    if (!k.has("x") || !k.has("y")) {
                        throw new IOException("labels file " + file + ": keypoint " + i + " needs x and y");
                    }
                    b.addKeypoints(InitKeypoint.newBuilder()
                            .setId(k.path("id").asInt(i))
                            .setName(k.path("name").asText(""))
                            .setX(k.get("x").asDouble())
                            .setY(k.get("y").asDouble())
                            .setVisible(k.path("visible").asBoolean(true)));
                    i++;
                }
            }
            case "mask" -> {
                b.setTask(Task.MASK);
                String mask = root.path("mask").asText("");
                if (mask.isEmpty()) {
                    throw new IOException("labels file " + file + ": a mask task needs \"mask\": \"file.png\"");
                }
                Path png = file.toAbsolutePath().getParent().resolve(mask);
                b.setMask(MaskImage.newBuilder()
                        .setWidth(width)
                        .setHeight(height)
                        .setPng(ByteString.copyFrom(Files.readAllBytes(png))));
            }
            default ->
                throw new IOException("labels file " + file + ": task '" + task + "' is not 'keypoints' or 'mask'");
        }
        return b.build();
    }

    static void addKeypoints(LabelInit.Builder b, List<Keypoint> joints, List<String> names) {
        for (int j = 0; j < joints.size(); j++) {
            Keypoint k = joints.get(j);
            b.addKeypoints(InitKeypoint.newBuilder()
                    .setId(j)
                    .setName(j < names.size() ? names.get(j) : "")
                    .setX(k.x())
                    .setY(k.y())
                    .setVisible(k.visible()));
        }
    }
}
