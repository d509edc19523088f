package io.quotecast.bench;

import io.quotecast.cluster.EmbeddedBroker;

import java.util.concurrent.CountDownLatch;

/**
 * The cluster benchmark's broker in a JVM of its own (Artemis, as {@code broker.embedded} starts it), so
 * that its CPU is measured apart from the nodes'. {@code java -Dbroker.url=tcp://127.0.0.1:PORT ... BrokerProcess}.
 */
public final class BrokerProcess {

    private BrokerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedBroker broker = EmbeddedBroker.start(System.getProperty("broker.url"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println("broker ready at " + System.getProperty("broker.url"));
        stopped.await();
    }
}
