package dev.e2bjobs.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.AwsAccess;
import dev.e2bjobs.job.LaunchTrigger;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * The hand-off to the launch function: Lambda's asynchronous invoke ({@code InvocationType=Event}).
 * Lambda queues the event and answers 202 at once, retries a failed launch twice, and scales the
 * launch function out; a hand-off that fails here is logged, and the sweep launches the job later.
 */
@ApplicationScoped
public class LambdaLaunchTrigger implements LaunchTrigger {
    private static final Logger LOG = Logger.getLogger(LambdaLaunchTrigger.class);

    private final LambdaClient lambda;
    private final String function;
    private final ObjectMapper json;

    LambdaLaunchTrigger(AppConfig config, ObjectMapper json) {
        LambdaClientBuilder builder = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(AwsAccess.region(config)).credentialsProvider(AwsAccess.credentials(config));
        config.launch().endpoint().ifPresent(builder::endpointOverride);
        this.lambda = builder.build();
        this.function = config.launch().function();
        this.json = json;
    }

    @Override
    public void trigger(String reason, List<String> jobIds) {
        ObjectNode event = json.createObjectNode().put("reason", reason);
        ArrayNode ids = event.putArray("jobIds");
        jobIds.forEach(ids::add);
        try {
            lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(event.toString())));
        } catch (SdkException e) {
            LOG.warnf("could not hand %s to %s (%s); the sweep will launch them", jobIds.isEmpty() ? "queued jobs" : jobIds, function, e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        lambda.close();
    }
}
