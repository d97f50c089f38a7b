package dev.registry.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** How registry-api is put together: no package cycles, and nothing beyond the JDK and Jackson. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.registry.api");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.registry.api.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theClientNeedsNoOtherModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.registry.events..",
                        "dev.registry.server..",
                        "dev.registry.tools..",
                        "dev.registry.cli..",
                        "io.helidon..",
                        "net.openhft..",
                        "picocli..")
                .check(MAIN);
    }
}
