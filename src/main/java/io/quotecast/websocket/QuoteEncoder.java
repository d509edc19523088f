package io.quotecast.websocket;

import io.quotecast.market.Quote;
import io.quotecast.stream.QuoteFormat;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.websocket.Encoder;

import java.io.StringWriter;
import java.util.Map;

/**
 * Encodes a {@link Quote} as a {@code quote} frame. The fan-out calls it once per tick and hands
 * the same text to every subscriber; snapshots are encoded per subscribe, which is rare.
 */
public final class QuoteEncoder implements Encoder.Text<Quote>, QuoteFormat {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    @Override
    public String encode(Quote quote) {
        return live(quote);
    }

    @Override
    public String live(Quote quote) {
        return write(quote, false, false, false);
    }

    @Override
    public String snapshot(Quote quote, boolean gap, boolean stale) {
        return write(quote, true, gap, stale);
    }

    private static String write(Quote quote, boolean snapshot, boolean gap, boolean stale) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject()
                    .write("type", "quote")
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
                    .write("ts", quote.timestamp());
            if (snapshot) {
                json.write("snapshot", true);
            }
            if (gap) {
                json.write("gap", true);
            }
            if (stale) {
                json.write("stale", true);
            }
            json.writeEnd();
        }
        return out.toString();
    }
}
