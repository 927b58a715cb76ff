package dev.e2bjobs.function;

import dev.e2bjobs.job.CallbackDelivery;
import dev.e2bjobs.job.LaunchReport;
import dev.e2bjobs.job.SweepReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Domain records some functions return as they are (launch, sweep, notify): Jackson writes them through
 * reflection, so the native image must keep them. Registered here, at the edge, so the domain stays free
 * of Quarkus annotations. NativeShapesTest finds any shape missing from here.
 */
@RegisterForReflection(targets = {LaunchReport.class, SweepReport.class, SweepReport.Step.class, CallbackDelivery.class,
        CallbackDelivery.State.class})
final class DomainResults {

    private DomainResults() {
    }
}
