package dev.registry.api.client;

/** 404: the registry holds no record of that name (for heartbeats: register again). */
public final class ServiceNotFoundException extends RegistryException {

    private final String name;

    public ServiceNotFoundException(String name, String message) {
        super(404, message, null);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
