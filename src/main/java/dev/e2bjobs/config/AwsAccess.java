package dev.e2bjobs.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Region and credentials for the AWS SDK clients the functions build themselves (S3, Lambda). */
public final class AwsAccess {
    private AwsAccess() {
    }

    public static Region region(AppConfig config) {
        return Region.of(config.aws().region());
    }

    /** The configured static credentials (local emulators), else the default chain (the function's role in AWS). */
    public static AwsCredentialsProvider credentials(AppConfig config) {
        AppConfig.Aws aws = config.aws();
        return aws.accessKeyId().isPresent() && aws.secretAccessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId().get(), aws.secretAccessKey().get().value()))
                : DefaultCredentialsProvider.builder().build();
    }
}
