package dev.cycletrack.core.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code sha256sum}-compatible checksum file ({@code <64 hex digits>  <file name>} per line), so
 * {@code sha256sum -c checksums.sha256} run inside an artifact directory checks it too.
 */
final class Checksums {

    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *]([^/\\\\]+)");

    private Checksums() {}

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(newDigest().digest(data));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Writes the checksums of {@code names} (files in {@code dir}) to {@code dir/checksumFile}. */
    static void write(Path dir, String checksumFile, List<String> names) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(sha256(dir.resolve(name))).append("  ").append(name).append('\n');
        }
        Files.writeString(dir.resolve(checksumFile), out.toString(), StandardCharsets.UTF_8);
    }

    /** Reads file name to lower-case hex digest; refuses malformed or duplicate lines. */
    static Map<String, String> read(Path file) throws IOException, ModelArtifactException {
        Map<String, String> sums = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches() || m.group(2).equals(".") || m.group(2).equals("..")) {
                throw new ModelArtifactException(
                        file, "line " + (i + 1) + " is not '<sha256 hex>  <file name>': " + abbreviate(line));
            }
            if (sums.put(m.group(2), m.group(1).toLowerCase(Locale.ROOT)) != null) {
                throw new ModelArtifactException(file, "lists " + m.group(2) + " twice");
            }
        }
        return sums;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
