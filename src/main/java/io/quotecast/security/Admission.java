package io.quotecast.security;

import io.quotecast.config.Settings;
import io.quotecast.config.TokenMode;

import java.util.Objects;

/**
 * The gate of the stream: decides, from what a handshake request carries, whether it is let in and
 * as whom. Every transport asks this one object, so the standalone server, the WAR's filter and the
 * handshake configurator cannot disagree. Logs each refusal once, without the token.
 */
public final class Admission {

    private static final System.Logger LOG = System.getLogger(Admission.class.getName());

    private final OriginPolicy origins;
    private final TokenMode mode;
    private final TokenVerifier tokens;
    private final Entitlements anonymous;

    public Admission(OriginPolicy origins, TokenMode mode, TokenVerifier tokens, Entitlements anonymous) {
        this.origins = origins;
        this.mode = mode;
        this.tokens = mode == TokenMode.OFF ? null : Objects.requireNonNull(tokens, "a token verifier");
        this.anonymous = anonymous;
    }

    /** From the {@code security.*} settings; refuses a weak secret or a missing key, naming the setting. */
    public static Admission from(Settings settings) {
        OriginPolicy origins = new OriginPolicy(settings.security().allowedOrigins());
        if (origins.allowsAnyOrigin()) {
            LOG.log(System.Logger.Level.WARNING, "security.allowedOrigins contains *: pages of every web site may open "
                    + "a stream from their visitors' browsers");
        }
        TokenMode mode = settings.security().tokens();
        TokenVerifier verifier = mode == TokenMode.OFF ? null
                : TokenVerifier.of(settings.security().tokenSecret(), settings.security().tokenPublicKey());
        return new Admission(origins, mode, verifier, Entitlements.of(settings.security().anonymousSymbols()));
    }

    public TokenMode mode() {
        return mode;
    }

    /** Origin first (a foreign page is refused whatever it carries), then the token as the mode asks. */
    public Verdict admit(HandshakeFacts request) {
        if (!origins.allows(request.origin(), request.host())) {
            return refused(new Verdict.Refuse(Refusal.FOREIGN_ORIGIN, "allowed: " + origins), request);
        }
        if (mode == TokenMode.OFF) {
            return new Verdict.Admit(Viewer.OPEN);
        }
        String token = request.token();
        if (token == null) {
            return mode == TokenMode.OPTIONAL ? new Verdict.Admit(Viewer.anonymous(anonymous))
                    : refused(new Verdict.Refuse(Refusal.NO_TOKEN, "no Authorization: Bearer header and no access_token parameter"), request);
        }
        Verdict verdict = tokens.verify(token);
        return verdict instanceof Verdict.Refuse refusal ? refused(refusal, request) : verdict;
    }

    /**
     * An {@code auth} on an open connection: a valid token for the same {@code sub} replaces the current
     * one; anything else is refused and the current one stays in force.
     */
    public Verdict reauthenticate(Viewer current, String token) {
        if (mode == TokenMode.OFF) {
            return new Verdict.Refuse(Refusal.TOKENS_OFF, "auth while security.tokens=off");
        }
        Verdict verdict = tokens.verify(token);
        if (verdict instanceof Verdict.Admit admit && !Objects.equals(admit.viewer().user(), current.user())) {
            verdict = new Verdict.Refuse(Refusal.OTHER_USER, "auth for sub " + printable(admit.viewer().user())
                    + " on a connection of " + printable(current.user()));
        }
        if (verdict instanceof Verdict.Refuse refusal) {
            LOG.log(System.Logger.Level.INFO, "auth refused: {0} ({1})", refusal.refusal().reason(), refusal.detail());
        }
        return verdict;
    }

    private static Verdict refused(Verdict.Refuse refusal, HandshakeFacts request) {
        LOG.log(System.Logger.Level.INFO, "handshake refused, {0} {1}: {2}; origin {3}",
                refusal.refusal().httpStatus(), refusal.refusal().reason(), refusal.detail(), printable(request.origin()));
        return refusal;
    }

    /** A client-chosen value for a log line: bounded, and with no line breaks to forge log lines with. */
    static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String clean = value.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
