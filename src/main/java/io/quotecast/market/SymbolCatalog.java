package io.quotecast.market;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The symbols the market lists, in their listed order, each with a stable index so that per-symbol
 * state can live in plain arrays. Look-ups ignore case: clients may write {@code acme}.
 */
public final class SymbolCatalog {

    private static final BigDecimal DEFAULT_TICK_SIZE = new BigDecimal("0.01");

    private final List<Symbol> symbols;
    private final Map<String, Integer> indexByTicker;

    public SymbolCatalog(List<Symbol> symbols) {
        this.symbols = List.copyOf(symbols);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.symbols.size(); i++) {
            if (index.put(this.symbols.get(i).ticker(), i) != null) {
                throw new IllegalArgumentException("symbol listed twice: " + this.symbols.get(i).ticker());
            }
        }
        if (index.isEmpty()) {
            throw new IllegalArgumentException("the symbol list is empty");
        }
        this.indexByTicker = Map.copyOf(index);
    }

    /**
     * Reads a CSV list ({@code symbol,name,currency,previousClose[,tickSize]}, {@code #} comments) from
     * a file path if one exists there, else from the classpath.
     */
    public static SymbolCatalog load(String location) {
        Path path = Path.of(location);
        try (InputStream in = Files.isRegularFile(path)
                ? Files.newInputStream(path)
                : SymbolCatalog.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException("symbol list not found: " + location);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SymbolCatalog parse(BufferedReader reader) throws IOException {
        List<Symbol> symbols = new ArrayList<>();
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length < 4 || cells.length > 5) {
                throw new IllegalArgumentException("symbol list line " + lineNumber + ": expected 4 or 5 columns");
            }
            BigDecimal tickSize = cells.length == 5 ? new BigDecimal(cells[4].strip()) : DEFAULT_TICK_SIZE;
            symbols.add(new Symbol(cells[0].strip().toUpperCase(Locale.ROOT), cells[1].strip(), cells[2].strip(),
                    new BigDecimal(cells[3].strip()), tickSize));
        }
        return new SymbolCatalog(symbols);
    }

    public List<Symbol> all() {
        return symbols;
    }

    public int size() {
        return symbols.size();
    }

    public Symbol get(int index) {
        return symbols.get(index);
    }

    /** The index of a ticker in any case, or -1 when the market does not list it. */
    public int indexOf(String ticker) {
        Integer index = indexByTicker.get(ticker.toUpperCase(Locale.ROOT));
        return index == null ? -1 : index;
    }
}
