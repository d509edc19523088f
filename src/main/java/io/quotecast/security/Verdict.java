package io.quotecast.security;

/** The outcome of admission: a {@link Viewer} let in, or a {@link Refusal}. */
public sealed interface Verdict {

    record Admit(Viewer viewer) implements Verdict {
    }

    /** {@code detail}: what exactly was wrong, for the log; never the token. */
    record Refuse(Refusal refusal, String detail) implements Verdict {
    }
}
