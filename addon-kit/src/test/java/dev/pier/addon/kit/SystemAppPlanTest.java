package dev.pier.addon.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.addon.kit.SystemAppPlan.Action;
import dev.pier.addon.kit.SystemAppPlan.Observed;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SystemAppPlanTest {
    static final UUID OLD = UUID.randomUUID();
    static final UUID NEW = UUID.randomUUID();

    @Test
    void aNewClusterGetsTheAppThenTheReleaseThenOneJob() {
        assertThat(SystemAppPlan.next(new Observed(false, null, false, null, false, 0, 0))).isEqualTo(Action.CREATE_APP);
        assertThat(SystemAppPlan.next(new Observed(true, null, false, null, false, 0, 0))).isEqualTo(Action.CREATE_RELEASE);
        assertThat(SystemAppPlan.next(new Observed(true, null, false, NEW, true, 0, 0)))
                .isEqualTo(Action.WAIT_FOR_DEPLOYMENT);
        assertThat(SystemAppPlan.next(new Observed(true, NEW, true, NEW, false, 0, 0))).isEqualTo(Action.SCALE_TO_ONE);
        assertThat(SystemAppPlan.next(new Observed(true, NEW, true, NEW, false, 1, 1))).isEqualTo(Action.DONE);
    }

    @Test
    void aNewImageStopsTheOldJobBeforeTheNewReleaseRuns() {
        assertThat(SystemAppPlan.next(new Observed(true, OLD, false, null, false, 1, 1))).isEqualTo(Action.STOP_OLD_JOB);
        assertThat(SystemAppPlan.next(new Observed(true, OLD, false, null, false, 0, 1)))
                .isEqualTo(Action.WAIT_FOR_OLD_JOB);
        assertThat(SystemAppPlan.next(new Observed(true, OLD, false, null, false, 0, 0))).isEqualTo(Action.CREATE_RELEASE);
        // a release made earlier (its deployment failed or was cut short) is deployed again, not made twice
        assertThat(SystemAppPlan.next(new Observed(true, OLD, false, NEW, false, 0, 0))).isEqualTo(Action.DEPLOY);
    }

    @Test
    void anOperatorsScaleIsPutBackToOne() {
        assertThat(SystemAppPlan.next(new Observed(true, NEW, true, NEW, false, 0, 0))).isEqualTo(Action.SCALE_TO_ONE);
        assertThat(SystemAppPlan.next(new Observed(true, NEW, true, NEW, false, 3, 3))).isEqualTo(Action.SCALE_TO_ONE);
    }
}
