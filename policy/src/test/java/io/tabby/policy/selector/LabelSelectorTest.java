package io.tabby.policy.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.policy.selector.Requirement.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");
    private static final Map<String, String> BARE = Map.of();

    @Test
    void operatorsFollowApimachinery() {
        assertThat(Requirement.of("app", Operator.In, "web", "db").matches(WEB)).isTrue();
        assertThat(Requirement.of("app", Operator.In, "web").matches(BARE)).isFalse();
        assertThat(Requirement.of("app", Operator.NotIn, "web").matches(WEB)).isFalse();
        assertThat(Requirement.of("app", Operator.NotIn, "web").matches(BARE)).isTrue();   // missing key matches
        assertThat(Requirement.of("app", Operator.Exists).matches(BARE)).isFalse();
        assertThat(Requirement.of("app", Operator.DoesNotExist).matches(BARE)).isTrue();
    }

    @Test
    void labelsAndExpressionsAreAndedAndEmptyMatchesAll() {
        LabelSelector s = new LabelSelector(Map.of("app", "web"), List.of(Requirement.of("tier", Operator.NotIn, "back")));
        assertThat(s.matches(WEB)).isTrue();
        assertThat(s.matches(Map.of("app", "web", "tier", "back"))).isFalse();
        assertThat(LabelSelector.EVERYTHING.matches(BARE)).isTrue();
    }

    @Test
    void canonicalFormIgnoresOrder() {
        LabelSelector a = new LabelSelector(Map.of("b", "2", "a", "1"),
                List.of(Requirement.of("x", Operator.In, "q", "p"), Requirement.of("y", Operator.DoesNotExist)));
        LabelSelector b = new LabelSelector(Map.of("a", "1", "b", "2"),
                List.of(Requirement.of("y", Operator.DoesNotExist), Requirement.of("x", Operator.In, "p", "q")));
        assertThat(a.canonical()).isEqualTo(b.canonical()).isEqualTo("a=1,b=2,!y,x in (p,q)");
    }

    @Test
    void rejectsMalformedRequirements() {
        assertThatThrownBy(() -> Requirement.of("app", Operator.Exists, "x")).hasMessageContaining("takes no values");
        assertThatThrownBy(() -> Requirement.of("bad key!", Operator.Exists)).hasMessageContaining("invalid label key");
        assertThatThrownBy(() -> Operator.parse("in")).hasMessageContaining("unknown selector operator \"in\"");
    }
}
