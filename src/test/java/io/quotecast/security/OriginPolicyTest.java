package io.quotecast.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    static final OriginPolicy OWN_ONLY = new OriginPolicy(List.of());

    @Test
    void theOriginOfTheHostTheRequestWasSentToIsAllowed() {
        assertTrue(OWN_ONLY.allows("http://quotes.example:8080", "quotes.example:8080"));
        assertTrue(OWN_ONLY.allows("https://Quotes.Example", "quotes.example"), "case and the default port do not matter");
        assertTrue(OWN_ONLY.allows("http://quotes.example", "quotes.example:80"));
    }

    @Test
    void anotherHostOrPortOrSchemeIsForeign() {
        assertFalse(OWN_ONLY.allows("https://evil.example", "quotes.example"));
        assertFalse(OWN_ONLY.allows("http://quotes.example:8081", "quotes.example:8080"));
        assertFalse(OWN_ONLY.allows("https://quotes.example", "quotes.example:80"), "https on the port of http");
        assertFalse(OWN_ONLY.allows("http://quotes.example.evil.example", "quotes.example"));
    }

    @Test
    void noOriginIsAProgramAndIsAllowed() {
        assertTrue(OWN_ONLY.allows(null, "quotes.example"));
    }

    @Test
    void theNullOriginAndNonWebOriginsAreRefused() {
        assertFalse(OWN_ONLY.allows("null", "quotes.example"));
        assertFalse(OWN_ONLY.allows("file://", "quotes.example"));
        assertFalse(OWN_ONLY.allows("chrome-extension://abcdef", "quotes.example"));
        assertFalse(OWN_ONLY.allows("http://quotes.example", null), "no Host: nothing to be the same origin as");
    }

    @Test
    void listedOriginsAreAllowed() {
        OriginPolicy policy = new OriginPolicy(List.of("https://trading.example.com", "http://intranet:8443"));
        assertTrue(policy.allows("https://trading.example.com", "quotes.example"));
        assertTrue(policy.allows("https://trading.example.com:443", "quotes.example"));
        assertTrue(policy.allows("http://intranet:8443", "quotes.example"));
        assertFalse(policy.allows("http://trading.example.com", "quotes.example"), "the scheme is part of the origin");
    }

    @Test
    void starAllowsEveryOrigin() {
        OriginPolicy any = new OriginPolicy(List.of("*"));
        assertTrue(any.allowsAnyOrigin());
        assertTrue(any.allows("https://evil.example", "quotes.example"));
    }

    @Test
    void aSettingThatIsNotAnOriginIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OriginPolicy(List.of("trading.example.com/path")));
        assertTrue(e.getMessage().contains("security.allowedOrigins"), e.getMessage());
    }
}
