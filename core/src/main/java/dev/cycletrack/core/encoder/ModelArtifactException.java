package dev.cycletrack.core.encoder;

import java.nio.file.Path;

/** A model artifact was refused: the message names the file and what is wrong with it. */
public final class ModelArtifactException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ModelArtifactException(Path file, String problem) {
        this(file, problem, null);
    }

    public ModelArtifactException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or directory) at fault. */
    public Path file() {
        return file;
    }
}
