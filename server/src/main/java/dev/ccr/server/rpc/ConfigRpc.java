package dev.ccr.server.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.gson.JsonElement;
import dev.ccr.protocol.config.ConfigChangeResult;
import dev.ccr.protocol.config.ConfigResult;
import dev.ccr.protocol.config.ConfigService;
import dev.ccr.protocol.config.EndpointChangeParams;
import dev.ccr.protocol.config.RemoveEndpointParams;
import dev.ccr.protocol.config.SetCacheParams;
import dev.ccr.protocol.config.SetDefaultEndpointParams;
import dev.ccr.protocol.config.SetLimitsParams;
import dev.ccr.protocol.config.SetRoutesParams;
import dev.ccr.protocol.config.ValidateConfigParams;
import dev.ccr.protocol.config.ValidateConfigResult;
import dev.ccr.server.config.ConfigEditException;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigFileEditor;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigProblem;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** {@code config/*}: reads through the supervisor, changes through the {@link ConfigFileEditor}, then reloads. */
final class ConfigRpc implements ConfigService {
    private final ProxySupervisor supervisor;
    private final ConfigFileEditor editor;
    private final ConfigLoader loader;
    private final Executor worker;

    ConfigRpc(ProxySupervisor supervisor, ConfigFileEditor editor, ConfigLoader loader, Executor worker) {
        this.supervisor = supervisor;
        this.editor = editor;
        this.loader = loader;
        this.worker = worker;
    }

    @Override
    public CompletableFuture<ConfigResult> get() {
        return CompletableFuture.supplyAsync(this::current, worker);
    }

    /** The config in force, or when none loaded yet, the built-in defaults. */
    ConfigResult current() {
        EffectiveConfig config = supervisor.snapshot().config();
        List<ConfigProblem> warnings = List.of();
        try {
            ConfigLoader.Loaded loaded = loader.load(editor.file(), supervisor.overrides());
            warnings = loaded.warnings();
            if (config == null) {
                config = loaded.config();
            }
        } catch (ConfigException e) {
            if (config == null) {
                try {
                    config = loader.defaults(editor.file(), supervisor.overrides())
                            .config();
                } catch (ConfigException impossible) {
                    throw new IllegalStateException("the built-in defaults are invalid", impossible);
                }
            }
        }
        return ConfigViews.of(config, warnings, editor.file());
    }

    @Override
    public CompletableFuture<ValidateConfigResult> validate(ValidateConfigParams params) {
        if (params == null || params.text() == null) {
            return CompletableFuture.failedFuture(RpcErrors.invalidParams("config/validate needs the text to check"));
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        ConfigLoader.Loaded loaded = editor.validate(params.text());
                        return new ValidateConfigResult(
                                true, List.of(), ConfigViews.problems(withoutFile(loaded.warnings())));
                    } catch (ConfigException e) {
                        return new ValidateConfigResult(
                                false, ConfigViews.problems(withoutFile(e.problems())), List.of());
                    }
                },
                worker);
    }

    /** Text under validation is not the file: its problems name no file. */
    private static List<ConfigProblem> withoutFile(List<ConfigProblem> problems) {
        return problems.stream()
                .map(p -> new ConfigProblem(null, p.line(), p.column(), p.path(), p.message()))
                .toList();
    }

    @Override
    public CompletableFuture<ConfigChangeResult> addEndpoint(EndpointChangeParams params) {
        return change(params == null ? null : params.endpoint(), params != null && params.dryRun(), document -> {
            if (document.endpointNames().contains(params.endpoint().name())) {
                throw new ConfigEditException(
                        ConfigEditException.Kind.ENDPOINT_EXISTS,
                        "an endpoint named \"" + params.endpoint().name() + "\" exists already; choose another"
                                + " name or update it");
            }
            document.addEndpoint(EndpointJson.of(params.endpoint()));
        });
    }

    @Override
    public CompletableFuture<ConfigChangeResult> updateEndpoint(EndpointChangeParams params) {
        return change(
                params == null ? null : params.endpoint(),
                params != null && params.dryRun(),
                document -> EndpointJson.update(document, params.endpoint()));
    }

    @Override
    public CompletableFuture<ConfigChangeResult> removeEndpoint(RemoveEndpointParams params) {
        return change(
                params == null ? null : params.name(),
                params != null && params.dryRun(),
                document -> document.removeEndpoint(params.name()));
    }

    @Override
    public CompletableFuture<ConfigChangeResult> setDefaultEndpoint(SetDefaultEndpointParams params) {
        return change(
                params == null ? null : params.name(),
                params != null && params.dryRun(),
                document -> document.setSection("defaultEndpoint", TextNode.valueOf(params.name())));
    }

    @Override
    public CompletableFuture<ConfigChangeResult> setCache(SetCacheParams params) {
        return change(params == null ? null : params.cache(), params != null && params.dryRun(), document -> {
            if (params.cache().enabled() != null) {
                document.setInSection(
                        "cache", "enabled", BooleanNode.valueOf(params.cache().enabled()));
            }
            if (params.cache().ttlSeconds() != null) {
                document.setInSection(
                        "cache", "ttl", IntNode.valueOf(params.cache().ttlSeconds()));
            }
        });
    }

    @Override
    public CompletableFuture<ConfigChangeResult> setRoutes(SetRoutesParams params) {
        return change(
                params,
                params != null && params.dryRun(),
                document -> document.setSection("routes", jackson(params.routes())));
    }

    @Override
    public CompletableFuture<ConfigChangeResult> setLimits(SetLimitsParams params) {
        return change(
                params,
                params != null && params.dryRun(),
                document -> document.setSection("limits", jackson(params.limits())));
    }

    /**
     * Applies a change to the file on the worker; when it was written, reloads it so the answer goes out only once the
     * change is in force.
     *
     * @param required what the params must carry; null fails the request with INVALID_PARAMS
     */
    private CompletableFuture<ConfigChangeResult> change(
            Object required, boolean dryRun, ConfigFileEditor.Change change) {
        if (required == null) {
            return CompletableFuture.failedFuture(
                    RpcErrors.invalidParams("the params are missing what this change needs"));
        }
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return editor.change(change, dryRun);
                            } catch (ConfigEditException e) {
                                throw new CompletionException(e);
                            }
                        },
                        worker)
                .thenCompose(outcome -> {
                    ConfigChangeResult result = new ConfigChangeResult(
                            outcome.written(),
                            ConfigViews.problems(outcome.loaded().warnings()));
                    return outcome.written()
                            ? supervisor.reload().thenApply(applied -> result)
                            : CompletableFuture.completedFuture(result);
                });
    }

    private static JsonNode jackson(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(value.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Gson wrote JSON that Jackson cannot read", e);
        }
    }
}
