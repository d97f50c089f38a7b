package dev.registry.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.Test;

/**
 * How registry-server is put together: no package reaches back into one that reaches it, the
 * pure rules reach no other package of the server, and the shared HTTP layer knows no feature.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.registry.server");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.registry.server.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void thePureRulesDependOnNothingButEventsAndTheWireModel() {
        classes()
                .that()
                .resideInAPackage("dev.registry.server.rules..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.registry.server.rules..",
                        "dev.registry.events..",
                        "dev.registry.api..",
                        "java..",
                        "com.fasterxml.jackson..")
                .because("the decider and the health rules are pure functions of a view, a command and a time")
                .check(MAIN);
    }

    @Test
    void theSharedHttpLayerKnowsNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("dev.registry.server.http..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.registry.server.services..",
                        "dev.registry.server.health..",
                        "dev.registry.server.audit..",
                        "dev.registry.server.stats..",
                        "dev.registry.server.discovery..",
                        "dev.registry.server.write..",
                        "dev.registry.server.rules..",
                        "dev.registry.server.observe..",
                        "dev.registry.server.ui..",
                        "dev.registry.server.logging..")
                .check(MAIN);
    }

    @Test
    void noFeatureHasWorkOfItsOwnAtTheServersStartOrStop() {
        // RegistryServer puts each feature's routes on the root routing, which skips these hooks
        noMethods()
                .that()
                .areDeclaredInClassesThat()
                .implement(HttpService.class)
                .should()
                .haveName("beforeStart")
                .orShould()
                .haveName("afterStop")
                .because("a feature's routes are added to the root routing, not registered as a service")
                .check(MAIN);
    }

    @Test
    void theServerDependsOnNoTool() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.registry.tools..")
                .check(MAIN);
    }
}
