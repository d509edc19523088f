package io.quotecast.client;

import io.quotecast.market.Bar;
import io.quotecast.market.Quote;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The client's side of the protocol's JSON (webapp/asyncapi.json): the five requests it writes, and the
 * server frames it reads into typed values. A frame of a type this client does not know reads as
 * {@link Incoming.Ignored}, so that a newer server's additions do not break it.
 */
final class Frames {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private Frames() {
    }

    /** A server frame, read. */
    sealed interface Incoming {
        record Greeting(Hello hello) implements Incoming {
        }

        record QuoteFrame(Tick tick) implements Incoming {
        }

        record BarsReply(Bars bars) implements Incoming {
        }

        record ErrorReply(ServerError error) implements Incoming {
        }

        record Authenticated(long expires) implements Incoming {
        }

        /** subscribed, unsubscribed, symbols, and what this client does not know. */
        record Ignored(String type) implements Incoming {
        }
    }

    static String subscribe(Collection<String> symbols, Map<String, Long> since, String epoch) {
        return write(json -> {
            json.write("action", "subscribe");
            writeSymbols(json, symbols);
            if (!since.isEmpty()) {
                json.writeStartObject("since");
                since.forEach(json::write);
                json.writeEnd();
                if (epoch != null) {
                    json.write("epoch", epoch);
                }
            }
        });
    }

    static String unsubscribe(Collection<String> symbols) {
        return write(json -> writeSymbols(json.write("action", "unsubscribe"), symbols));
    }

    static String history(String symbol, String interval, int limit) {
        return write(json -> json.write("action", "history").write("symbol", symbol).write("interval", interval)
                .write("limit", limit));
    }

    static String auth(String token) {
        return write(json -> json.write("action", "auth").write("token", token));
    }

    /** The frame as a typed value; throws on a frame that is not the protocol's JSON. */
    static Incoming read(String text) {
        JsonObject frame;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            frame = reader.readObject();
        }
        String type = frame.getString("type", "");
        return switch (type) {
            case "quote" -> new Incoming.QuoteFrame(new Tick(quote(frame), frame.getBoolean("snapshot", false),
                    frame.getBoolean("gap", false), frame.getBoolean("stale", false), text));
            case "hello" -> new Incoming.Greeting(new Hello(frame.getString("protocol"), frame.getString("server"),
                    frame.getInt("symbols"), frame.getString("epoch"), frame.isNull("user") ? null : frame.getString("user")));
            case "bars" -> new Incoming.BarsReply(new Bars(frame.getString("symbol"), frame.getString("interval"),
                    bars(frame.getJsonArray("bars"))));
            case "error" -> new Incoming.ErrorReply(new ServerError(frame.getString("code"), frame.getString("message"),
                    frame.getString("action", null)));
            case "authenticated" -> new Incoming.Authenticated(frame.getJsonNumber("expires").longValue());
            default -> new Incoming.Ignored(type);
        };
    }

    private static Quote quote(JsonObject frame) {
        return new Quote(frame.getString("symbol"), decimal(frame, "price"), decimal(frame, "bid"), decimal(frame, "ask"),
                decimal(frame, "open"), decimal(frame, "high"), decimal(frame, "low"), decimal(frame, "prevClose"),
                decimal(frame, "change"), decimal(frame, "changePercent"), frame.getJsonNumber("volume").longValue(),
                frame.getJsonNumber("seq").longValue(), frame.getJsonNumber("ts").longValue());
    }

    private static List<Bar> bars(JsonArray array) {
        List<Bar> bars = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            JsonObject bar = value.asJsonObject();
            bars.add(new Bar(bar.getJsonNumber("t").longValue(), decimal(bar, "o"), decimal(bar, "h"), decimal(bar, "l"),
                    decimal(bar, "c"), bar.getJsonNumber("v").longValue()));
        }
        return bars;
    }

    private static BigDecimal decimal(JsonObject object, String name) {
        return object.getJsonNumber(name).bigDecimalValue();
    }

    private static void writeSymbols(JsonGenerator json, Collection<String> symbols) {
        json.writeStartArray("symbols");
        symbols.forEach(json::write);
        json.writeEnd();
    }

    private static String write(java.util.function.Consumer<JsonGenerator> fields) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject();
            fields.accept(json);
            json.writeEnd();
        }
        return out.toString();
    }
}
