package io.quotecast.client;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Transport} of the Jakarta WebSocket client API: whichever implementation is on the class path
 * (Tyrus's client, which quotecast-client.jar declares, when nothing else is). It offers the
 * {@code quotecast.v1} subprotocol and presents the token as {@code Authorization: Bearer}. Each handshake
 * runs on a thread of its own: {@code connectToServer} blocks, and the client's thread must not.
 */
final class JakartaTransport implements Transport {

    static final String SUBPROTOCOL = "quotecast.v1";

    private final WebSocketContainer container = ContainerProvider.getWebSocketContainer();

    @Override
    public void open(URI uri, String token, Events events) {
        Events once = new Once(events);
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of(SUBPROTOCOL))
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        if (token != null) {
                            headers.put("Authorization", List.of("Bearer " + token));
                        }
                    }
                })
                .build();
        Thread handshake = new Thread(() -> {
            try {
                container.connectToServer(new Adapter(once), config, uri);
            } catch (DeploymentException | IOException | RuntimeException e) {
                once.ended(Disconnect.failed(HandshakeStatus.of(e), String.valueOf(e.getMessage())));
            }
        }, "quotecast-client-connect");
        handshake.setDaemon(true);
        handshake.start();
    }

    /** The Jakarta life cycle, told to the client's {@link Events}. */
    private static final class Adapter extends Endpoint {

        private final Events events;

        Adapter(Events events) {
            this.events = events;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) events::text);
            events.opened(new Connection() {
                @Override
                public void send(String text) {
                    try {
                        session.getBasicRemote().sendText(text);
                    } catch (IOException | RuntimeException broken) {
                        // the connection is going: its close reaches onClose, which reconnects
                    }
                }

                @Override
                public void close() {
                    try {
                        session.close();
                    } catch (IOException alreadyClosed) {
                        events.ended(Disconnect.closed(Disconnect.NORMAL, "closed"));
                    }
                }
            });
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            events.ended(Disconnect.closed(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
        }

        @Override
        public void onError(Session session, Throwable error) {
            events.ended(Disconnect.failed(0, String.valueOf(error.getMessage())));
        }
    }

    /** Reports {@code ended} once, whichever of close, error and a failed handshake comes first. */
    private static final class Once implements Events {

        private final Events events;
        private final AtomicBoolean ended = new AtomicBoolean();

        Once(Events events) {
            this.events = events;
        }

        @Override
        public void opened(Connection connection) {
            events.opened(connection);
        }

        @Override
        public void text(String frame) {
            events.text(frame);
        }

        @Override
        public void ended(Disconnect why) {
            if (ended.compareAndSet(false, true)) {
                events.ended(why);
            }
        }
    }
}
