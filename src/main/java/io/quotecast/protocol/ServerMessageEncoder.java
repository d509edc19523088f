package io.quotecast.protocol;

import io.quotecast.market.Bar;
import io.quotecast.market.Symbol;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Encodes every server message but quotes (those are the stream's {@code QuoteFormat}, written by
 * {@code websocket.QuoteEncoder}) as the text of a JSON frame. Not a Jakarta {@code Encoder}: nothing
 * is sent with {@code sendObject}, replies are encoded before they reach the connection's outbox.
 */
public final class ServerMessageEncoder {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    public String encode(ServerMessage message) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject();
            if (message instanceof ServerMessage.Hello hello) {
                json.write("type", "hello")
                        .write("protocol", hello.protocol())
                        .write("server", hello.server())
                        .write("symbols", hello.symbols())
                        .write("epoch", hello.epoch());
                writeNullable(json, "user", hello.user());
            } else if (message instanceof ServerMessage.Authenticated authenticated) {
                json.write("type", "authenticated")
                        .write("user", authenticated.user())
                        .write("expires", authenticated.expires());
            } else if (message instanceof ServerMessage.Subscribed subscribed) {
                writeSymbols(json.write("type", "subscribed"), subscribed.symbols());
            } else if (message instanceof ServerMessage.Unsubscribed unsubscribed) {
                writeSymbols(json.write("type", "unsubscribed"), unsubscribed.symbols());
            } else if (message instanceof ServerMessage.SymbolList list) {
                json.write("type", "symbols").writeStartArray("symbols");
                for (Symbol symbol : list.symbols()) {
                    json.writeStartObject()
                            .write("symbol", symbol.ticker())
                            .write("name", symbol.name())
                            .write("currency", symbol.currency())
                            .writeEnd();
                }
                json.writeEnd();
            } else if (message instanceof ServerMessage.Bars bars) {
                json.write("type", "bars")
                        .write("symbol", bars.symbol())
                        .write("interval", bars.interval())
                        .writeStartArray("bars");
                for (Bar bar : bars.bars()) {
                    json.writeStartObject()
                            .write("t", bar.start())
                            .write("o", bar.open())
                            .write("h", bar.high())
                            .write("l", bar.low())
                            .write("c", bar.close())
                            .write("v", bar.volume())
                            .writeEnd();
                }
                json.writeEnd();
            } else if (message instanceof ServerMessage.Error error) {
                json.write("type", "error")
                        .write("code", error.code().wireName())
                        .write("message", error.message());
                if (error.action() != null) {
                    json.write("action", error.action());
                }
            } else {
                throw new IllegalArgumentException("no encoding for " + message);
            }
            json.writeEnd();
        }
        return out.toString();
    }

    private static void writeNullable(JsonGenerator json, String name, String value) {
        if (value == null) {
            json.writeNull(name);
        } else {
            json.write(name, value);
        }
    }

    private static void writeSymbols(JsonGenerator json, List<String> symbols) {
        json.writeStartArray("symbols");
        symbols.forEach(json::write);
        json.writeEnd();
    }
}
