package io.quotecast.protocol;

import io.quotecast.config.TokenMode;
import io.quotecast.market.BarHistory;
import io.quotecast.market.BarInterval;
import io.quotecast.market.Quote;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.security.Admission;
import io.quotecast.security.Entitlements;
import io.quotecast.security.OriginPolicy;
import io.quotecast.security.TokenVerifier;
import io.quotecast.security.Viewer;
import io.quotecast.stream.CloseCode;
import io.quotecast.stream.DirectHub;
import io.quotecast.stream.QuoteFormat;
import io.quotecast.stream.QuoteHub;
import io.quotecast.testing.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of quotecast.v1 that a connection applies, one behaviour a test, on the
 * {@link ProtocolSession} alone: decoded messages in, frames out through a fake sink, time from a
 * manual clock. No server, no socket, no sleep. (The same rules over a real socket, in a real
 * container, are the integration tests of the websocket package.)
 */
class ProtocolSessionTest {

    static final String EPOCH = "run-1";
    static final int ACME = 0;
    static final int GLOBX = 1;
    static final int INITE = 2;

    final SymbolCatalog catalog = new SymbolCatalog(List.of(symbol("ACME"), symbol("GLOBX"), symbol("INITE"), symbol("UMBR")));
    /** Quotes as small JSON objects, so that every frame a client reads parses alike. */
    final QuoteFormat format = new QuoteFormat() {
        @Override
        public String live(Quote quote) {
            return quoteJson(quote, false, false);
        }

        @Override
        public String snapshot(Quote quote, boolean gap, boolean stale) {
            return quoteJson(quote, true, gap);
        }
    };
    final QuoteHub hub = DirectHub.of(catalog, format, 100);
    final BarHistory bars = new BarHistory(catalog, 100);
    final ManualClock clock = new ManualClock();
    final Admission admission = new Admission(new OriginPolicy(List.of()), TokenMode.REQUIRED,
            TokenVerifier.of(Tokens.SECRET, ""), Entitlements.ALL);
    final RecordingSink sink = new RecordingSink();
    final CountingListener listener = new CountingListener();
    final long[] seqs = new long[catalog.size()];

    int maxSymbols = 50;
    int maxMessagesPerSecond = 1_000;

    // ---- hello and the URL form

    @Test
    void helloIsTheFirstFrameAndNamesTheProtocolTheServerTheEpochAndTheUser() {
        open(ann(Entitlements.ALL));
        JsonObject hello = sink.next();
        assertEquals("hello", hello.getString("type"));
        assertEquals("quotecast.v1", hello.getString("protocol"));
        assertTrue(hello.getString("server").startsWith("Quotecast/"), hello.toString());
        assertEquals(4, hello.getInt("symbols"));
        assertEquals(EPOCH, hello.getString("epoch"));
        assertEquals("ann", hello.getString("user"));
    }

    @Test
    void helloOfAConnectionWithoutATokenNamesNoUser() {
        open(Viewer.OPEN);
        assertTrue(sink.next().isNull("user"));
    }

    @Test
    void helloAndListCountOnlyTheEntitledSymbols() {
        ProtocolSession session = open(ann(Entitlements.of(List.of("GLOBX", "ACME"))));
        assertEquals(2, sink.next().getInt("symbols"));
        session.onMessage(new ClientMessage.ListSymbols());
        assertEquals(List.of("ACME", "GLOBX"), listed(sink.next()), "in the catalog's order");
    }

    @Test
    void listRepliesWithEverySymbolItsNameAndCurrency() {
        ProtocolSession session = open(Viewer.OPEN);
        sink.unread();
        session.onMessage(new ClientMessage.ListSymbols());
        JsonObject reply = sink.next();
        assertEquals("symbols", reply.getString("type"));
        assertEquals(List.of("ACME", "GLOBX", "INITE", "UMBR"), listed(reply));
        JsonObject acme = reply.getJsonArray("symbols").getJsonObject(0);
        assertEquals("ACME Inc.", acme.getString("name"));
        assertEquals("USD", acme.getString("currency"));
    }

