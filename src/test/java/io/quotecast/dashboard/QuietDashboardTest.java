package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's own controls, against a real server whose market barely moves (one tick in ~17 minutes), so
 * that an order by price is the same from one look to the next.
 */
@RealParts
class QuietDashboardTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "0.001");
    Dashboard page;

    @BeforeEach
    void openPage() {
        page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.waitLive(50);
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
    }

    @Test
    void filterAndWatchListSurviveAReload() {
        page.driver.findElement(By.cssSelector("tr[data-symbol='GLOBX'] button.star")).click();
        page.driver.findElement(By.cssSelector("tr[data-symbol='ACME'] button.star")).click();
        page.driver.findElement(By.cssSelector("label[for='watch-only']")).click();
        page.wait.until(d -> page.order().equals(List.of("ACME", "GLOBX")));
        page.driver.findElement(By.id("filter")).sendKeys("glo");
        page.wait.until(d -> page.order().equals(List.of("GLOBX")));

        page.driver.navigate().refresh();
        page.waitLive(1);
        assertEquals("glo", page.driver.findElement(By.id("filter")).getAttribute("value"));
        assertTrue(page.driver.findElement(By.id("watch-only")).isSelected(), "watch list only, still");
        assertEquals("true", page.driver.findElement(By.cssSelector("tr[data-symbol='ACME'] button.star"))
                .getAttribute("aria-pressed"));
        page.wait.until(d -> page.order().equals(List.of("GLOBX")));

        page.driver.findElement(By.id("filter")).sendKeys(Keys.ESCAPE);
        page.wait.until(d -> page.order().equals(List.of("ACME", "GLOBX")));
        page.driver.findElement(By.id("watch-only")).click();
        page.wait.until(d -> page.order().size() == 50);
    }

    @Test
    void sortsByTheColumnHeaders() {
        WebElement symbolHeader = page.driver.findElement(By.cssSelector("th[data-sort-key='symbol']"));
        WebElement priceHeader = page.driver.findElement(By.cssSelector("th[data-sort-key='price']"));
        assertEquals("ascending", symbolHeader.getAttribute("aria-sort"), "by symbol at first");
        assertEquals(sorted(page.order(), Comparator.naturalOrder()), page.order());

        page.driver.findElement(By.cssSelector("button[data-sort='price']")).click();
        page.lookAway(); // pointer or focus in the table would pause live re-sorting
        page.wait.until(ExpectedConditions.attributeToBe(priceHeader, "aria-sort", "descending"));
        assertNull(symbolHeader.getAttribute("aria-sort"));
        Map<String, Map<String, Object>> rows = page.rows();
        Comparator<String> byPrice = Comparator.comparingDouble(s -> ((Number) rows.get(s).get("price")).doubleValue());
        page.wait.withMessage(() -> "descending prices: " + page.order())
                .until(d -> page.order().equals(sorted(page.order(), byPrice.reversed())));

        page.driver.findElement(By.cssSelector("button[data-sort='price']")).sendKeys(Keys.ENTER); // by keyboard too
        page.lookAway();
        page.wait.until(ExpectedConditions.attributeToBe(priceHeader, "aria-sort", "ascending"));
        page.wait.withMessage(() -> "ascending prices: " + page.order())
                .until(d -> page.order().equals(sorted(page.order(), byPrice)));

        page.driver.navigate().refresh(); // the sort is remembered
        page.waitLive(50);
        page.wait.until(ExpectedConditions.attributeToBe(By.cssSelector("th[data-sort-key='price']"), "aria-sort", "ascending"));
    }

    private static List<String> sorted(List<String> symbols, Comparator<String> order) {
        return symbols.stream().sorted(order).toList();
    }
}
