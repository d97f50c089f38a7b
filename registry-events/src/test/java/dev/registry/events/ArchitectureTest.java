package dev.registry.events;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** How registry-events is put together: no package cycles; the projector knows no log and no I/O. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.registry.events");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.registry.events.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eventsKnowNothingOfHowTheyAreStored() {
        noClasses()
                .that()
                .resideInAPackage("dev.registry.events.event..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.registry.events.log..", "net.openhft..")
                .check(MAIN);
    }

    @Test
    void theProjectorIsAPureFoldOfEvents() {
        classes()
                .that()
                .resideInAPackage("dev.registry.events.projection..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.registry.events.projection..",
                        "dev.registry.events.event..",
                        "dev.registry.events.log..",
                        "dev.registry.api..",
                        "java..",
                        "com.fasterxml.jackson..")
                .check(MAIN);
    }

    @Test
    void eventsDependOnNoServerOrTool() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.registry.server..", "dev.registry.tools..", "io.helidon..", "picocli..")
                .check(MAIN);
    }
}
