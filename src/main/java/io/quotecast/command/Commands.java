package io.quotecast.command;

import io.quotecast.security.MintToken;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar quotecast-standalone.jar [COMMAND ARGS...]}: with no command (or only options) the jar
 * starts the server, as it always did; a command runs instead.
 */
public final class Commands {

    static final String USAGE = """
            usage: java -jar quotecast-standalone.jar                      start the server
                   java -jar quotecast-standalone.jar tail [--json] [--token TOKEN] URL SYMBOL...
                   java -jar quotecast-standalone.jar mint-token --sub USER [--symbols ACME,GLOBX|*] [--ttl SECONDS]""";

    private Commands() {
    }

    /**
     * Runs the command {@code args} name, if they name one, and returns true; false when they name none
     * (the server is to start). An unknown command prints the usage and exits with 2.
     */
    public static boolean run(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            return false;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "tail" -> System.exit(Tail.run(rest, System.getenv(Tail.TOKEN_VARIABLE), System.out, System.err));
            case "mint-token" -> MintToken.main(rest);
            default -> usage(System.err, "unknown command " + args[0]);
        }
        return true;
    }

    static void usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(USAGE);
        System.exit(2);
    }
}
