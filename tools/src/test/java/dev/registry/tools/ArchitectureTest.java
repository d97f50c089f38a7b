package dev.registry.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * How the tools are put together, and how the modules depend on each other (all of them are on
 * this module's test class path): api ← events ← server and tools, cli beside them.
 */
class ArchitectureTest {

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the other modules' test-jars: their fixtures and tests are not the shipped code
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.registry");

    @Test
    void toolPackagesAreFreeOfCycles() {
        slices().matching("dev.registry.tools.(*)..")
                .should()
                .beFreeOfCycles()
                .check(ALL.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(
                        "dev.registry.tools..")));
    }

    @Test
    void modulesAreFreeOfCycles() {
        slices().matching("dev.registry.(*)..").should().beFreeOfCycles().check(ALL);
    }

    @Test
    void toolsReadTheLogThemselvesAndNeverRunTheServersCode() {
        noClasses()
                .that()
                .resideInAPackage("dev.registry.tools..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.registry.server..")
                .check(ALL);
    }

    @Test
    void modulesDependInOneDirection() {
        noClasses()
                .that()
                .resideInAPackage("dev.registry.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.registry.events..", "dev.registry.server..", "dev.registry.tools..", "dev.registry.cli..")
                .check(ALL);
        noClasses()
                .that()
                .resideInAPackage("dev.registry.events..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.registry.server..", "dev.registry.tools..", "dev.registry.cli..")
                .check(ALL);
        noClasses()
                .that()
                .resideInAPackage("dev.registry.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.registry.events..", "dev.registry.server..", "dev.registry.tools..")
                .check(ALL);
    }
}
