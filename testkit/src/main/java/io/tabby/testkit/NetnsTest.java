package io.tabby.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that builds real namespaces: tagged {@code netns} (failsafe runs
 * it in {@code verify}; class names end in {@code IT}) and given a fresh {@link Lab} parameter per
 * test, closed afterwards whether the test passed or not.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("netns")
@ExtendWith(LabExtension.class)
public @interface NetnsTest {}
