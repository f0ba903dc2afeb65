package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Every bad argument gets a clear exception that names it, and changes nothing. */
@ExtendWith(LeakCheckExtension.class)
class ChannelBadInputTest {

    private static void npe(String name, Executable call) {
        assertEquals(name, assertThrows(NullPointerException.class, call).getMessage());
    }

    private static void iae(String message, Executable call) {
        String got = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(got.contains(message), got);
    }

    @Test
    void aNegativeCapacityIsRejected() {
        iae("capacity must not be negative, was -1", () -> Channel.buffered(-1));
        iae("capacity must not be negative, was -2147483648", () -> Channel.buffered(Integer.MIN_VALUE));
    }

    @Test
    void nullElementsAreRejectedAndNothingIsSent() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        npe("value", () -> ch.send(null));
        npe("value", () -> ch.trySend(null));
        npe("value", () -> ch.onSend(null, () -> "x"));
        npe("value", () -> ch.sendOnly().send(null));
        assertEquals(0, ch.size());
    }

    @Test
    void nullFunctionsAreRejected() {
        Channel<String> ch = Channel.buffered(2);
        npe("fn", () -> ch.onReceive(null));
        npe("fn", () -> ch.onReceiveOrClosed(null, () -> "closed"));
        npe("ifClosed", () -> ch.onReceiveOrClosed(v -> v, null));
        npe("fn", () -> ch.onSend("x", null));
        npe("fn", () -> Select.onTimeout(Duration.ofSeconds(1), null));
        npe("timeout", () -> Select.onTimeout(null, () -> "x"));
        npe("fn", () -> Select.orDefault(null));
    }

    @Test
    void aSelectWithNoClausesIsRejected() {
        iae("select needs at least one clause", () -> Select.select());
        iae("select needs at least one clause", () -> Select.select(List.of()));
    }

    @Test
    void nullClausesAreRejected() {
        Channel<String> ch = Channel.buffered(1);
        npe("clauses", () -> Select.select((Select.Clause<String>[]) null));
        npe("clauses", () -> Select.select((List<Select.Clause<String>>) null));
        npe("clauses[1]", () -> Select.select(ch.onReceive(v -> v), null));
        List<Select.Clause<String>> withNull = new ArrayList<>();
        withNull.add(null);
        npe("clauses[0]", () -> Select.select(withNull));
    }

    @Test
    void twoDefaultsAreRejected() {
        iae("at most one default clause, clauses[2] is a second one",
                () -> Select.select(Select.orDefault(() -> 1), Channel.<Integer>buffered(1).onReceive(v -> v),
                        Select.orDefault(() -> 2)));
    }

    @Test
    void aNegativeTimeoutIsRejected() {
        iae("timeout must not be negative, was PT-0.001S", () -> Select.onTimeout(Duration.ofMillis(-1), () -> "x"));
    }

    @Test
    void aHugeTimeoutIsAllowed() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("ready");
        assertEquals("ready", Select.select(ch.onReceive(v -> v),
                Select.onTimeout(Duration.ofSeconds(Long.MAX_VALUE), () -> "never")));
    }
}
