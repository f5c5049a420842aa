/**
 * The CNI specification's data types (containernetworking/cni SPEC.md, spec 1.1.0): the network
 * configuration a runtime hands a plugin ({@link io.tabby.cni.types.NetConf}), the result it gets
 * back ({@link io.tabby.cni.types.Result}, written in every version we support by
 * {@link io.tabby.cni.types.ResultCodec}), the version list ({@link io.tabby.cni.types.CniVersion})
 * and the spec's error object with its well-known codes ({@link io.tabby.cni.types.CniError}).
 *
 * <p>In: JSON bytes (stdin config, a chained {@code prevResult}). Out: immutable records and JSON.
 * Nothing here does I/O beyond parsing and printing.
 */
package io.tabby.cni.types;
