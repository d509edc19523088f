package io.quotecast.testing;

import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's AsyncAPI document ({@code webapp/asyncapi.json}, as the server serves it) as a checker
 * of frames: each server frame is validated against the payload schema of the message whose
 * {@code type} it has, each client message against the one whose {@code action} it has. The schemas
 * are compiled once per JVM, the document read from the class path, so that every protocol test,
 * through {@link TestClient}, checks the contract at the cost of one validation per frame.
 */
public final class Contract {

    /** Where the document is on the class path (the standalone server serves it from there). */
    public static final String RESOURCE = "webapp/asyncapi.json";
    /** A name for the document, which its {@code #/...} references resolve against; never fetched. */
    private static final String DOCUMENT_IRI = "https://quotecast.invalid/asyncapi.json";

    /** Jackson's tree, as the validator reads it; thread-safe, made once (a reader per frame costs more than the check). */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Contract INSTANCE = new Contract(read(RESOURCE));

    private final Map<String, Schema> serverMessages = new HashMap<>();
    private final Map<String, Schema> clientMessages = new HashMap<>();

    Contract(String document) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, document)));
        JsonObject components;
        try (JsonReader reader = Json.createReader(new StringReader(document))) {
            components = reader.readObject().getJsonObject("components");
        }
        JsonObject messages = components.getJsonObject("messages");
        for (Map.Entry<String, JsonValue> message : messages.entrySet()) {
            String pointer = "#/components/messages/" + message.getKey() + "/payload";
            Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + pointer));
            JsonObject payload = resolve(components, message.getValue().asJsonObject().getJsonObject("payload"));
            JsonObject properties = payload.getJsonObject("properties");
            if (properties.containsKey("type")) {
                serverMessages.put(properties.getJsonObject("type").getString("const"), schema);
            } else {
                clientMessages.put(properties.getJsonObject("action").getString("const"), schema);
            }
        }
    }

    /** The contract as the server serves it. */
    public static Contract served() {
        return INSTANCE;
    }

    /** What is wrong with a frame the server sent, by the document; empty when it conforms. */
    public List<String> checkServerFrame(String text) {
        return check(text, "type", serverMessages);
    }

    /** What is wrong with a message a client sent, by the document; empty when it conforms. */
    public List<String> checkClientMessage(String text) {
        return check(text, "action", clientMessages);
    }

    /** The {@code type} values of the server messages the document describes. */
    public java.util.Set<String> serverTypes() {
        return java.util.Set.copyOf(serverMessages.keySet());
    }

    /** The {@code action} values of the client messages the document describes. */
    public java.util.Set<String> clientActions() {
        return java.util.Set.copyOf(clientMessages.keySet());
    }

    private static List<String> check(String text, String discriminator, Map<String, Schema> schemas) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (RuntimeException e) {
            return List.of("not JSON: " + abbreviated(text));
        }
        if (!frame.isObject()) {
            return List.of("not a JSON object: " + abbreviated(text));
        }
        JsonNode kind = frame.get(discriminator);
        Schema schema = kind == null || !kind.isString() ? null : schemas.get(kind.asString());
        if (schema == null) {
            return List.of("no message in the document has this " + discriminator + ": " + abbreviated(text));
        }
        // the yes-or-no check first: a few microseconds a frame; the error list only for a frame that fails
        if (schema.validate(frame, OutputFormat.BOOLEAN)) {
            return List.of();
        }
        return schema.validate(frame).stream()
                .map(Error::toString)
                .map(problem -> problem + " in " + abbreviated(text))
                .toList();
    }

    /** A payload as written, or the schema its {@code $ref} names (only {@code #/components/schemas/...}). */
    private static JsonObject resolve(JsonObject components, JsonObject payload) {
        String ref = payload.getString("$ref", null);
        if (ref == null) {
            return payload;
        }
        String prefix = "#/components/schemas/";
        if (!ref.startsWith(prefix)) {
            throw new IllegalStateException("a message payload refers outside #/components/schemas/: " + ref);
        }
        return components.getJsonObject("schemas").getJsonObject(ref.substring(prefix.length()));
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    static String read(String resource) {
        try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
