package dev.cycletrack.core.cli;

/**
 * Contributes a subcommand to the {@code cycletrack} launcher. Modules list their providers in
 * {@code META-INF/services/dev.cycletrack.core.cli.CommandProvider}; the launcher finds every module's
 * commands on its class path, so the CLI layer itself holds no logic.
 */
public interface CommandProvider {

    /** A picocli-annotated command object. */
    Object command();

    /** The parent command's name ({@code "bench"}), or null for a top-level command. */
    default String parent() {
        return null;
    }
}
