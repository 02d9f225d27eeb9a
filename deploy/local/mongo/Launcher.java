// Local MongoDB-wire server for Tidtam development: mongo-java-server 1.47.0.
// Run without a build step (classpath from deploy/local/mongo/pom.xml):
//   java -cp <classpath> deploy/local/mongo/Launcher.java --host 127.0.0.1 --port 27017 --store <file>|--memory

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.util.List;

public class Launcher {

    /** Reports MongoDB 4.4 (wire version 9): PyMongo >= 4.14 refuses anything older. */
    static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 27017;
        String store = null;
        boolean memory = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--store" -> store = args[++i];
                case "--memory" -> memory = true;
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (memory == (store != null)) {
            usage("give exactly one of --store <file> or --memory");
        }

        MongoBackend backend = memory ? new MemoryBackend() : new H2Backend(store);
        backend.version(MONGO_4_4);

        MongoServer server = new MongoServer(backend);
        // SIGTERM / SIGINT: stop accepting, close cursors and the backend (flushes the H2 store).
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "mongo-shutdown"));
        server.bind(host, port);
        System.out.printf("mongo-java-server listening on %s:%d (%s)%n",
                host, port, memory ? "in-memory" : "H2 store " + store);
        System.out.flush();
        // Netty's non-daemon event-loop threads keep the JVM alive until shutdown.
    }

    private static void usage(String error) {
        System.err.println(error);
        System.err.println("usage: Launcher [--host 127.0.0.1] [--port 27017] (--store <file> | --memory)");
        System.exit(2);
    }
}
