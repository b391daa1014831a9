import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Convener's local Neo4j: an embedded DBMS with the Bolt connector on a loopback address.
 *
 * Usage: java -cp 'lib/*' Launcher.java --home DIR --port N [--host 127.0.0.1]
 *        [--pagecache BYTES] [--settings FILE] [--watch-stdin]
 *
 * --settings names a file of Neo4j settings (name=value lines, as in neo4j.conf) read after
 * the ones here, for a caller that needs others (a test session's planning, say).
 *
 * Prints "CONVENER-NEO4J READY bolt://HOST:PORT" once Bolt accepts connections and shuts the
 * DBMS down cleanly on SIGTERM/SIGINT. With --watch-stdin it also shuts down when its standard
 * input closes, so a parent that dies without cleaning up never leaves an orphaned JVM behind.
 */
public final class Launcher {
    private static final Duration SHUTDOWN_WAIT = Duration.ofMillis(100);
    // One transaction may use at most this much of the transactions' shared memory pool, so a
    // single expensive query fails on its own instead of starving every other one.
    private static final long TRANSACTION_MAX_BYTES = 512L * 1024 * 1024;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(require(options, "home")).toAbsolutePath();
        String host = options.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(require(options, "port"));

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, TRANSACTION_MAX_BYTES)
                // Keep-alive NOOPs while results stream, not during every request: with ALL (the
                // default) the server hints a receive timeout, and the Python driver on Python
                // 3.11 then wraps every socket read in a task and a timer (about 2 ms of CPU for a
                // page of 20 rows, in the hub and in anything else reading through the driver).
                .setConfig(BoltConnector.connection_keep_alive_type,
                        BoltConnector.KeepAliveRequestType.STREAMING)
                // Bolt waits for its connections and then its threads on shutdown (5 s each by
                // default), and every stop pays both; a local server has nobody to wait for.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, SHUTDOWN_WAIT)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, SHUTDOWN_WAIT);
        if (options.containsKey("pagecache")) {
            builder.setConfig(GraphDatabaseSettings.pagecache_memory,
                    Long.parseLong(options.get("pagecache")));
        }
        if (options.containsKey("settings")) {
            builder.loadPropertiesFromFile(Path.of(options.get("settings")));
        }
        DatabaseManagementService dbms = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "convener-neo4j-shutdown"));

        if (options.containsKey("watch-stdin")) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                System.exit(0);
            }, "convener-neo4j-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        System.out.println("CONVENER-NEO4J READY bolt://" + host + ":" + port);
        System.out.flush();
        stopped.await();
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Nothing to read: the pipe only tells us the parent is alive.
            }
        } catch (IOException ignored) {
            // A broken pipe means the same as end of input: the parent is gone.
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("watch-stdin")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing option --" + name);
        }
        return value;
    }
}
