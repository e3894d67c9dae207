package dev.cycletrack.core.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./cycletrack} launcher: a thin dispatcher to the subcommands the modules provide. */
@Command(
        name = "cycletrack",
        mixinStandardHelpOptions = true,
        versionProvider = Cycletrack.Version.class,
        description = "Real-time video tracking with self-supervised correspondence features and label propagation.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Cycletrack implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Groups commands such as {@code bench propagate} and {@code bench stream}. */
    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = "Benchmarks; figures go to docs/benchmarks.md.")
    static final class Bench implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Cycletrack());
        CommandLine bench = new CommandLine(new Bench());
        List<CommandProvider> nested = new ArrayList<>();
        for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
            if (p.parent() == null) {
                root.addSubcommand(p.command());
            } else {
                nested.add(p);
            }
        }
        for (CommandProvider p : nested) {
            if (!"bench".equals(p.parent())) {
                throw new IllegalStateException("unknown parent command '" + p.parent() + "' for " + p.command());
            }
            bench.addSubcommand(p.command());
        }
        root.addSubcommand(bench);
        root.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get the message that names the file or record; the stack only with -Dcycletrack.debug.
            PrintWriter err = cmd.getErr();
            err.println("cycletrack " + cmd.getCommandName() + ": " + describe(e));
            if (Boolean.getBoolean("cycletrack.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        });
        return root;
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cycletrack.class.getPackage().getImplementationVersion();
            return new String[] {"cycletrack " + (v == null ? "dev" : v)};
        }
    }
}
