package dev.e2bjobs.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local as a child process of the local stack, in memory, on 127.0.0.1 only:
 * {@code DynamoDbLocalMain <port>}. Prints "ready" once it accepts requests; runs until killed.
 */
public final class DynamoDbLocalMain {
    private DynamoDbLocalMain() {
    }

    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-sharedDb", "-port", args[0], "-disableTelemetry"});
        onLoopbackOnly(server);
        server.start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** DynamoDB Local binds every interface and has no option for it; its Jetty connector gets 127.0.0.1. */
    static void onLoopbackOnly(DynamoDBProxyServer server) throws ReflectiveOperationException {
        Field jetty = DynamoDBProxyServer.class.getDeclaredField("server");
        jetty.setAccessible(true);
        ((ServerConnector) ((Server) jetty.get(server)).getConnectors()[0]).setHost("127.0.0.1");
    }
}
