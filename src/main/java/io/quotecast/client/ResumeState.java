package io.quotecast.client;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the stream stands, to resume it: the epoch of the feed run the client last saw, and the last
 * {@code seq} it delivered of each symbol. A tick is new only if its {@code seq} is above that; on a
 * new epoch the numbers start over.
 */
final class ResumeState {

    private String epoch;
    private final Map<String, Long> lastSeq = new HashMap<>();

    /** The epoch of the last hello; null before the first. */
    String epoch() {
        return epoch;
    }

    /** The last delivered {@code seq} of {@code symbol}, 0 if none. */
    long lastSeen(String symbol) {
        return lastSeq.getOrDefault(symbol, 0L);
    }

    /** What a resuming subscribe sends as {@code since}: the symbols of {@code symbols} with a delivered tick. */
    Map<String, Long> since(Collection<String> symbols) {
        Map<String, Long> since = new LinkedHashMap<>();
        for (String symbol : symbols) {
            Long seq = lastSeq.get(symbol);
            if (seq != null) {
                since.put(symbol, seq);
            }
        }
        return since;
    }

    /** The {@code since} of a subscribe to every symbol: each symbol with a delivered tick. */
    Map<String, Long> sinceAll() {
        return new LinkedHashMap<>(lastSeq);
    }

    /**
     * Takes the epoch of a hello; when it is another run's, forgets every {@code seq} and returns what they
     * were (for telling the application where its stream broke); otherwise returns an empty map.
     */
    Map<String, Long> enter(String helloEpoch) {
        if (epoch == null || epoch.equals(helloEpoch)) {
            epoch = helloEpoch;
            return Map.of();
        }
        Map<String, Long> lost = Map.copyOf(lastSeq);
        lastSeq.clear();
        epoch = helloEpoch;
        return lost;
    }

    /** Whether a tick is new; if so it becomes the symbol's last seen. */
    boolean accept(String symbol, long seq) {
        Long last = lastSeq.get(symbol);
        if (last != null && seq <= last) {
            return false;
        }
        lastSeq.put(symbol, seq);
        return true;
    }

    void forget(Collection<String> symbols) {
        symbols.forEach(lastSeq::remove);
    }
}
