package dev.kedge.edge.edged.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' $(VAR) expansion golden cases (the rules of k8s third_party expansion). */
class ExpansionTest {
    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_C", "C",
            "VAR_REF", "$(VAR_A)", "VAR_EMPTY", "");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "$(VAR_A)|A",
        "___$(VAR_B)___|___B___",
        "$(VAR_A)-$(VAR_A)|A-A",
        "$(VAR_A)$(VAR_B)$(VAR_C)|ABC",
        "$$(VAR_B)_$(VAR_A)|$(VAR_B)_A",
        "$$$(VAR_A)|$A",
        "$$$$(VAR_A)|$$(VAR_A)",
        "$(VAR_REF)|$(VAR_A)",
        "$(VAR_EMPTY)x|x",
        "$(VAR_DNE)|$(VAR_DNE)",
        "foo$(VAR_DNE)bar|foo$(VAR_DNE)bar",
        "$(VAR_A|$(VAR_A",
        "$(VAR_A$(VAR_B)|$(VAR_A$(VAR_B)",
        "$VAR_A|$VAR_A",
        "f000-$$VAR_A|f000-$VAR_A",
        "$|$",
        "$$|$",
        "x$|x$",
        "$()|$()",
        "$(|$(",
        "no vars|no vars",
        "''|''",
        "$(VAR_A)$|A$",
        "$$$|$$",
        "--$(VAR_A)$(|--A$(",
        "$(VAR_A)$$(VAR_B)$$$(VAR_C)|A$(VAR_B)$C",
        "$$$$$$(BIG_MONEY)|$$$(BIG_MONEY)",
        "$$$$$$$(VAR_A)|$$$A",
        "$$$$$$$(GOOD_ODDS)|$$$$(GOOD_ODDS)",
        "$?_boo_$!|$?_boo_$!",
        "${VAR_A}|${VAR_A}",
        "$VAR_A)|$VAR_A)",
        "$(VAR_A$(VAR_B))|$(VAR_A$(VAR_B))",
        "foo$(VAR_Awhoops!|foo$(VAR_Awhoops!",
        "--$($($($($--|--$($($($($--",
        "$($($($($--foo$(|$($($($($--foo$(",
        "$(foo$$var)|$(foo$$var)",
        "foo\\$(VAR_C)bar|foo\\Cbar",
        "%%$(VAR_REF)--$(VAR_REF)%%|%%$(VAR_A)--$(VAR_A)%%",
    })
    void expandsAsKubernetes(String input, String expected) {
        assertEquals(expected, Expansion.expand(input, VARS));
    }
}
