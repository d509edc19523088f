package io.quotecast.web;

import io.quotecast.Quotecast;
import io.quotecast.config.Settings;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * The WAR's wiring: the feed starts when the application is deployed and stops, closing every
 * client with 1001, when it is undeployed. The container deploys the annotated endpoint itself.
 */
@WebListener
public class QuotecastWebListener implements ServletContextListener {

    /** Where the servlets of /health and /metrics find the application. */
    private static final String ATTRIBUTE = Quotecast.class.getName();

    private Quotecast quotecast;

    /** The application this WAR started, or null before the start and after the stop. */
    static Quotecast running(ServletContext context) {
        return (Quotecast) context.getAttribute(ATTRIBUTE);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        quotecast = Quotecast.start(Settings.load());
        event.getServletContext().setAttribute(ATTRIBUTE, quotecast);
        event.getServletContext().log("Quotecast started: " + quotecast.hub().catalog().size() + " symbols");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (quotecast != null) {
            quotecast.close();
            quotecast = null;
        }
    }
}
