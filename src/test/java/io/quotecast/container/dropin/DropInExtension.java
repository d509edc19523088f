package io.quotecast.container.dropin;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

import java.util.Set;

/**
 * Registers {@link DropInContainer}, but only when the failsafe execution launches one of its servers
 * ({@code -Darquillian.launch}, pom.xml): the GlassFish and WildFly adapters are on the test classpath
 * too, and Arquillian takes one {@link DeployableContainer}.
 */
public final class DropInExtension implements LoadableExtension {

    /** The qualifiers in arquillian.xml this container serves. */
    static final Set<String> QUALIFIERS = Set.of("tomcat10", "tomcat11", "jetty", "liberty", "payara");

    @Override
    public void register(ExtensionBuilder builder) {
        if (QUALIFIERS.contains(System.getProperty("arquillian.launch", ""))) {
            builder.service(DeployableContainer.class, DropInContainer.class);
        }
    }
}
