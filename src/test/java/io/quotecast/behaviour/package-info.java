/**
 * Behaviours of the quote stream that a client sees over the wire, written once as interfaces of
 * JUnit tests and run against every deployment: the standalone server and the WAR on each
 * application server. A class runs them by implementing the interface and naming its
 * {@link io.quotecast.testing.StreamServer}. Each test has an {@code @Order} between 500 and 599,
 * so that an application server's ordered checks run them between deploy and undeploy.
 */
package io.quotecast.behaviour;
