package dev.e2bjobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.e2bjobs.ops.LogContext;
import io.quarkus.funqy.lambda.FunqyStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jboss.logging.MDC;

/**
 * The functions' Lambda handler: Funqy's, with the invocation's request id in the MDC of the lines it
 * logs. Lambda's Java runtime hands the request id only to the handler (in {@link Context}), and
 * Funqy does not pass it on; Quarkus' own poll loop (native, custom runtime) sets the same MDC key.
 */
public class RequestIdStreamHandler implements RequestStreamHandler {
    private final FunqyStreamHandler funqy = new FunqyStreamHandler(); // starts Quarkus, logging included

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(LogContext.AWS_REQUEST_ID, context.getAwsRequestId());
        }
        try {
            funqy.handleRequest(input, output, context);
        } finally {
            MDC.remove(LogContext.AWS_REQUEST_ID);
        }
    }
}
