package io.quotecast.cluster;

import io.quotecast.market.Quote;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

/**
 * A tick on the broker: a text message whose body is the quote as compact JSON (jakarta.json), with
 * the run and the symbol as message properties.
 *
 * <p>Why JSON text rather than a map or bytes: prices are exact decimals on a tick grid, and JSON
 * numbers carry them exactly (a MapMessage has no decimal type, a double would round); a tick is about
 * 250 bytes either way; and an operator can read the ticks with the broker's own tools. The properties
 * are what the broker itself looks at: {@code symbol} keys the last-value queue.
 */
final class TickMessage {

    // Factories made once: Json.createReader and friends look the JSON-P provider up with a ServiceLoader on
    // every call, a scan of the class path (of the webapp on a server) that cost a subscribing node 0.7 ms a tick.
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private TickMessage() {
    }

    /** One tick as the broker carries it: the run it belongs to, and the quote. */
    record Tick(String epoch, long runStarted, Quote quote) {
    }

    static TextMessage encode(Session session, Tick tick) throws JMSException {
        TextMessage message = session.createTextMessage(json(tick.quote()));
        message.setStringProperty(Broker.EPOCH, tick.epoch());
        message.setLongProperty(Broker.RUN_STARTED, tick.runStarted());
        message.setStringProperty(Broker.SYMBOL, tick.quote().symbol());
        return message;
    }

    static Tick decode(Message message) throws JMSException {
        if (!(message instanceof TextMessage text)) {
            throw new IllegalArgumentException("not a tick: " + message.getClass().getSimpleName());
        }
        JsonObject json;
        try (JsonReader reader = READERS.createReader(new StringReader(text.getText()))) {
            json = reader.readObject();
        }
        Quote quote = new Quote(
                json.getString("symbol"),
                json.getJsonNumber("price").bigDecimalValue(),
                json.getJsonNumber("bid").bigDecimalValue(),
                json.getJsonNumber("ask").bigDecimalValue(),
                json.getJsonNumber("open").bigDecimalValue(),
                json.getJsonNumber("high").bigDecimalValue(),
                json.getJsonNumber("low").bigDecimalValue(),
                json.getJsonNumber("prevClose").bigDecimalValue(),
                json.getJsonNumber("change").bigDecimalValue(),
                json.getJsonNumber("changePercent").bigDecimalValue(),
                json.getJsonNumber("volume").longValueExact(),
                json.getJsonNumber("seq").longValueExact(),
                json.getJsonNumber("ts").longValueExact());
        return new Tick(message.getStringProperty(Broker.EPOCH), message.getLongProperty(Broker.RUN_STARTED), quote);
    }

    private static String json(Quote quote) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject()
                    .write("symbol", quote.symbol())
                    .write("price", quote.price())
                    .write("bid", quote.bid())
                    .write("ask", quote.ask())
                    .write("open", quote.open())
                    .write("high", quote.high())
                    .write("low", quote.low())
                    .write("prevClose", quote.previousClose())
                    .write("change", quote.change())
                    .write("changePercent", quote.changePercent())
                    .write("volume", quote.volume())
                    .write("seq", quote.seq())
                    .write("ts", quote.timestamp())
                    .writeEnd();
        }
        return out.toString();
    }
}
