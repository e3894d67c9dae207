package dev.cycletrack.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests read from docker/*.Dockerfile: build args, the runtime stage's instructions. */
final class Dockerfiles {

    private Dockerfiles() {}

    static Path tracker() {
        return DeploymentFiles.dockerDir().resolve("tracker.Dockerfile");
    }

    static Path trainer() {
        return DeploymentFiles.dockerDir().resolve("trainer.Dockerfile");
    }

    /** The logical lines (continuations joined), comments dropped. */
    static List<String> instructions(Path dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : DeploymentFiles.read(dockerfile).split("\n")) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            if (!cur.toString().isBlank()) {
                out.add(cur.toString().strip());
            }
            cur.setLength(0);
        }
        return out;
    }

    /** The instructions after the last FROM: the image that ships. */
    static List<String> runtimeStage(Path dockerfile) {
        List<String> all = instructions(dockerfile);
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("FROM ")) {
                last = i;
            }
        }
        return all.subList(last, all.size());
    }

    /** The default of {@code ARG name=...}. */
    static String arg(Path dockerfile, String name) {
        Pattern p = Pattern.compile("ARG " + Pattern.quote(name) + "=(\\S+)");
        for (String line : instructions(dockerfile)) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError(dockerfile + " has no ARG " + name + "=...");
    }

    static List<String> jlinkModules(Path dockerfile) {
        return List.of(arg(dockerfile, "JLINK_MODULES").split(","));
    }
}
