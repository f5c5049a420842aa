package io.tabby.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Supplies a fresh {@link Lab} to each test method that asks for one and closes it after the test,
 * keeping the lab's files when the test failed. A missing precondition (not root, no iproute2)
 * is an error, so the test fails rather than skips.
 */
public final class LabExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Lab lab = Lab.open();
        c.getStore(NS).put("lab", lab);
        return lab;
    }

    @Override
    public void afterEach(ExtensionContext c) {
        Lab lab = c.getStore(NS).remove("lab", Lab.class);
        if (lab != null) {
            lab.close(c.getExecutionException().isPresent());
        }
    }
}
