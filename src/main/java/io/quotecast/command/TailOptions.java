package io.quotecast.command;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code tail}: the stream's URL, the symbols, {@code --json} for the frames as received,
 * {@code --token} (else the environment's {@code QUOTECAST_TOKEN}).
 */
record TailOptions(URI stream, List<String> symbols, boolean json, String token) {

    /** The options, or an {@link IllegalArgumentException} saying what is wrong with {@code args}. */
    static TailOptions parse(String[] args, String environmentToken) {
        boolean json = false;
        String token = environmentToken == null || environmentToken.isBlank() ? null : environmentToken.strip();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--token" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--token needs a value");
                    }
                    token = args[++i];
                }
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (positional.size() < 2) {
            throw new IllegalArgumentException("tail needs a URL and at least one symbol");
        }
        URI stream = URI.create(positional.get(0));
        if (!"ws".equals(stream.getScheme()) && !"wss".equals(stream.getScheme())) {
            throw new IllegalArgumentException("the URL is the stream's, ws:// or wss://, e.g. ws://localhost:8080/quotes");
        }
        return new TailOptions(stream, List.copyOf(positional.subList(1, positional.size())), json, token);
    }
}
