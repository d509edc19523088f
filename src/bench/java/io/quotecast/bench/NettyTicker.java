package io.quotecast.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.quotecast.config.Settings;
import io.quotecast.market.Quote;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.websocket.QuoteEncoder;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The best-practice Netty 4.1 broadcaster the benchmark measures Quotecast against, in its own JVM:
 * {@code java -cp ... io.quotecast.bench.NettyTicker}, reading the same settings (server.host,
 * server.port, feed.*) as Quotecast. The epoll transport with one event loop per core; the
 * WebSocket upgrade on {@code /quotes} by Netty's own handlers; the textbook peer's protocol subset
 * (hello, {@code list}, {@code subscribe} in a message or the URL, quote frames). The feed's thread
 * encodes each tick once into one buffer and hands each event loop that has subscribers of the symbol
 * one task, which writes a duplicate of that buffer to each of them, flushed at once: no gathering.
 * A channel whose outbound buffer is over Netty's high-water mark (64 KiB) is skipped, so a client
 * that stops reading costs bounded memory, as Netty's documentation recommends.
 */
public final class NettyTicker {

    private static final AttributeKey<int[]> SYMBOLS = AttributeKey.valueOf("symbols");

    /** The subscribers of one event loop, by symbol: touched on that loop only, counted for the feed. */
    private static final class LoopSubscribers {
        final List<List<Channel>> bySymbol = new ArrayList<>();
        final AtomicIntegerArray counts;

        LoopSubscribers(int symbols) {
            counts = new AtomicIntegerArray(symbols);
            for (int i = 0; i < symbols; i++) {
                bySymbol.add(new ArrayList<>());
            }
        }
    }

    private final SymbolCatalog catalog;
    private final QuoteEncoder json = new QuoteEncoder();
    private final Map<EventLoop, LoopSubscribers> loops = new ConcurrentHashMap<>();
    private final SimulatedMarket market;

    private NettyTicker(Settings settings) {
        this.catalog = SymbolCatalog.load(settings.feed().symbols());
        this.market = new SimulatedMarket(catalog, settings.feed().ticksPerSecond(), settings.feed().seed(), this::fanOut);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load();
        NettyTicker ticker = new NettyTicker(settings);
        EpollEventLoopGroup group = new EpollEventLoopGroup(Runtime.getRuntime().availableProcessors());
        WebSocketServerProtocolConfig upgrade = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/quotes").checkStartsWith(true).subprotocols("quotecast.v1").build();
        Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketServerProtocolHandler(upgrade), ticker.new Client());
                    }
                })
                .bind(settings.server().host(), settings.server().port()).sync().channel();
        ticker.market.start();
        int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ticker.market.close();
            group.shutdownGracefully();
        }));
        System.out.printf("Netty ticker: stream ws://%s:%d/quotes%n", settings.server().host(), port);
        server.closeFuture().sync();
    }

    /** On the feed's thread: one encoding, one buffer, one task per event loop with subscribers of the symbol. */
    private void fanOut(Quote quote) {
        int symbol = catalog.indexOf(quote.symbol());
        ByteBuf text = null;
        for (Map.Entry<EventLoop, LoopSubscribers> entry : loops.entrySet()) {
            LoopSubscribers subscribers = entry.getValue();
            if (subscribers.counts.get(symbol) == 0) {
                continue;
            }
            if (text == null) {
                text = ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, json.encode(quote));
            }
            TextWebSocketFrame frame = new TextWebSocketFrame(text.retainedDuplicate());
            entry.getKey().execute(() -> {
                for (Channel channel : subscribers.bySymbol.get(symbol)) {
                    if (channel.isWritable()) {
                        channel.writeAndFlush(frame.retainedDuplicate(), channel.voidPromise());
                    }
                }
                frame.release();
            });
        }
        if (text != null) {
            text.release();
        }
    }

    /** One connection's protocol, on its event loop. */
    private final class Client extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                ctx.channel().attr(SYMBOLS).set(new int[0]);
                send(ctx, Json.createObjectBuilder().add("type", "hello").add("protocol", "quotecast.v1")
                        .add("server", "netty-peer").add("symbols", catalog.size()).add("epoch", market.epoch())
                        .addNull("user").build());
                List<String> query = new QueryStringDecoder(handshake.requestUri()).parameters().get("symbols");
                if (query != null) {
                    subscribe(ctx, String.join(",", query).split(","));
                }
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            JsonObject message = Json.createReader(new StringReader(frame.text())).readObject();
            switch (message.getString("action", "")) {
                case "list" -> {
                    JsonArrayBuilder symbols = Json.createArrayBuilder();
                    for (Symbol symbol : catalog.all()) {
                        symbols.add(Json.createObjectBuilder().add("symbol", symbol.ticker())
                                .add("name", symbol.name()).add("currency", symbol.currency()));
                    }
                    send(ctx, Json.createObjectBuilder().add("type", "symbols").add("symbols", symbols).build());
                }
                case "subscribe" -> subscribe(ctx, message.getJsonArray("symbols").getValuesAs(JsonString.class)
                        .stream().map(JsonString::getString).toArray(String[]::new));
                default -> send(ctx, Json.createObjectBuilder().add("type", "error").add("code", "unknown_action")
                        .add("message", "this peer serves list and subscribe").build());
            }
        }

        private void subscribe(ChannelHandlerContext ctx, String[] tickers) {
            LoopSubscribers subscribers = loops.computeIfAbsent(ctx.channel().eventLoop(), l -> new LoopSubscribers(catalog.size()));
            int[] held = ctx.channel().attr(SYMBOLS).get();
            JsonArrayBuilder added = Json.createArrayBuilder();
            for (String ticker : tickers) {
                int symbol = catalog.indexOf(ticker.strip().toUpperCase());
                if (symbol < 0 || java.util.Arrays.stream(held).anyMatch(s -> s == symbol)) {
                    continue;
                }
                subscribers.bySymbol.get(symbol).add(ctx.channel());
                subscribers.counts.incrementAndGet(symbol);
                held = java.util.Arrays.copyOf(held, held.length + 1);
                held[held.length - 1] = symbol;
                added.add(catalog.get(symbol).ticker());
            }
            ctx.channel().attr(SYMBOLS).set(held);
            send(ctx, Json.createObjectBuilder().add("type", "subscribed").add("symbols", added).build());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            int[] held = ctx.channel().attr(SYMBOLS).getAndSet(new int[0]);
            LoopSubscribers subscribers = loops.get(ctx.channel().eventLoop());
            if (held != null && subscribers != null) {
                for (int symbol : held) {
                    subscribers.bySymbol.get(symbol).remove(ctx.channel());
                    subscribers.counts.decrementAndGet(symbol);
                }
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void send(ChannelHandlerContext ctx, JsonValue message) {
            ctx.writeAndFlush(new TextWebSocketFrame(message.toString()));
        }
    }
}
