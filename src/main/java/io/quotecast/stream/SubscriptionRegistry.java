package io.quotecast.stream;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Who listens to what: the open connections, and for each symbol (by catalog index) the subscribers
 * to it. Reads, one per tick, vastly outnumber writes, one per (un)subscribe: copy-on-write lists
 * make the fan-out loop a plain array walk.
 */
public final class SubscriptionRegistry {

    private final Set<Subscriber> connections = ConcurrentHashMap.newKeySet();
    private final List<CopyOnWriteArrayList<Subscriber>> bySymbol;

    public SubscriptionRegistry(int symbolCount) {
        this.bySymbol = Stream.generate(CopyOnWriteArrayList<Subscriber>::new)
                .limit(symbolCount)
                .toList();
    }

    void connect(Subscriber subscriber) {
        connections.add(subscriber);
    }

    /** Adds the subscriber to a symbol; false if it was there already. */
    boolean add(int symbolIndex, Subscriber subscriber) {
        return bySymbol.get(symbolIndex).addIfAbsent(subscriber);
    }

    boolean remove(int symbolIndex, Subscriber subscriber) {
        return bySymbol.get(symbolIndex).remove(subscriber);
    }

    boolean isConnected(Subscriber subscriber) {
        return connections.contains(subscriber);
    }

    /**
     * Forgets a connection and all it subscribed to. The connection is forgotten first: a subscribe
     * racing this checks for it after adding its symbols ({@link QuoteHub#subscribe}), so that
     * whichever runs last removes them.
     */
    void disconnect(Subscriber subscriber) {
        connections.remove(subscriber);
        for (int symbol : subscriber.subscribedSymbols()) {
            bySymbol.get(symbol).remove(subscriber);
        }
    }

    List<Subscriber> subscribers(int symbolIndex) {
        return bySymbol.get(symbolIndex);
    }

    /** The open connections, live (no copy): for sweeps that tolerate concurrent change. */
    Iterable<Subscriber> openConnections() {
        return connections;
    }

    public Set<Subscriber> connections() {
        return Set.copyOf(connections);
    }

    public int connectionCount() {
        return connections.size();
    }

    /** How many connections are subscribed to a symbol. */
    public int subscriberCount(int symbolIndex) {
        return bySymbol.get(symbolIndex).size();
    }
}
