package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesTest {

    @Test
    void everyExportedFunctionIsAFunctionEventsOrNotWithItsReservedConcurrency(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("template.yaml"), """
                Resources:
                  SweepFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      ReservedConcurrentExecutions: 1
                      Environment: {Variables: {QUARKUS_FUNQY_EXPORT: sweep}}
                      Events: {Schedule: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}}
                  LaunchFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: {Variables: {QUARKUS_FUNQY_EXPORT: launch}}
                  SweepLogs:
                    Type: AWS::Logs::LogGroup
                """);
        Routes routes = Routes.read(template);
        assertEquals(List.of("launch", "sweep"), routes.functions());
        assertEquals(Map.of("sweep", 1), routes.reservedConcurrency());
        assertEquals(List.of("sweep"), routes.scheduled());
        assertEquals(List.of(), routes.http());
    }
}
