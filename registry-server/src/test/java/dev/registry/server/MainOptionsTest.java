package dev.registry.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.RollPeriod;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.logging.ServerLogging;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.write.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line and the settings share their defaults, and typed options parse as documented. */
class MainOptionsTest {

    @Test
    void noOptionsGiveExactlyTheSettingsDefaults() {
        Main main = parse();
        assertThat(
                main.settings(null),
                is(RegistrySettings.builder(Path.of("./data")).build()));
    }

    @Test
    void enumOptionsTakeTheDocumentedLowerCaseWords() {
        RegistrySettings s = parse("--fsync", "batch", "--roll", "hourly", "--heartbeat-ttl", "90s")
                .settings(null);
        assertThat(s.sync(), is(SyncPolicy.BATCH));
        assertThat(s.roll(), is(RollPeriod.HOURLY));
        assertThat(new HealthRules(s.heartbeatTtl(), s.staleAfter()).heartbeatTtl(), is(Duration.ofSeconds(90)));
    }

    @Test
    void theAccessLogIsOffAndLogsAreTextUnlessAsked() {
        Main plain = parse();
        assertThat(plain.settings(null).accessLog(), is(false));
        assertThat(plain.logFormat, is(ServerLogging.Format.TEXT));
        Main asked = parse("--access-log", "--log-format", "json");
        assertThat(asked.settings(null).accessLog(), is(true));
        assertThat(asked.logFormat, is(ServerLogging.Format.JSON));
        assertThat(asked.settings(null).describe().get("access_log"), is("on"));
    }

    @Test
    void helpShowsEachDefaultAsOperatorsWriteIt() {
        String usage = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage, containsString("default 120s"));
        assertThat(usage, containsString("default 1MiB"));
        assertThat(usage, containsString("default none"));
    }

    @Test
    void maxConnectionsIsAutoUnlessACountIsGiven() {
        assertThat(parse().settings(null).maxConnections(), is(RegistrySettings.AUTO_CONNECTIONS));
        assertThat(parse("--max-connections", "500").settings(null).maxConnections(), is(500));
        assertThat(parse("--idle-timeout", "5s").settings(null).idleTimeout(), is(Duration.ofSeconds(5)));
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> parse("--max-connections", "0").settings(null));
        assertThat(zero.getMessage(), containsString("--max-connections must be auto or a count of at least 1"));
        String usage = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage, containsString("--max-connections=auto|N"));
        assertThat(usage, containsString("default auto"));
        assertThat(usage, containsString("default 60s"));
    }

    private static Main parse(String... args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.parseArgs(args);
        return main;
    }
}
