package io.quotecast.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The textbook ticker's endpoint, as the Jakarta EE tutorial's {@code dukeetf2} writes one: a set of
 * sessions per symbol, filled on open and emptied on close. Subscribes in the URL only
 * ({@code ?symbols=A,B}), which is all the benchmark needs.
 */
@ServerEndpoint("/quotes")
public class TextbookEndpoint {

    static final Map<String, Set<Session>> SUBSCRIBERS = new ConcurrentHashMap<>();

    @OnOpen
    public void open(Session session) {
        List<String> symbols = session.getRequestParameterMap().getOrDefault("symbols", List.of());
        for (String value : symbols) {
            for (String symbol : value.split(",")) {
                SUBSCRIBERS.computeIfAbsent(symbol.strip().toUpperCase(), s -> new CopyOnWriteArraySet<>()).add(session);
            }
        }
    }

    @OnClose
    public void close(Session session) {
        SUBSCRIBERS.values().forEach(sessions -> sessions.remove(session));
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // a client went away: nothing to do, onClose follows
    }
}
