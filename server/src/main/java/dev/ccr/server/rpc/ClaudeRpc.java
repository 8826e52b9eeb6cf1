package dev.ccr.server.rpc;

import dev.ccr.protocol.claude.ClaudeDisableParams;
import dev.ccr.protocol.claude.ClaudeEnableParams;
import dev.ccr.protocol.claude.ClaudeService;
import dev.ccr.protocol.claude.ClaudeSettingsResult;
import dev.ccr.protocol.claude.ClaudeStatusParams;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.claude.ClaudeSettingsException;
import dev.ccr.server.claude.ClientEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** {@code claude/*}: the same {@link ClaudeSettings} as {@code ccr claude}, for this router's address. */
final class ClaudeRpc implements ClaudeService {
    /** A settings operation that may fail. */
    @FunctionalInterface
    private interface Operation {
        ClaudeSettingsResult run(ClientEnvironment target, List<Path> projectDirs) throws ClaudeSettingsException;
    }

    private final ClaudeSettings settings;
    private final Supplier<ClientEnvironment> target;
    private final Supplier<List<Path>> workspaceFolders;
    private final Runnable routingChanged;
    private final Executor worker;

    /**
     * @param target what Claude Code should use to reach this router now
     * @param routingChanged told after each change, so the status follows
     */
    ClaudeRpc(
            ClaudeSettings settings,
            Supplier<ClientEnvironment> target,
            Supplier<List<Path>> workspaceFolders,
            Runnable routingChanged,
            Executor worker) {
        this.settings = settings;
        this.target = target;
        this.workspaceFolders = workspaceFolders;
        this.routingChanged = routingChanged;
        this.worker = worker;
    }

    @Override
    public CompletableFuture<ClaudeSettingsResult> status(ClaudeStatusParams params) {
        return run(params == null ? null : params.projectDirs(), settings::status, false);
    }

    @Override
    public CompletableFuture<ClaudeSettingsResult> enable(ClaudeEnableParams params) {
        return run(
                params == null ? null : params.projectDirs(),
                (target, dirs) -> settings.enable(target, params == null ? null : params.models(), dirs),
                true);
    }

    @Override
    public CompletableFuture<ClaudeSettingsResult> disable(ClaudeDisableParams params) {
        return run(params == null ? null : params.projectDirs(), settings::disable, true);
    }

    private CompletableFuture<ClaudeSettingsResult> run(List<String> dirs, Operation operation, boolean changes) {
        return CompletableFuture.supplyAsync(
                () -> {
                    List<Path> projectDirs = dirs == null
                            ? workspaceFolders.get()
                            : dirs.stream().map(Path::of).toList();
                    try {
                        return operation.run(target.get(), projectDirs);
                    } catch (ClaudeSettingsException e) {
                        throw new CompletionException(e);
                    } finally {
                        if (changes) {
                            routingChanged.run();
                        }
                    }
                },
                worker);
    }
}
