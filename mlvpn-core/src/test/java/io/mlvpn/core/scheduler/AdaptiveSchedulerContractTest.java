package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.api.scheduler.SchedulerContract;

class AdaptiveSchedulerContractTest extends SchedulerContract {
    @Override
    protected Scheduler newScheduler() {
        return new AdaptiveScheduler();
    }
}
