package dev.ccr.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.Http;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccr service install | status | uninstall} on Linux, through the {@code ccr} launcher script as a user runs it:
 * the unit file is written where systemd looks, {@code systemctl} (a stand-in that records its arguments, since this
 * machine has no user session bus) is asked to enable and start it, and the router started exactly as the unit's
 * {@code ExecStart} and {@code Environment} say, with the little environment systemd gives, serves requests and stops
 * on the unit's {@code KillSignal}.
 */
@EnabledOnOs(OS.LINUX)
class ServiceIT {
    @TempDir
    Path home;

    private Process router;

    @AfterEach
    void stopRouter() {
        if (router != null) {
            router.destroyForcibly();
        }
    }

    private Path launcher() {
        return CcrProcess.jar().getParent().getParent().resolve("ccr");
    }

    private Map<String, String> environment(Path fakeBin) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("PATH", fakeBin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("CCR_CDS", "off");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    private CcrProcess.Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CcrProcess.Result(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void installWritesAUnitWhoseExecStartRunsTheRouterAndUninstallRemovesIt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = home.resolve(".claude-code-router/config.json");
        Files.createDirectories(config.getParent());
        Files.writeString(
                config,
                "{\"port\": " + port + ", \"endpoints\": [{\"name\": \"anthropic\", \"type\": \"anthropic\","
                        + " \"baseUrl\": \"https://api.anthropic.com/v1\"}]}");
        Path fakeBin = Files.createDirectories(home.resolve("bin"));
        Path calls = home.resolve("systemctl.calls");
        Path systemctl = fakeBin.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = environment(fakeBin);

        CcrProcess.Result install = launch(env, "service", "install");

        assertThat(install.exitCode()).as(install.output()).isZero();
        Path unit = home.resolve(".config/systemd/user/ccr.service");
        assertThat(install.stdout()).contains("wrote " + unit).contains("journalctl --user -u ccr");
        assertThat(Files.readAllLines(calls))
                .containsExactly("--user daemon-reload", "--user enable --now ccr.service");
        CcrProcess.Result again = launch(env, "service", "install");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(Files.readAllLines(calls))
                .as("installing again unregisters the running one first, so the new definition takes effect")
                .containsExactly(
                        "--user daemon-reload",
                        "--user enable --now ccr.service",
                        "--user disable --now ccr.service",
                        "--user daemon-reload",
                        "--user daemon-reload",
                        "--user enable --now ccr.service");
        String text = Files.readString(unit);
        List<String> execStart = SystemdWords.split(value(text, "ExecStart="));
        assertThat(execStart)
                .containsExactly(launcher().toAbsolutePath().normalize().toString(), "start");

        // As systemd would: that command, the unit's variables, and little else.
        Map<String, String> serviceEnv = new HashMap<>(Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin"));
        text.lines()
                .filter(l -> l.startsWith("Environment="))
                .map(l -> String.join("", SystemdWords.split(l.substring("Environment=".length()))))
                .forEach(v -> serviceEnv.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1)));
        assertThat(serviceEnv).containsEntry("JAVA_HOME", System.getProperty("java.home"));
        serviceEnv.put("CCR_CDS", "off");
        ProcessBuilder service = new ProcessBuilder(execStart)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("service.log").toFile());
        service.environment().clear();
        service.environment().putAll(serviceEnv);
        router = service.start();
        String url = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .until(() -> Http.get(url + "/health", Map.of()).statusCode() == 200);
        assertThat(Http.get(url + "/v1/models", Map.of()).statusCode()).isEqualTo(200);

        CcrProcess.Result status = launch(env, "service", "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.stdout()).contains("installed: " + unit).contains("router answering on " + url);

        assertThat(value(text, "KillSignal=")).isEqualTo("SIGTERM");
        router.destroy(); // SIGTERM
        assertThat(router.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(home.resolve("service.log"))).contains("listening on " + url);

        CcrProcess.Result uninstall = launch(env, "service", "uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
        assertThat(unit).doesNotExist();
        assertThat(Files.readAllLines(calls)).endsWith("--user disable --now ccr.service", "--user daemon-reload");
        CcrProcess.Result gone = launch(env, "service", "status");
        assertThat(gone.exitCode()).isEqualTo(3);
        assertThat(gone.stdout()).contains("not installed");
    }

    private static String value(String text, String prefix) {
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .substring(prefix.length());
    }
}
