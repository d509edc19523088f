package io.quotecast.ops;

import io.quotecast.stream.CloseCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeepaliveTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final Keepalive keepalive = new Keepalive(25 * SECOND, 10 * SECOND, 120 * SECOND, clock::get);

    private final class FakePeer implements Keepalive.Peer {
        int pings;
        final List<CloseCode> closes = new ArrayList<>();
        boolean subscribed = true;

        @Override
        public void ping() {
            pings++;
        }

        @Override
        public void close(CloseCode code, String reason) {
            closes.add(code);
        }

        @Override
        public boolean subscribed() {
            return subscribed;
        }
    }

    private void advance(long nanos) {
        clock.addAndGet(nanos);
        keepalive.sweep();
    }

    @Test
    void aPeerThatAnswersIsPingedEveryPeriodAndStays() {
        FakePeer peer = new FakePeer();
        Keepalive.Watch watch = keepalive.watch(peer);
        for (int i = 0; i < 100; i++) {
            advance(SECOND);
            watch.pong(); // answers at once
        }
        assertEquals(4, peer.pings, "one ping every 25 s");
        assertEquals(List.of(), peer.closes);
    }

    @Test
    void aPeerThatNeverAnswersIsClosedAfterThePongTimeout() {
        FakePeer peer = new FakePeer();
        keepalive.watch(peer);
        advance(25 * SECOND);
        assertEquals(1, peer.pings);
        advance(10 * SECOND);
        assertEquals(List.of(), peer.closes, "not before the timeout");
        advance(SECOND);
        assertEquals(List.of(Keepalive.CLOSE_NO_PONG), peer.closes);
        assertEquals(0, keepalive.size());
        assertEquals(1, keepalive.closedNoPong());
        advance(60 * SECOND);
        assertEquals(1, peer.closes.size(), "closed once");
    }

    @Test
    void aConnectionWithoutASubscriptionIsClosedWhenIdle() {
        FakePeer idle = new FakePeer();
        idle.subscribed = false;
        FakePeer talking = new FakePeer();
        talking.subscribed = false;
        Keepalive.Watch idleWatch = keepalive.watch(idle);
        Keepalive.Watch talkingWatch = keepalive.watch(talking);
        for (int i = 0; i < 121; i++) {
            advance(SECOND);
            idleWatch.pong();
            talkingWatch.pong();
            talkingWatch.activity();
        }
        assertEquals(List.of(Keepalive.CLOSE_IDLE), idle.closes);
        assertEquals(1, keepalive.closedIdle());
        assertEquals(List.of(), talking.closes, "messages keep it open");
    }

    @Test
    void connectionsOpenedTogetherArePingedSpreadOverThePeriodNotAllInOneSweep() {
        List<FakePeer> peers = new ArrayList<>();
        List<Keepalive.Watch> watches = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            FakePeer peer = new FakePeer();
            peers.add(peer);
            watches.add(keepalive.watch(peer));
        }
        int mostInOneSweep = 0;
        for (int second = 1; second <= 25; second++) {
            long before = keepalive.pingsSent();
            advance(SECOND);
            watches.forEach(Keepalive.Watch::pong);
            mostInOneSweep = (int) Math.max(mostInOneSweep, keepalive.pingsSent() - before);
        }
        assertTrue(mostInOneSweep <= 60, "1000 connections over 25 one-second sweeps: about 40 each, was " + mostInOneSweep);
        assertTrue(peers.stream().allMatch(peer -> peer.pings == 1), "each pinged once within the first period");
    }
}
