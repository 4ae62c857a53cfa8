package dev.weft.http;

import dev.weft.concurrent.Loop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the HTTP connections: closes one at once when its client address already holds
 * {@link HttpLimits#maxPerAddress()} of them, and closes any that has not sent a whole request head within
 * {@link HttpLimits#headerTimeout()} of opening or of its previous answer (a slow-header client holds no thread,
 * only a connection, and this bounds how long). {@link BodyPrefetch} tells it when a request starts and ends.
 */
public final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final Duration SWEEP_EVERY = Duration.ofMillis(250);

    /** A connection's state: requests in progress, and since when it has had none (System.nanoTime). */
    private static final class Watch {
        final InetAddress address;
        int active;
        long idleSince = System.nanoTime();

        Watch(InetAddress address) {
            this.address = address;
        }
    }

    private final HttpLimits limits;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private Loop sweeper;

    public ConnectionGuard(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doStart() {
        sweeper = Loop.every("weft-http-guard", SWEEP_EVERY, this::sweep).start();
    }

    @Override
    protected void doStop() {
        sweeper.close();
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection.getEndPoint().getRemoteSocketAddress());
        Watch watch = new Watch(address);
        watched.put(connection, watch);
        if (address == null) return;
        int count = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (count > limits.maxPerAddress()) {
            if (refused.getAndIncrement() % 1000 == 0) {
                log.warn("{} holds {} connections (limit {}); closing the new ones", address.getHostAddress(), count - 1,
                        limits.maxPerAddress());
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Watch watch = watched.remove(connection);
        if (watch == null || watch.address == null) return;
        perAddress.computeIfPresent(watch.address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** A request's head arrived on {@code connection}: it is exempt from the header deadline until it ends. */
    void requestStarted(Connection connection) {
        Watch watch = watched.get(connection);
        if (watch == null) return;
        synchronized (watch) {
            watch.active++;
        }
    }

    /** A request on {@code connection} has been answered: the next head is due within the header timeout. */
    void requestEnded(Connection connection) {
        Watch watch = watched.get(connection);
        if (watch == null) return;
        synchronized (watch) {
            watch.active--;
            watch.idleSince = System.nanoTime();
        }
    }

    /** Connections open now from {@code address}. */
    public int connections(InetAddress address) {
        AtomicInteger count = perAddress.get(address);
        return count == null ? 0 : count.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        long limit = limits.headerTimeout().toNanos();
        watched.forEach((connection, watch) -> {
            boolean overdue;
            synchronized (watch) {
                overdue = watch.active == 0 && now - watch.idleSince > limit;
            }
            if (overdue) connection.getEndPoint().close();
        });
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
