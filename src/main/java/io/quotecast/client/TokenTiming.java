package io.quotecast.client;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * When to refresh a token: a quarter of its remaining life before it expires, at least one second and at
 * most thirty before, so that a short-lived token is renewed well in time and a long one not needlessly
 * early. The client reads {@code exp} from the JWT it was given without verifying it (the server does):
 * only to know when to ask for the next one.
 */
final class TokenTiming {

    static final long MIN_LEAD_MILLIS = 1_000;
    static final long MAX_LEAD_MILLIS = 30_000;

    private TokenTiming() {
    }

    /** Milliseconds from {@code now} to the refresh of a token expiring at {@code expiresAt} (epoch ms). */
    static long refreshDelay(long expiresAt, long now) {
        long left = expiresAt - now;
        long lead = Math.min(MAX_LEAD_MILLIS, Math.max(MIN_LEAD_MILLIS, left / 4));
        return Math.max(0, left - lead);
    }

    /** The {@code exp} of a JWT, in epoch ms; empty when the token is not a JWT with a numeric {@code exp}. */
    static OptionalLong expiry(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            return OptionalLong.empty();
        }
        try (JsonReader reader = Json.createReader(new StringReader(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)))) {
            JsonValue claims = reader.readValue();
            if (claims.getValueType() != JsonValue.ValueType.OBJECT) {
                return OptionalLong.empty();
            }
            JsonValue exp = ((JsonObject) claims).get("exp");
            return exp instanceof JsonNumber seconds ? OptionalLong.of(seconds.longValue() * 1000) : OptionalLong.empty();
        } catch (RuntimeException notAJwt) {
            return OptionalLong.empty();
        }
    }
}
