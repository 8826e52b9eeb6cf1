package dev.ccr.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolVersionTest {
    @Test
    void readsTheMajorVersion() {
        assertThat(ProtocolVersion.majorOf("1.0")).isEqualTo(1);
        assertThat(ProtocolVersion.majorOf("1.7")).isEqualTo(1);
        assertThat(ProtocolVersion.majorOf("2")).isEqualTo(2);
        assertThat(ProtocolVersion.majorOf(" 3.1 ")).isEqualTo(3);
        assertThat(ProtocolVersion.majorOf(null)).isEqualTo(-1);
        assertThat(ProtocolVersion.majorOf("one")).isEqualTo(-1);
        assertThat(ProtocolVersion.majorOf("-1.0")).isEqualTo(-1);
    }

    @Test
    void anyMinorOfTheSameMajorIsCompatible() {
        assertThat(ProtocolVersion.isCompatible(ProtocolVersion.CURRENT)).isTrue();
        assertThat(ProtocolVersion.isCompatible(ProtocolVersion.MAJOR + ".99")).isTrue();
        assertThat(ProtocolVersion.isCompatible((ProtocolVersion.MAJOR + 1) + ".0"))
                .isFalse();
        assertThat(ProtocolVersion.isCompatible("")).isFalse();
    }
}
