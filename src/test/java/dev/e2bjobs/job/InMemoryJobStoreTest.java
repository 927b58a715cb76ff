package dev.e2bjobs.job;

/** The in-memory store the domain tests use keeps the JobStore contract. */
class InMemoryJobStoreTest extends JobStoreContract {

    @Override
    protected JobStore newStore() {
        return new InMemoryJobStore();
    }
}
