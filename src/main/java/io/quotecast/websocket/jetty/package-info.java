/**
 * The WAR's accelerated write path on Jetty 12 (ee10): fan-out frames handed to each session's Jetty
 * core session as payloads encoded once per tick, and the frames that waited together as one gathering
 * write, started on the thread that drains the client and never blocking. Split by job:
 * {@link io.quotecast.websocket.jetty.JettyWritePath} (the check and the factory), {@code JettyCoreSink}
 * (the sink), {@code CoreFrames} (what it needs of the core session) and {@code ReflectiveCoreFrames}
 * (that, over Jetty's public core API).
 *
 * <p>What it touches: the session's public {@code getCoreSession()}, and of Jetty's core only public
 * API ({@code CoreSession.sendFrame}, {@code Frame}'s constructor, {@code Callback.from} and
 * {@code Callback.NOOP}), reached through public method handles, because Jetty hides its classes
 * from web applications: the WAR needs no Jetty-specific descriptor.
 *
 * <p>What it checks first: {@link io.quotecast.websocket.jetty.JettyWritePath#ifContainer} offers the
 * path only where the {@code ServerContainer}'s class is in {@code org.eclipse.jetty.}; per session,
 * that it is of the class the handles were looked up for and has no negotiated extension.
 *
 * <p>How it falls back: where the handles cannot be found, or for such a session, the session gets the
 * portable sink, the first such session logged as a WARNING ({@code SessionSinks.accelerated}).
 * {@code connection.writePath=portable} rules this package out.
 *
 * <p>Its rule: the only package of the WAR that may name Jetty (as strings; it imports none of its
 * types) ({@code PackageRulesTest}); it depends on {@code websocket} and {@code stream}.
 */
package io.quotecast.websocket.jetty;
