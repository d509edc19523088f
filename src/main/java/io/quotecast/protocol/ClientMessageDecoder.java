package io.quotecast.protocol;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import io.quotecast.market.BarInterval;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a client's text message into a {@link ClientMessage}. It never throws: a message that is
 * not a valid request becomes {@link ClientMessage.Invalid}, whose message names what is wrong, so
 * the endpoint can answer with an {@code error} and keep the connection open. The size limit is
 * checked before, as the frames arrive (the transport's business: {@code websocket.ClientFrames}).
 */
public final class ClientMessageDecoder {

    static final int MAX_HISTORY_LIMIT = 1000;
    static final int DEFAULT_HISTORY_LIMIT = 300;

    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    /** The request {@code text} holds, or {@link ClientMessage.Invalid} naming what is wrong with it. */
    public ClientMessage decode(String text) {
        JsonValue value;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (JsonParsingException e) {
            return invalid("not valid JSON: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return invalid("not valid JSON", null);
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return invalid("a message must be a JSON object, not " + describe(value), null);
        }
        JsonObject message = value.asJsonObject();
        JsonValue action = message.get("action");
        if (action == null) {
            return invalid("missing field 'action'", null);
        }
        if (action.getValueType() != JsonValue.ValueType.STRING) {
            return invalid("field 'action' must be a string, not " + describe(action), null);
        }
        String name = ((JsonString) action).getString();
        try {
            return switch (name) {
                case "subscribe" -> new ClientMessage.Subscribe(symbols(message), maxRate(message), since(message),
                        epoch(message));
                case "unsubscribe" -> new ClientMessage.Unsubscribe(symbols(message));
                case "list" -> new ClientMessage.ListSymbols();
                case "history" -> history(message);
                case "auth" -> new ClientMessage.Auth(token(message));
                default -> new ClientMessage.Invalid(ErrorCode.UNKNOWN_ACTION,
                        "unknown action '" + name + "'; expected subscribe, unsubscribe, list, history or auth", name);
            };
        } catch (BadField e) {
            return invalid(e.getMessage(), name);
        }
    }

    private static ClientMessage.Invalid invalid(String message, String action) {
        return new ClientMessage.Invalid(ErrorCode.BAD_REQUEST, message, action);
    }

    private static List<String> symbols(JsonObject message) {
        JsonValue value = message.get("symbols");
        if (value == null) {
            throw new BadField("missing field 'symbols' (an array of symbols, or [\"*\"])");
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new BadField("field 'symbols' must be an array of strings, not " + describe(value));
        }
        JsonArray array = value.asJsonArray();
        if (array.isEmpty()) {
            throw new BadField("field 'symbols' must not be empty");
        }
        List<String> symbols = new ArrayList<>(array.size());
        for (JsonValue element : array) {
            if (element.getValueType() != JsonValue.ValueType.STRING) {
                throw new BadField("field 'symbols' must hold only strings, found " + describe(element));
            }
            symbols.add(((JsonString) element).getString().strip());
        }
        return Collections.unmodifiableList(symbols);
    }

    private static String token(JsonObject message) {
        JsonValue value = message.get("token");
        if (value == null || value.getValueType() != JsonValue.ValueType.STRING || ((JsonString) value).getString().isBlank()) {
            throw new BadField(value == null ? "missing field 'token'" : "field 'token' must be a non-empty string");
        }
        return ((JsonString) value).getString().strip();
    }

    private static Double maxRate(JsonObject message) {
        JsonValue value = message.get("maxRate");
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.NUMBER || ((JsonNumber) value).doubleValue() <= 0) {
            throw new BadField("field 'maxRate' must be a number > 0 (quotes per second per symbol), not " + value);
        }
        return ((JsonNumber) value).doubleValue();
    }

    private static Map<String, Long> since(JsonObject message) {
        JsonValue value = message.get("since");
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadField("field 'since' must be an object of symbol to last seq, not " + describe(value));
        }
        Map<String, Long> since = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : value.asJsonObject().entrySet()) {
            JsonValue seq = entry.getValue();
            if (!isIntegerIn(seq, 0, Long.MAX_VALUE)) {
                throw new BadField("field 'since." + entry.getKey() + "' must be a non-negative integer seq, not " + seq);
            }
            since.put(entry.getKey(), ((JsonNumber) seq).longValueExact());
        }
        return Collections.unmodifiableMap(since);
    }

    private static String epoch(JsonObject message) {
        JsonValue value = message.get("epoch");
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new BadField("field 'epoch' must be a string (as hello sent it), not " + describe(value));
        }
        return ((JsonString) value).getString();
    }

    private static ClientMessage history(JsonObject message) {
        JsonValue symbol = message.get("symbol");
        if (symbol == null || symbol.getValueType() != JsonValue.ValueType.STRING) {
            throw new BadField(symbol == null ? "missing field 'symbol'"
                    : "field 'symbol' must be a string, not " + describe(symbol));
        }
        JsonValue interval = message.get("interval");
        if (interval == null || interval.getValueType() != JsonValue.ValueType.STRING
                || BarInterval.fromWireName(((JsonString) interval).getString()).isEmpty()) {
            throw new BadField("field 'interval' must be \"1s\" or \"1m\", not " + (interval == null ? "missing" : interval));
        }
        int limit = DEFAULT_HISTORY_LIMIT;
        JsonValue limitValue = message.get("limit");
        if (limitValue != null) {
            if (!isIntegerIn(limitValue, 1, MAX_HISTORY_LIMIT)) {
                throw new BadField("field 'limit' must be an integer from 1 to " + MAX_HISTORY_LIMIT + ", not " + limitValue);
            }
            limit = ((JsonNumber) limitValue).intValueExact();
        }
        return new ClientMessage.History(((JsonString) symbol).getString().strip(),
                ((JsonString) interval).getString(), limit);
    }

    /** A JSON number with no fraction within {@code min..max}; never overflows, however long the digits. */
    private static boolean isIntegerIn(JsonValue value, long min, long max) {
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            return false;
        }
        BigDecimal number = ((JsonNumber) value).bigDecimalValue();
        return number.compareTo(BigDecimal.valueOf(min)) >= 0 && number.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    private static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    /** A field that is missing or of the wrong type; its message names the field. */
    private static final class BadField extends RuntimeException {
        BadField(String message) {
            super(message, null, false, false);
        }
    }
}
