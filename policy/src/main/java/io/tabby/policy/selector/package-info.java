/**
 * Kubernetes label selectors ({@code metav1.LabelSelector}).
 *
 * <p>In: {@code matchLabels} and {@code matchExpressions}. Out: {@code matches(labels)} and a
 * canonical text form. Implements apimachinery {@code labels/selector.go} semantics (see
 * {@code shared/reference/netpol-semantics.md} section 1.4): requirements are ANDed, {@code NotIn}
 * and {@code DoesNotExist} match a missing key, the empty selector matches everything.
 */
package io.tabby.policy.selector;
