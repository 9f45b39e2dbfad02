package sample;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public class Main {
    public static void main(String[] args) throws Exception {
        // the heap the JVM was given (-Xmx); Runtime.maxMemory() is that less a survivor space
        long maxHeap = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxHeapSize").getValue());
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.getInteger("server.port", 8080)), 0);
        server.createContext("/", exchange -> {
            String body = "JDBC_DATABASE_URL=" + System.getenv("JDBC_DATABASE_URL") + "\n"
                    + "JDBC_DATABASE_USERNAME=" + System.getenv("JDBC_DATABASE_USERNAME") + "\n"
                    + "JDBC_DATABASE_PASSWORD=" + System.getenv("JDBC_DATABASE_PASSWORD") + "\n"
                    + "SPRING_DATASOURCE_URL=" + System.getenv("SPRING_DATASOURCE_URL") + "\n"
                    + "max heap " + maxHeap / 1048576 + " MB\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }
}
