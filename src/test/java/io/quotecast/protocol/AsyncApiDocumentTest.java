package io.quotecast.protocol;

import com.asyncapi.v3._0_0.model.AsyncAPI;
import com.asyncapi.v3._0_0.model.channel.Channel;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quotecast.market.Bar;
import io.quotecast.market.Quote;
import io.quotecast.market.Symbol;
import io.quotecast.testing.Contract;
import io.quotecast.websocket.QuoteEncoder;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AsyncAPI document ({@code webapp/asyncapi.json}) is a valid AsyncAPI 3.0 document that describes
 * exactly the messages the server's coders read and write. The official AsyncAPI 3.0.0 JSON Schema (from
 * the AsyncAPI project's {@code @asyncapi/specs}, in src/test/resources/asyncapi) judges the document;
 * the AsyncAPI project's Java model reads it; {@link Contract} checks frames against its schemas.
 */
class AsyncApiDocumentTest {

    private static final String DOCUMENT = read("webapp/asyncapi.json");
    private static final Contract CONTRACT = Contract.served();
    private static final ServerMessageEncoder REPLIES = new ServerMessageEncoder();
    private static final QuoteEncoder QUOTES = new QuoteEncoder();
    private static final Quote QUOTE = new Quote("ACME", new BigDecimal("123.45"), new BigDecimal("123.44"),
            new BigDecimal("123.46"), new BigDecimal("121.00"), new BigDecimal("124.10"), new BigDecimal("120.75"),
            new BigDecimal("120.90"), new BigDecimal("2.55"), new BigDecimal("2.109"), 1_843_200, 1207, 1_764_000_000_123L);

    @Test
    void theDocumentIsValidByTheOfficialAsyncApi300Schema() {
        var registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        var schema = registry.getSchema(SchemaLocation.of("classpath:asyncapi/asyncapi-3.0.0.schema.json"));
        var errors = schema.validate(DOCUMENT, InputFormat.JSON);
        assertTrue(errors.isEmpty(), "AsyncAPI 3.0.0 schema violations: " + errors);
    }

    @Test
    void theAsyncApiJavaModelReadsItAsA30DocumentWithTheQuotesChannel() throws IOException {
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        AsyncAPI document = strict.readValue(DOCUMENT, AsyncAPI.class);
        assertEquals("3.0.0", document.getAsyncapi());
        Channel quotes = assertInstanceOf(Channel.class, document.getChannels().get("quotes"));
        assertEquals(Protocol.PATH, quotes.getAddress());
        assertEquals(13, quotes.getMessages().size(), "five actions and eight types: " + quotes.getMessages().keySet());
        assertEquals(quotes.getMessages().keySet(), document.getComponents().getMessages().keySet());
    }

