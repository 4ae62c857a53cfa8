package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line: serve, run a flow file locally, manage flows and keys of a running server. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "Weft 0.1.0",
        description = "Run AI and automation flows through a Scade-compatible HTTP API.",
        subcommands = {ServeCommand.class, RunCommand.class, FlowsCommand.class, KeysCommand.class})
public final class Weft implements Runnable {

    static {
        CommonPool.atLeastTwoThreads();   // before anything makes a CompletableFuture
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Weft()).execute(args);
        if (code != 0 || args.length == 0 || !"serve".equals(args[0])) System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** An environment variable, or {@code fallback} when unset or blank. */
    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
