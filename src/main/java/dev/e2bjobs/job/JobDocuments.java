package dev.e2bjobs.job;

/** How a job and a refusal are written down outside the API: the same JSON shapes the API answers with. */
public interface JobDocuments {

    /** The job as GET /jobs/{jobId} shows it, without the contents of its result files. */
    byte[] status(Job job);

    /** The problem JSON the API would answer {@code refused} with. */
    byte[] problem(JobRequestException refused);
}
