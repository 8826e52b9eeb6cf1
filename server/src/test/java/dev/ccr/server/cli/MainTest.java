package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {
    @Test
    void eachSubcommandIsListedUnderItsOwnName() {
        for (Map.Entry<String, Class<?>> entry : CcrCommand.SUBCOMMANDS.entrySet()) {
            assertThat(entry.getValue().getAnnotation(Command.class).name()).isEqualTo(entry.getKey());
        }
    }

    @Test
    void aCommandLineThatNamesASubcommandBuildsOnlyThatOne() {
        assertThat(Main.commandLine("start", "--port", "0").getSubcommands()).containsOnlyKeys("start");
        assertThat(Main.commandLine("completion", "fish").getSubcommands())
                .as("the completion command builds the whole tree itself, only when it runs")
                .containsOnlyKeys("completion");
        assertThat(Main.commandLine("code", "-p", "hi")
                        .getSubcommands()
                        .get("code")
                        .isStopAtPositional())
                .isTrue();
    }

    @Test
    void helpAndUnknownWordsGetTheWholeTree() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "start"}, {"strat"}}) {
            CommandLine cli = Main.commandLine(args);
            assertThat(cli.getSubcommands().keySet()).containsExactlyElementsOf(CcrCommand.SUBCOMMANDS.keySet());
        }
    }

    @Test
    void theTrainingRunIsNotAdvertised() {
        assertThat(Main.commandLine()
                        .getSubcommands()
                        .get("cds-training")
                        .getCommandSpec()
                        .usageMessage()
                        .hidden())
                .isTrue();
    }
}
