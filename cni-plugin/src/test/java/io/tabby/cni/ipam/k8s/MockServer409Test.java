package io.tabby.cni.ipam.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.types.IpNet;
import org.junit.jupiter.api.Test;

/**
 * What the Fabric8 mock server (7.8.0, CRUD mode) does with stale writes. The concurrency test in
 * {@link KubernetesStoreConcurrencyTest} is only worth something if stale writes are refused, so
 * this is proved first, on the raw client, without our store in between:
 * <ul>
 *   <li>an update carrying a stale resourceVersion: refused with 409 (as the real API server);</li>
 *   <li>a create of an existing name: refused with 409 AlreadyExists (as the real API server);</li>
 *   <li>a delete with a stale resourceVersion precondition: ACCEPTED (the real API server would
 *       refuse it with 409). The concurrency test therefore never deletes while writers run.</li>
 * </ul>
 */
@EnableKubernetesMockClient(crud = true)
class MockServer409Test {
    KubernetesClient client;

    @Test
    void stale_update_and_duplicate_create_are_409_but_stale_delete_is_not_checked() {
        Block b = Block.empty(IpNet.parse("10.244.1.0/26"), "n1");
        var api = client.genericKubernetesResources(Crds.BLOCKS);
        String rv1 = api.resource(KubernetesStore.encode(b, null)).create().getMetadata().getResourceVersion();
        Block mine = b.allocate(0, new Allocation("h1", "n1", "ns", "p", 0));
        GenericKubernetesResource v2 = api.resource(KubernetesStore.encode(mine, rv1)).update();
        assertThat(v2.getMetadata().getResourceVersion()).isNotEqualTo(rv1);

        Block theirs = b.allocate(0, new Allocation("h2", "n2", "ns", "q", 0));
        assertThatThrownBy(() -> api.resource(KubernetesStore.encode(theirs, rv1)).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(KubernetesStore.decode(api.withName(b.name()).get()).allocations().get(0).handle()).isEqualTo("h1");

        assertThatThrownBy(() -> api.resource(KubernetesStore.encode(b, null)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        api.resource(KubernetesStore.encode(b, rv1)).lockResourceVersion(rv1).delete();
        assertThat(api.withName(b.name()).get()).as("the mock ignores delete preconditions").isNull();
    }
}
