package io.quotecast.bench;

import io.quotecast.config.Settings;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** The textbook ticker as a WAR ({@link WarBenchmark} builds it): the feed runs while it is deployed. */
@WebListener
public class TextbookWebListener implements ServletContextListener {

    private TextbookFeed feed;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        feed = new TextbookFeed(Settings.load());
        feed.start();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (feed != null) {
            feed.close();
        }
    }
}
