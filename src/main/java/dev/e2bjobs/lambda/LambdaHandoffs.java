package dev.e2bjobs.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.AwsAccess;
import dev.e2bjobs.job.CallbackTrigger;
import dev.e2bjobs.job.FollowTrigger;
import dev.e2bjobs.job.LaunchTrigger;
import dev.e2bjobs.ops.EmfLine;
import dev.e2bjobs.ops.Metrics;
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
 * Hand-offs to other functions through Lambda's asynchronous invoke ({@code InvocationType=Event}):
 * queued jobs to the launch function, ended jobs' callbacks to the notify function, running jobs
 * somebody is to be told about to the follow function. Lambda queues the
 * event and answers 202 at once, and retries a failed invocation twice; a hand-off that fails here is
 * logged, and the sweep (launches) or nobody (callbacks: best effort) picks it up.
 */
@ApplicationScoped
public class LambdaHandoffs implements LaunchTrigger, CallbackTrigger, FollowTrigger {
    private static final Logger LOG = Logger.getLogger(LambdaHandoffs.class);

    private final LambdaClient lambda;
    private final String launchFunction;
    private final String notifyFunction;
    private final String followFunction;
    private final ObjectMapper json;
    private final Metrics metrics;

    LambdaHandoffs(AppConfig config, ObjectMapper json, Metrics metrics) {
        LambdaClientBuilder builder = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(AwsAccess.region(config)).credentialsProvider(AwsAccess.credentials(config));
        config.launch().endpoint().ifPresent(builder::endpointOverride);
        this.lambda = builder.build();
        this.launchFunction = config.launch().function();
        this.notifyFunction = config.webhooks().function();
        this.followFunction = config.follow().function();
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void trigger(String reason, List<String> jobIds) {
        ObjectNode event = json.createObjectNode().put("reason", reason);
        ArrayNode ids = event.putArray("jobIds");
        jobIds.forEach(ids::add);
        invoke(launchFunction, event, jobIds.isEmpty() ? "queued jobs" : jobIds.toString());
    }

    @Override
    public void trigger(String jobId) {
        invoke(notifyFunction, json.createObjectNode().put("jobId", jobId), "the callback of job " + jobId);
    }

    @Override
    public void follow(String jobId) {
        invoke(followFunction, json.createObjectNode().put("jobId", jobId), "following job " + jobId);
    }

    private void invoke(String function, ObjectNode event, String what) {
        try {
            lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(event.toString())));
        } catch (SdkException e) {
            LOG.warnf("could not hand %s to %s (%s)", what, function, e.getMessage());
            metrics.emit(metrics.line().property("function", function).metric("HandoffFailures", EmfLine.Unit.COUNT, 1));
        }
    }

    @PreDestroy
    void close() {
        lambda.close();
    }
}
