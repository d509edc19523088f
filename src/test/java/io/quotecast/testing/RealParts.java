package io.quotecast.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that needs real parts: a socket, a server (in-process or its own JVM), a browser, a child
 * process or a broker. {@code mvn test} (surefire) leaves it out, {@code mvn verify} runs it (failsafe's
 * {@code real-parts} execution, pom.xml), so that {@code mvn test} stays in memory and under a minute.
 *
 * <p>The rule: a {@code *Test} class that uses {@link ServerPerClass}, {@link RunningServer},
 * {@link NodeProcess}, {@link TestClient}, Chromium, Artemis, a process or a {@code java.net} socket, or a
 * helper that does, carries this annotation. {@code architecture.TierRulesTest} fails the fast tier on one
 * that does not (and on one that carries it without needing it). {@code *IT} classes need no tag: failsafe
 * runs them by their name.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag("real-parts")
public @interface RealParts {
}
