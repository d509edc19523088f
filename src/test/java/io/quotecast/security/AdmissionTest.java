package io.quotecast.security;

import io.quotecast.config.Settings;
import io.quotecast.testing.LogRecorder;
import io.quotecast.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionTest {

    static Admission admission(String... settings) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            map.put(settings[i], settings[i + 1]);
        }
        return Admission.from(Settings.with(map));
    }

    static HandshakeFacts bearer(String token) {
        return new HandshakeFacts(null, "quotes.example", "Bearer " + token, null);
    }

    @Test
    void starInAllowedOriginsLogsAWarningAtStart() {
        try (LogRecorder log = LogRecorder.of(Admission.class.getName())) {
            admission("security.allowedOrigins", "*");
            assertTrue(log.records().stream().anyMatch(r -> r.getLevel() == Level.WARNING
                    && log.messages().get(0).contains("security.allowedOrigins")), log.messages().toString());
        }
    }

    @Test
    void withTokensOffEveryoneIsAdmittedEntitledToAll() {
        Viewer viewer = assertInstanceOf(Verdict.Admit.class, admission().admit(bearer("garbage"))).viewer();
        assertEquals(Viewer.OPEN, viewer);
    }

    @Test
    void withTokensOptionalAClientWithoutATokenIsAnonymousWithTheAnonymousSymbols() {
        Admission optional = admission("security.tokens", "optional", "security.tokenSecret", Tokens.SECRET,
                "security.anonymousSymbols", "ACME,GLOBX");
        Viewer viewer = assertInstanceOf(Verdict.Admit.class, optional.admit(new HandshakeFacts(null, "h", null, null))).viewer();
        assertEquals(null, viewer.user());
        assertEquals(java.util.Set.of("ACME", "GLOBX"), viewer.entitlements().symbols());
        assertEquals(Refusal.EXPIRED_TOKEN,
                assertInstanceOf(Verdict.Refuse.class, optional.admit(bearer(Tokens.expired("ann")))).refusal(),
                "a bad token is refused even where tokens are optional");
    }

    @Test
    void theHeaderWinsOverTheQueryParameter() {
        Admission required = admission("security.tokens", "required", "security.tokenSecret", Tokens.SECRET);
        Verdict verdict = required.admit(new HandshakeFacts(null, "h", "Bearer " + Tokens.valid("ann"), Tokens.valid("bob")));
        assertEquals("ann", assertInstanceOf(Verdict.Admit.class, verdict).viewer().user());
    }

    @Test
    void authKeepsTheUserAndRefusesAnother() {
        Admission required = admission("security.tokens", "required", "security.tokenSecret", Tokens.SECRET);
        Viewer ann = assertInstanceOf(Verdict.Admit.class, required.admit(bearer(Tokens.valid("ann")))).viewer();
        assertInstanceOf(Verdict.Admit.class, required.reauthenticate(ann, Tokens.valid("ann")));
        assertEquals(Refusal.OTHER_USER,
                assertInstanceOf(Verdict.Refuse.class, required.reauthenticate(ann, Tokens.valid("bob"))).refusal());
    }

    @Test
    void aFieldOfTheRequestIsBoundedAndLoggedOnOneLine() {
        assertEquals("a?b", Admission.printable("a\nb"));
        assertEquals(103, Admission.printable("x".repeat(500)).length());
    }
}