    @Test
    void theUrlFormSubscribesAsIfTheClientHadSentIt() {
        tick(ACME);
        tick(GLOBX);
        session(Viewer.OPEN).open(List.of("acme, globx", " ,"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("hello", "subscribed", "quote", "quote"), types(frames));
        assertEquals(List.of("ACME", "GLOBX"), strings(frames.get(1)));
        assertTrue(frames.get(2).getBoolean("snapshot") && frames.get(3).getBoolean("snapshot"), frames.toString());
    }

    @Test
    void aUrlFormWithNoSymbolInItSubscribesNothing() {
        session(Viewer.OPEN).open(List.of(" , ", ""));
        assertEquals(List.of("hello"), types(sink.unread()));
    }

    @Test
    void theUrlFormFollowsTheEntitlements() {
        session(ann(Entitlements.of(List.of("ACME", "GLOBX")))).open(List.of("GLOBX,INITE"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("hello", "error", "subscribed"), types(frames));
        assertEquals("forbidden", frames.get(1).getString("code"));
        assertTrue(frames.get(1).getString("message").contains("INITE"), frames.get(1).toString());
        assertEquals(List.of("GLOBX"), strings(frames.get(2)));
    }

    // ---- subscribe: resolving symbols

    @Test
    void subscribeRepliesSubscribedThenTheSnapshotThenLiveQuotes() {
        tick(ACME);
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("subscribed", "quote"), types(frames));
        assertEquals(List.of("ACME"), strings(frames.get(0)));
        assertTrue(frames.get(1).getBoolean("snapshot"));
        assertEquals(1, frames.get(1).getInt("seq"));
        tick(ACME);
        JsonObject live = sink.next();
        assertEquals(2, live.getInt("seq"));
        assertFalse(live.containsKey("snapshot"), live.toString());
    }

    @Test
    void symbolsMatchIgnoringCaseAndAreReportedUpperCase() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("acme", "Globx"));
        assertEquals(List.of("ACME", "GLOBX"), strings(sink.next()));
    }

    @Test
    void subscribingToAnUnlistedSymbolAnswersUnknownSymbolAndKeepsTheOthers() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME", "NOPE"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("error", "subscribed"), types(frames));
        assertError(frames.get(0), "unknown_symbol", "not listed: NOPE; the other symbols of the request still apply", "subscribe");
        assertEquals(List.of("ACME"), strings(frames.get(1)));
        assertTrue(session.subscriber().isSubscribed(ACME));
    }

    @Test
    void subscribingOnlyToUnlistedSymbolsAnswersUnknownSymbolAndChangesNothing() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("NOPE", "NADA"));
        assertError(sink.next(), "unknown_symbol", "not listed: NOPE, NADA", "subscribe");
        assertEquals(0, session.subscriber().subscribedCount());
    }

    @Test
    void starSubscribesToEveryListedSymbol() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("*"));
        assertEquals(List.of("ACME", "GLOBX", "INITE", "UMBR"), strings(sink.next()));
        assertEquals(4, session.subscriber().subscribedCount());
    }

    @Test
    void aTokenWithoutTheSymbolIsForbidden() {
        ProtocolSession session = openAndRead(ann(Entitlements.of(List.of("ACME", "GLOBX"))));
        session.onMessage(subscribe("acme", "inite", "UMBR"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("error", "subscribed"), types(frames));
        assertError(frames.get(0), "forbidden", "not entitled to: INITE, UMBR; the other symbols of the request still apply",
                "subscribe");
        assertEquals(List.of("ACME"), strings(frames.get(1)), "the rest of the request applies");
    }

    @Test
    void starSubscribesOnlyToTheEntitledSymbols() {
        ProtocolSession session = openAndRead(ann(Entitlements.of(List.of("GLOBX", "ACME"))));
        session.onMessage(subscribe("*"));
        assertEquals(List.of("ACME", "GLOBX"), strings(sink.next()), "no error: * means what the token entitles to");
    }

    @Test
    void starForAConnectionEntitledToNothingIsForbidden() {
        ProtocolSession session = openAndRead(ann(Entitlements.of(List.of())));
        session.onMessage(subscribe("*"));
        assertError(sink.next(), "forbidden", "this connection is entitled to no symbol", "subscribe");
        assertEquals(0, session.subscriber().subscribedCount());
    }

    // ---- subscribe: the symbol limit and maxRate

    @Test
    void subscribingPastTheLimitChangesNothing() {
        maxSymbols = 3;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME", "GLOBX"));
        sink.unread();
        session.onMessage(subscribe("INITE", "UMBR"));
        assertError(sink.next(), "too_many_symbols",
                "this request would subscribe 4 symbols; the limit per connection is 3. Nothing was changed.", "subscribe");
        assertEquals(2, session.subscriber().subscribedCount());
        assertFalse(session.subscriber().isSubscribed(INITE));
        session.onMessage(subscribe("INITE"));
        assertEquals(List.of("INITE"), strings(sink.next()), "up to the limit is fine");
    }

    @Test
    void symbolsAlreadySubscribedDoNotCountAgainstTheLimitAgain() {
        maxSymbols = 3;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME", "GLOBX", "INITE"));
        sink.unread();
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME", "GLOBX", "INITE"), 2.0, null, null));
        assertEquals(List.of("ACME", "GLOBX", "INITE"), strings(sink.next()));
    }

    @Test
    void subscribedListsOnlyTheSymbolsAddedOrWhoseRateChanged() {
        tick(ACME);
        tick(GLOBX);
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME"));
        sink.unread();
        session.onMessage(subscribe("ACME", "GLOBX"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("GLOBX"), strings(frames.get(0)));
        assertEquals(List.of("quote"), types(frames.subList(1, frames.size())), "a snapshot of the added symbol only");
        assertEquals("GLOBX", frames.get(1).getString("symbol"));
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME"), 4.0, null, null));
        assertEquals(List.of("ACME"), strings(sink.next()), "its rate changed; no new snapshot");
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME"), 4.0, null, null));
        assertEquals(List.of(), strings(sink.next()), "nothing changed");
    }

    @Test
    void maxRateCapsEverySymbolOfTheRequestAndNoneOther() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME", "INITE"));
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME", "GLOBX"), 2.0, null, null));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), session.subscriber().minIntervalNanos(ACME));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), session.subscriber().minIntervalNanos(GLOBX));
        assertEquals(0, session.subscriber().minIntervalNanos(INITE));
        session.onMessage(subscribe("ACME"));
        assertEquals(0, session.subscriber().minIntervalNanos(ACME), "a subscribe without maxRate lifts the cap");
    }

    // ---- subscribe: resuming with since and epoch

    @Test
    void sinceResumesFromTheTickAfterTheLastSeen() {
        ticks(ACME, 5);
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME"), null, Map.of("acme", 3L), null));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("subscribed", "quote", "quote"), types(frames));
        assertEquals(List.of(4, 5), frames.subList(1, 3).stream().map(quote -> quote.getInt("seq")).toList());
        assertTrue(frames.subList(1, 3).stream().noneMatch(quote -> quote.containsKey("snapshot")), frames.toString());
    }

    @Test
    void sinceOfTheServersEpochResumes() {
        ticks(ACME, 5);
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME"), null, Map.of("ACME", 4L), EPOCH));
        List<JsonObject> frames = sink.unread();
        assertEquals(2, frames.size(), frames.toString());
        assertEquals(5, frames.get(1).getInt("seq"));
        assertFalse(frames.get(1).containsKey("snapshot"), frames.toString());
    }

    @Test
    void sinceOfAnotherEpochResumesNothing() {
        ticks(ACME, 5);
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Subscribe(List.of("ACME"), null, Map.of("ACME", 3L), "run-0"));
        List<JsonObject> frames = sink.unread();
        assertEquals(List.of("subscribed", "quote"), types(frames));
        JsonObject snapshot = frames.get(1);
        assertTrue(snapshot.getBoolean("snapshot") && snapshot.getBoolean("gap"), snapshot.toString());
        assertEquals(5, snapshot.getInt("seq"), "the latest quote, not the ticks after 3 of another run");
    }

    // ---- unsubscribe

    @Test
    void unsubscribeRepliesWithTheSymbolsItRemovedAndStopsTheirQuotes() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("ACME", "GLOBX"));
        session.onMessage(new ClientMessage.Unsubscribe(List.of("acme")));
        List<JsonObject> frames = sink.unread();
        assertEquals("unsubscribed", frames.get(frames.size() - 1).getString("type"));
        assertEquals(List.of("ACME"), strings(frames.get(frames.size() - 1)));
        tick(ACME);
        tick(GLOBX);
        assertEquals("GLOBX", sink.next().getString("symbol"));
    }

    @Test
    void unsubscribeListsOnlyTheSymbolsThatWereSubscribed() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(subscribe("GLOBX"));
        sink.unread();
        session.onMessage(new ClientMessage.Unsubscribe(List.of("ACME", "GLOBX")));
        assertEquals(List.of("GLOBX"), strings(sink.next()));
        session.onMessage(new ClientMessage.Unsubscribe(List.of("*")));
        assertEquals(List.of(), strings(sink.next()));
    }

    @Test
    void unsubscribingFromAnUnlistedSymbolAnswersUnknownSymbol() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Unsubscribe(List.of("NOPE")));
        assertError(sink.next(), "unknown_symbol", "not listed: NOPE", "unsubscribe");
    }

    @Test
    void unsubscribingIsNotCheckedAgainstTheToken() {
        ProtocolSession session = openAndRead(ann(Entitlements.of(List.of("ACME"))));
        session.onMessage(new ClientMessage.Unsubscribe(List.of("INITE")));
        JsonObject reply = sink.next();
        assertEquals("unsubscribed", reply.getString("type"), "no forbidden: there is nothing to protect");
        assertEquals(List.of(), strings(reply));
    }

    // ---- history

    @Test
    void historyRepliesWithTheBarsOfTheSymbol() {
        ticks(ACME, 3);
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.History("acme", "1s", 300));
        JsonObject reply = sink.next();
        assertEquals("bars", reply.getString("type"));
        assertEquals("ACME", reply.getString("symbol"));
        assertEquals("1s", reply.getString("interval"));
        assertEquals(bars.bars(ACME, BarInterval.SECOND, 300).size(), reply.getJsonArray("bars").size());
        assertFalse(reply.getJsonArray("bars").isEmpty());
    }

    @Test
    void historyOfAnUnlistedSymbolIsUnknownSymbol() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.History("NOPE", "1s", 300));
        assertError(sink.next(), "unknown_symbol", "not listed: NOPE", "history");
    }

    @Test
    void historyOfASymbolTheTokenDoesNotCoverIsForbidden() {
        ProtocolSession session = openAndRead(ann(Entitlements.of(List.of("ACME"))));
        session.onMessage(new ClientMessage.History("inite", "1m", 10));
        assertError(sink.next(), "forbidden", "not entitled to: INITE", "history");
    }

    // ---- the token's expiry and auth

    @Test
    void anExpiredTokenClosesWith1008() {
        openAndRead(ann(Entitlements.ALL));
        clock.advance(Duration.ofSeconds(59));
        assertFalse(sink.closed());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(CloseCode.POLICY, sink.closeCode);
        assertEquals("token expired", sink.closeReason);
    }

    @Test
    void aConnectionWithoutATokenNeverExpires() {
        openAndRead(Viewer.OPEN);
        assertEquals(0, clock.pending());
        clock.advance(Duration.ofDays(2));
        assertFalse(sink.closed());
    }

    @Test
    void authMovesTheExpiry() {
        ProtocolSession session = openAndRead(ann(Entitlements.ALL));
        session.onMessage(new ClientMessage.Auth(Tokens.valid("ann", null, Duration.ofHours(1))));
        JsonObject authenticated = sink.next();
        assertEquals("authenticated", authenticated.getString("type"));
        assertEquals("ann", authenticated.getString("user"));
        Instant expires = Instant.ofEpochMilli(authenticated.getJsonNumber("expires").longValue());
        assertTrue(Duration.between(clock.start().plus(Duration.ofHours(1)), expires).abs().getSeconds() < 5, expires.toString());
        clock.advance(Duration.ofMinutes(2));
        assertFalse(sink.closed(), "the first token's exp has passed");
        assertEquals(1, clock.pending(), "the old expiry is called off");
        clock.advance(Duration.between(clock.now(), expires));
        assertEquals(CloseCode.POLICY, sink.closeCode, "closed at the fresh token's exp");
        assertEquals("token expired", sink.closeReason);
    }

    @Test
    void aRefusedAuthKeepsTheCurrentToken() {
        ProtocolSession session = openAndRead(ann(Entitlements.ALL));
        session.onMessage(new ClientMessage.Auth(Tokens.badlySigned("ann")));
        assertError(sink.next(), "unauthorized", "bad token signature; the connection's current token stays in force", "auth");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(CloseCode.POLICY, sink.closeCode, "still closed at the old token's exp");
    }

    @Test
    void authWithATokenForAnotherUserIsUnauthorized() {
        ProtocolSession session = openAndRead(ann(Entitlements.ALL));
        session.onMessage(new ClientMessage.Auth(Tokens.valid("bob")));
        assertError(sink.next(), "unauthorized", "token for another user; the connection's current token stays in force", "auth");
    }

    @Test
    void authWhileTokensAreOffIsUnauthorized() {
        ProtocolSession session = new ProtocolSession(context(new Admission(new OriginPolicy(List.of()), TokenMode.OFF, null,
                Entitlements.ALL)), Viewer.OPEN, sink, listener);
        session.open(null);
        sink.unread();
        session.onMessage(new ClientMessage.Auth(Tokens.valid("ann")));
        assertError(sink.next(), "unauthorized", "tokens are off; the connection's current token stays in force", "auth");
    }

    @Test
    void authBringsTheFreshTokensEntitlements() {
        ProtocolSession session = openAndRead(ann(Entitlements.ALL));
        session.onMessage(new ClientMessage.Auth(Tokens.valid("ann", List.of("ACME"), Duration.ofHours(1))));
        sink.unread();
        session.onMessage(subscribe("ACME", "GLOBX"));
        List<JsonObject> frames = sink.unread();
        assertEquals("forbidden", frames.get(0).getString("code"), frames.toString());
        assertEquals(List.of("ACME"), strings(frames.get(1)));
    }

    @Test
    void closingCallsOffTheExpiryAndLeavesTheHub() {
        ProtocolSession session = openAndRead(ann(Entitlements.ALL));
        session.onMessage(subscribe("ACME"));
        assertEquals(1, hub.registry().connectionCount());
        session.closed();
        assertEquals(0, hub.registry().connectionCount());
        assertEquals(0, hub.registry().subscriberCount(ACME));
        assertEquals(0, clock.pending());
        clock.advance(Duration.ofSeconds(61));
        assertFalse(sink.closed(), "nothing left to close");
    }

    // ---- the message rate

    @Test
    void messagesWithinTheBurstAreApplied() {
        maxMessagesPerSecond = 5;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        for (int i = 0; i < 10; i++) {
            session.onMessage(new ClientMessage.ListSymbols());
        }
        assertEquals(10, sink.unread().stream().filter(frame -> frame.getString("type").equals("symbols")).count());
        assertEquals(0, listener.refused);
    }

    @Test
    void floodingPastTheBurstIsAnsweredRateLimited() {
        maxMessagesPerSecond = 5;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        spendTheBurst(session);
        session.onMessage(subscribe("ACME"));
        assertError(sink.next(), "rate_limited", "more than 5 messages a second (bursts of 10): this one was not applied",
                "subscribe");
        assertFalse(session.subscriber().isSubscribed(ACME), "not applied");
        assertEquals(1, listener.refused);
        assertFalse(sink.closed());
    }

    @Test
    void theBucketRefillsAtTheRate() {
        maxMessagesPerSecond = 5;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        spendTheBurst(session);
        clock.advanceMillis(200);
        session.onMessage(subscribe("ACME"));
        assertEquals("subscribed", sink.unread().get(0).getString("type"), "one message's worth in 200 ms at 5 a second");
        session.onMessage(subscribe("GLOBX"));
        assertEquals("rate_limited", sink.next().getString("code"));
    }

    @Test
    void aClientThatKeepsOnPastTheLimitIsClosedWith1008() {
        maxMessagesPerSecond = 5;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        spendTheBurst(session);
        for (int i = 0; i < 9; i++) {
            session.onMessage(new ClientMessage.ListSymbols());
        }
        assertEquals(9, sink.unread().stream().filter(frame -> "rate_limited".equals(frame.getString("code", null))).count());
        assertFalse(sink.closed());
        session.onMessage(new ClientMessage.ListSymbols());
        assertEquals(CloseCode.POLICY, sink.closeCode, "the burst's worth of strikes: closed");
        assertEquals("messages kept coming above the rate limit", sink.closeReason);
        assertEquals(List.of(), sink.unread(), "no rate_limited for the last one");
        assertEquals(10, listener.refused);
        assertEquals(1, listener.closing);
    }

    @Test
    void aPauseForgivesTheStrikes() {
        maxMessagesPerSecond = 5;
        ProtocolSession session = openAndRead(Viewer.OPEN);
        spendTheBurst(session);
        for (int i = 0; i < 9; i++) {
            session.onMessage(new ClientMessage.ListSymbols());
        }
        sink.unread();
        clock.advance(Duration.ofSeconds(2)); // the bucket is full again
        spendTheBurst(session);
        for (int i = 0; i < 9; i++) {
            session.onMessage(new ClientMessage.ListSymbols());
        }
        assertFalse(sink.closed(), "nine strikes since the pause, not eighteen");
    }

    @Test
    void theListenerHearsEveryWholeMessage() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.ListSymbols());
        session.onMessage(new ClientMessage.Invalid(ErrorCode.BAD_REQUEST, "not valid JSON", null));
        assertEquals(2, listener.arrived);
    }

    // ---- bad input

    @Test
    void anInvalidRequestIsAnsweredWithItsErrorAndTheConnectionStaysOpen() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Invalid(ErrorCode.BAD_REQUEST, "missing field 'symbols'", "subscribe"));
        assertError(sink.next(), "bad_request", "missing field 'symbols'", "subscribe");
        session.onMessage(new ClientMessage.ListSymbols());
        assertEquals("symbols", sink.next().getString("type"));
        assertFalse(sink.closed());
    }

    @Test
    void anInvalidRequestWithoutAnActionNamesNone() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Invalid(ErrorCode.BAD_REQUEST, "a message must be a JSON object, not an array", null));
        JsonObject error = sink.next();
        assertEquals("bad_request", error.getString("code"));
        assertFalse(error.containsKey("action"), error.toString());
    }

    @Test
    void anUnknownActionIsNamedInItsError() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.Invalid(ErrorCode.UNKNOWN_ACTION, "unknown action 'buy'", "buy"));
        assertError(sink.next(), "unknown_action", "unknown action 'buy'", "buy");
    }

    @Test
    void aMessageAboveTheSizeLimitClosesWith1009() {
        ProtocolSession session = openAndRead(Viewer.OPEN);
        session.onMessage(new ClientMessage.TooBig(5_000, 4_096));
        assertEquals(CloseCode.TOO_BIG, sink.closeCode);
        assertEquals("message above the limit of 4096 bytes", sink.closeReason);
        assertEquals(List.of(), sink.unread());
        assertEquals(0, listener.arrived, "an oversized message is not read, nor counted as one");
    }

    // ---- helpers

    private ProtocolContext context(Admission admission) {
        return new ProtocolContext(hub, bars, admission, () -> EPOCH, maxSymbols, maxMessagesPerSecond, clock);
    }

    private ProtocolSession session(Viewer viewer) {
        return new ProtocolSession(context(admission), viewer, sink, listener);
    }

    private ProtocolSession open(Viewer viewer) {
        ProtocolSession session = session(viewer);
        session.open(null);
        return session;
    }

    /** Opens, and reads the hello. */
    private ProtocolSession openAndRead(Viewer viewer) {
        ProtocolSession session = open(viewer);
        assertEquals("hello", sink.next().getString("type"));
        return session;
    }

    /** ann, with a token that expires a minute after the test's start. */
    private Viewer ann(Entitlements entitlements) {
        return new Viewer("ann", entitlements, clock.start().plusSeconds(60));
    }

    /** The burst (twice the rate), spent on {@code list}, and its replies read. */
    private void spendTheBurst(ProtocolSession session) {
        for (int i = 0; i < 2 * maxMessagesPerSecond; i++) {
            session.onMessage(new ClientMessage.ListSymbols());
        }
        assertTrue(sink.unread().stream().allMatch(frame -> frame.getString("type").equals("symbols")));
    }

    private static ClientMessage.Subscribe subscribe(String... symbols) {
        return new ClientMessage.Subscribe(List.of(symbols), null, null, null);
    }

    private void ticks(int symbol, int count) {
        for (int i = 0; i < count; i++) {
            tick(symbol);
        }
    }

    /** A feed's batch of one tick. */
    private void tick(int symbol) {
        long seq = ++seqs[symbol];
        BigDecimal price = BigDecimal.TEN.add(BigDecimal.valueOf(seq, 2));
        Quote quote = new Quote(catalog.get(symbol).ticker(), price, price, price, price, price, price, BigDecimal.TEN,
                BigDecimal.ZERO, BigDecimal.ZERO, 100 * seq, seq, clock.start().toEpochMilli() + seq);
        bars.onQuote(quote);
        hub.onQuote(quote);
        hub.onBatchEnd();
    }

    private static String quoteJson(Quote quote, boolean snapshot, boolean gap) {
        var json = Json.createObjectBuilder().add("type", "quote").add("symbol", quote.symbol()).add("seq", quote.seq());
        if (snapshot) {
            json.add("snapshot", true);
        }
        if (gap) {
            json.add("gap", true);
        }
        return json.build().toString();
    }

    private static void assertError(JsonObject frame, String code, String message, String action) {
        assertEquals("error", frame.getString("type"), frame.toString());
        assertEquals(code, frame.getString("code"), frame.toString());
        assertEquals(message, frame.getString("message"));
        assertEquals(action, frame.getString("action", null), frame.toString());
    }

    private static List<String> types(List<JsonObject> frames) {
        return frames.stream().map(frame -> frame.getString("type")).toList();
    }

    private static List<String> strings(JsonObject frame) {
        return frame.getJsonArray("symbols").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static List<String> listed(JsonObject frame) {
        assertEquals("symbols", frame.getString("type"), frame.toString());
        return frame.getJsonArray("symbols").getValuesAs(JsonObject.class).stream().map(symbol -> symbol.getString("symbol")).toList();
    }

    private static Symbol symbol(String ticker) {
        return new Symbol(ticker, ticker + " Inc.", "USD", BigDecimal.TEN, new BigDecimal("0.01"));
    }

    /** What the connection's guard would hear. */
    static final class CountingListener implements ProtocolSession.Listener {
        int arrived;
        int refused;
        int closing;

        @Override
        public void messageArrived() {
            arrived++;
        }

        @Override
        public void rateLimited(boolean close) {
            refused++;
            if (close) {
                closing++;
            }
        }
    }
}