    @Test
    void everyReferenceInTheDocumentResolves() {
        JsonObject root = parse(DOCUMENT);
        List<String> refs = new ArrayList<>();
        collectRefs(root, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), "only references within the document: " + ref);
            JsonValue target = root;
            for (String step : ref.substring(2).split("/")) {
                assertTrue(target instanceof JsonObject object && object.containsKey(step), "unresolved: " + ref);
                target = target.asJsonObject().get(step);
            }
        }
    }

    @Test
    void theDocumentNamesTheSubprotocolAndTheHandshakeRules() {
        JsonObject ws = parse(DOCUMENT).getJsonObject("channels").getJsonObject("quotes").getJsonObject("bindings")
                .getJsonObject("ws");
        JsonObject headers = ws.getJsonObject("headers").getJsonObject("properties");
        assertEquals(Protocol.NAME, headers.getJsonObject("Sec-WebSocket-Protocol").getString("const"));
        assertTrue(headers.containsKey("Authorization") && headers.containsKey("Origin"), headers.toString());
        assertTrue(ws.getJsonObject("query").getJsonObject("properties").containsKey("access_token"));
    }

    @Test
    void everyMessageTypeAndActionIsDescribed() {
        assertEquals(Set.of("hello", "authenticated", "subscribed", "unsubscribed", "symbols", "quote", "bars", "error"),
                CONTRACT.serverTypes());
        assertEquals(Set.of("subscribe", "unsubscribe", "list", "history", "auth"), CONTRACT.clientActions());
    }

    @Test
    void theErrorCodesAreThoseOfErrorCode() {
        JsonObject error = parse(DOCUMENT).getJsonObject("components").getJsonObject("schemas").getJsonObject("Error");
        Set<String> documented = error.getJsonObject("properties").getJsonObject("code").getJsonArray("enum")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString)
                .collect(Collectors.toSet());
        assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toSet()), documented);
    }

    @Test
    void everyExampleConformsToItsMessage() {
        JsonObject messages = parse(DOCUMENT).getJsonObject("components").getJsonObject("messages");
        for (Map.Entry<String, JsonValue> message : messages.entrySet()) {
            for (JsonValue example : message.getValue().asJsonObject().getJsonArray("examples")) {
                JsonObject payload = example.asJsonObject().getJsonObject("payload");
                List<String> problems = payload.containsKey("type") ? CONTRACT.checkServerFrame(payload.toString())
                        : CONTRACT.checkClientMessage(payload.toString());
                assertEquals(List.of(), problems, message.getKey());
            }
        }
    }

    @Test
    void everyReplyTheServerEncodesConforms() {
        List<ServerMessage> replies = List.of(
                new ServerMessage.Hello(Protocol.NAME, Protocol.SERVER, 50, "run-1", null),
                new ServerMessage.Hello(Protocol.NAME, Protocol.SERVER, 2, "run-1", "ann"),
                new ServerMessage.Authenticated("ann", 1_764_003_600_000L),
                new ServerMessage.Subscribed(List.of("ACME", "GLOBX")),
                new ServerMessage.Unsubscribed(List.of()),
                new ServerMessage.SymbolList(List.of(new Symbol("ACME", "Acme Corp", "USD", new BigDecimal("120.90"), new BigDecimal("0.01")))),
                new ServerMessage.Bars("ACME", "1s", List.of(new Bar(1_764_000_000_000L, BigDecimal.ONE, BigDecimal.TEN,
                        BigDecimal.ONE, BigDecimal.TEN, 12))),
                new ServerMessage.Error(ErrorCode.UNKNOWN_SYMBOL, "unknown symbol NOPE", "subscribe"),
                new ServerMessage.Error(ErrorCode.BAD_REQUEST, "not valid JSON", null));
        for (ServerMessage reply : replies) {
            assertEquals(List.of(), CONTRACT.checkServerFrame(REPLIES.encode(reply)), reply.toString());
        }
    }

    @Test
    void everyQuoteFormTheServerEncodesConforms() {
        for (String frame : List.of(QUOTES.live(QUOTE), QUOTES.snapshot(QUOTE, false), QUOTES.snapshot(QUOTE, true),
                QUOTES.snapshot(QUOTE, false, true), QUOTES.snapshot(QUOTE, true, true))) {
            assertEquals(List.of(), CONTRACT.checkServerFrame(frame), frame);
        }
    }

    @Test
    void aFieldTheDocumentDoesNotDescribeFailsTheCheck() {
        String frame = QUOTES.live(QUOTE).replace("\"seq\":", "\"venue\":\"XNYS\",\"seq\":");
        assertFalse(CONTRACT.checkServerFrame(frame).isEmpty(), frame);
    }

    @Test
    void aMissingRequiredFieldFailsTheCheck() {
        String frame = REPLIES.encode(new ServerMessage.Hello(Protocol.NAME, Protocol.SERVER, 50, "run-1", null))
                .replace(",\"epoch\":\"run-1\"", "");
        assertFalse(CONTRACT.checkServerFrame(frame).isEmpty(), frame);
    }

    @Test
    void aNumberSentAsAStringFailsTheCheck() {
        String frame = QUOTES.live(QUOTE).replace("\"price\":123.45", "\"price\":\"123.45\"");
        assertFalse(CONTRACT.checkServerFrame(frame).isEmpty(), frame);
    }

    @Test
    void aGapWithoutSnapshotFailsTheCheck() {
        String frame = QUOTES.live(QUOTE).replace("}", ",\"gap\":true}");
        assertFalse(CONTRACT.checkServerFrame(frame).isEmpty(), frame);
    }

    @Test
    void aTypeTheDocumentDoesNotNameFailsTheCheck() {
        assertFalse(CONTRACT.checkServerFrame("{\"type\":\"trade\",\"symbol\":\"ACME\"}").isEmpty());
    }

    @Test
    void aClientMessageWithAFieldTheDocumentDoesNotDescribeFailsTheCheck() {
        assertFalse(CONTRACT.checkClientMessage("{\"action\":\"list\",\"padding\":\"x\"}").isEmpty());
    }

    @Test
    void everyClientExampleIsARequestTheServerAccepts() {
        ClientMessageDecoder decoder = new ClientMessageDecoder();
        JsonObject messages = parse(DOCUMENT).getJsonObject("components").getJsonObject("messages");
        for (String action : CONTRACT.clientActions()) {
            for (JsonValue example : messages.getJsonObject(action).getJsonArray("examples")) {
                String payload = example.asJsonObject().getJsonObject("payload").toString();
                ClientMessage decoded = decoder.decode(payload);
                assertFalse(decoded instanceof ClientMessage.Invalid, payload + " -> " + decoded);
            }
        }
    }

    @Test
    void theServedFileIsTheRepositorysFile() throws IOException {
        assertEquals(Files.readString(Path.of("webapp/asyncapi.json")), DOCUMENT);
    }

    private static void collectRefs(JsonValue value, List<String> refs) {
        if (value instanceof JsonObject object) {
            object.forEach((name, child) -> {
                if (name.equals("$ref")) {
                    refs.add(((jakarta.json.JsonString) child).getString());
                } else {
                    collectRefs(child, refs);
                }
            });
        } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            value.asJsonArray().forEach(child -> collectRefs(child, refs));
        }
    }

    private static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static String read(String resource) {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
