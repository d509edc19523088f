package io.quotecast.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link StreamListener} that writes down what it hears, as short lines, for the tests to compare. */
final class RecordingListener implements StreamListener {

    final List<String> events = new ArrayList<>();
    final List<Long> seqs = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public void onTick(Tick tick) {
        seqs.add(tick.quote().seq());
        events.add("tick " + tick.quote().symbol() + " " + tick.quote().seq() + (tick.gap() ? " gap" : "")
                + (tick.stale() ? " stale" : ""));
    }

    @Override
    public void onGap(String symbol, long lastSeen, Tick resumedAt) {
        events.add("gap " + symbol + " after " + lastSeen + " at " + resumedAt.quote().seq());
    }

    @Override
    public void onEpochChanged(String previous, String current) {
        events.add("epoch " + previous + " -> " + current);
    }

    @Override
    public void onReconnecting(Disconnect why, Duration delay) {
        delays.add(delay);
        events.add("reconnecting after " + why.code());
    }

    @Override
    public void onAuthenticated(Instant expires) {
        events.add("authenticated until " + expires.toEpochMilli());
    }

    @Override
    public void onStopped(Disconnect why) {
        events.add("stopped " + why.code() + "/" + why.httpStatus());
    }
}
