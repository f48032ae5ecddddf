package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.Scheduler;
import io.mlvpn.api.scheduler.SchedulerContract;

class RedundantThreeSchedulerContractTest extends SchedulerContract {
    @Override
    protected Scheduler newScheduler() {
        return new RedundantScheduler(3);
    }
}
