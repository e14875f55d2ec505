import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as the local stack runs it (see emulators.ts), with two things its own main
 * (ServerRunner) cannot do:
 * - listen on 127.0.0.1 only: its command line has no option for the address and its Jetty
 *   server listens on every interface, so this builds the server from the same command line,
 *   sets the address on its connector, and starts it;
 * - end with the local stack, however the stack ends: stdin is a pipe the stack holds and never
 *   writes to, and it closes when the stack's process exits (`kill -9` included).
 * Telemetry is left out: the local stack passes -disableTelemetry.
 */
public class LoopbackDynamoDB {
  public static void main(String[] args) throws Exception {
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // nothing is ever sent
        }
      } catch (IOException e) {
        // a broken pipe means the same: the stack is gone
      }
      System.exit(0);
    }, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (!(connector instanceof ServerConnector)) throw new IllegalStateException("unexpected connector " + connector);
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
  }
}
