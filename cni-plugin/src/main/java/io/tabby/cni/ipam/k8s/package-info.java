/**
 * The IPAM {@link io.tabby.cni.ipam.Store} in the Kubernetes API: cluster-scoped custom resources
 * of group {@code ipam.tabby.io/v1} ({@link io.tabby.cni.ipam.k8s.Crds}): {@code IPPool},
 * {@code IPAMConfig} (singleton {@code default}) and {@code IPAMBlock}, one per claimed block,
 * holding its affinity and allocations. Writes are compare-and-swap on {@code metadata.resourceVersion}:
 * create fails with 409 AlreadyExists, update with 409 Conflict when stale; both become
 * {@link io.tabby.cni.ipam.ConflictException} and {@link io.tabby.cni.ipam.Ipam} retries.
 *
 * <p>Reads come from the API server, or for the long-running service from Fabric8 informers
 * ({@link io.tabby.cni.ipam.k8s.CrdCache}: list + watch, with this node's own writes overlaid until
 * the watch delivers them, and the block re-read after a 409), so an allocation costs one write.
 *
 * <p>In: a Fabric8 {@code KubernetesClient}. Out: typed pools, config, versioned blocks. This is the
 * only IPAM package that imports Fabric8.
 */
package io.tabby.cni.ipam.k8s;
