package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.json.Json;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccr status}: which routers run, where, for how long, with which endpoints. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = "Show running routers. Exit status 3 when none runs.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        List<RunState> live = new RunStateFiles(ConfigPaths.fromEnvironment().runDirectory()).live();
        if (json) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (RunState state : live) {
                ObjectNode entry = Json.MAPPER.valueToTree(state);
                JsonNode shared = RouterProbe.health(state.baseUrl()).path("shared");
                if (shared.isObject()) {
                    entry.set("shared", shared);
                }
                out.add(entry);
            }
            System.out.println(Json.write(out));
            return live.isEmpty() ? ExitCodes.NOT_RUNNING : ExitCodes.OK;
        }
        if (live.isEmpty()) {
            System.out.println("ccr is not running (start it with 'ccr start')");
            return ExitCodes.NOT_RUNNING;
        }
        for (RunState state : live) {
            JsonNode health = RouterProbe.health(state.baseUrl());
            System.out.println("ccr " + state.version() + " running on " + state.baseUrl() + " ("
                    + (health.isMissingNode() ? "NOT responding" : "responding") + ")");
            System.out.println("  pid:       " + state.pid() + " (" + state.mode() + ")");
            System.out.println("  uptime:    " + uptime(System.currentTimeMillis() - state.startedAt()));
            System.out.println("  endpoints: "
                    + String.join(
                            ", ",
                            state.endpoints().stream()
                                    .map(e -> e.equals(state.defaultEndpoint()) ? e + " (default)" : e)
                                    .toList()));
            System.out.println("  config:    " + state.configFile());
            JsonNode shared = health.path("shared");
            if (shared.isObject()) {
                System.out.println("  shared:    " + shared.path("store").asText() + " ("
                        + ("shared".equals(shared.path("state").asText())
                                ? "limits, budgets, breakers and cache shared with the team"
                                : "NOT shared: " + shared.path("error").asText("Redis unreachable")
                                        + "; limits are enforced by this instance alone")
                        + ")");
            }
        }
        return ExitCodes.OK;
    }

    static String uptime(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86400 + "d " + seconds % 86400 / 3600 + "h";
    }
}
