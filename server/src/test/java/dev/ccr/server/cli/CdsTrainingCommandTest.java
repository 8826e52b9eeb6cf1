package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CdsTrainingCommandTest {
    @Test
    void theTrainingRunStartsTheRouterAnswersThroughItAndStops() {
        // What the launcher runs under -XX:ArchiveClassesAtExit: it must succeed on its own, touching nothing of the
        // user's (loopback only, a temporary home, no state file), or the launcher records a failed training.
        assertThat(Main.run("cds-training")).isEqualTo(ExitCodes.OK);
    }
}
