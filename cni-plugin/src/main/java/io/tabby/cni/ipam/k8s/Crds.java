package io.tabby.cni.ipam.k8s;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The custom resource types, and the CRD manifests an installer applies for them. */
public final class Crds {
    public static final String GROUP = "ipam.tabby.io";
    public static final String VERSION = "v1";

    public static final ResourceDefinitionContext POOLS = ctx("IPPool", "ippools");
    public static final ResourceDefinitionContext BLOCKS = ctx("IPAMBlock", "ipamblocks");
    public static final ResourceDefinitionContext CONFIGS = ctx("IPAMConfig", "ipamconfigs");

    private Crds() {}

    private static ResourceDefinitionContext ctx(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
                .withPlural(plural).withNamespaced(false).build();
    }

    /** One CustomResourceDefinition (apiextensions.k8s.io/v1) as YAML, schema left open. */
    public static String manifest(ResourceDefinitionContext c) {
        String singular = c.getKind().toLowerCase();
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: %s.%s
                spec:
                  group: %s
                  scope: Cluster
                  names: {kind: %s, plural: %s, singular: %s}
                  versions:
                  - name: %s
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                """.formatted(c.getPlural(), GROUP, GROUP, c.getKind(), c.getPlural(), singular, VERSION);
    }
}
