package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.api.scheduler.SchedulerContract;

class WeightedRoundRobinSchedulerContractTest extends SchedulerContract {
    @Override
    protected Scheduler newScheduler() {
        return new WeightedRoundRobinScheduler();
    }
}
