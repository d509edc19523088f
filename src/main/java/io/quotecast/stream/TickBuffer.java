package io.quotecast.stream;

/**
 * The last ticks of one symbol, as the encoded frames clients received, for replay on resume.
 * A fixed ring: memory is the frames themselves, shared with the live stream, plus one reference
 * each.
 */
final class TickBuffer {

    private final Frame[] ring;
    private int newest = -1;
    private int size;

    TickBuffer(int capacity) {
        this.ring = new Frame[capacity];
    }

    synchronized void add(Frame frame) {
        newest = (newest + 1) % ring.length;
        ring[newest] = frame;
        size = Math.min(size + 1, ring.length);
    }

    /** Forgets every frame: the next one starts the buffer over (a gap, or a new run of the feed). */
    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        newest = -1;
        size = 0;
    }

    /**
     * The buffered frames with {@code seq > since}, oldest first, or null when some tick after
     * {@code since} is no longer buffered (or {@code since} is from the future, e.g. before a
     * server restart): the client must then start over from a snapshot.
     */
    synchronized Frame[] after(long since) {
        if (size == 0) {
            return null;
        }
        long newestSeq = ring[newest].seq();
        long oldestSeq = ring[Math.floorMod(newest - size + 1, ring.length)].seq();
        if (since > newestSeq || since < oldestSeq - 1) {
            return null;
        }
        int count = (int) (newestSeq - since);
        Frame[] frames = new Frame[count];
        for (int i = 0; i < count; i++) {
            frames[i] = ring[Math.floorMod(newest - count + 1 + i, ring.length)];
        }
        return frames;
    }
}
