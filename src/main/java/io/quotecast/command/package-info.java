/**
 * The standalone jar's commands: {@code java -jar quotecast-standalone.jar COMMAND ...}, dispatched by
 * {@code server.Main} before it would start the server ({@link io.quotecast.command.Commands}):
 * {@code tail}, a terminal watcher on the Java client, and {@code mint-token}, the test-token minter.
 *
 * <p>Its rule: it names the client, the market's value types and the token minter in {@code security},
 * nothing of the transport or the server, so that a command never starts one by accident.
 */
package io.quotecast.command;
