package dev.gpt2java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A Batch keeps tokens in order with their sequence and logits flag, and refuses impossible entries. */
class BatchTest {

    @Test
    void ofAsksLogitsForTheLastTokenOnly() {
        Batch b = Batch.of(2, 10, 11, 12);
        assertEquals(3, b.size());
        assertEquals(1, b.nOutputs());
        assertFalse(b.wantsLogits(0));
        assertTrue(b.wantsLogits(2));
        assertEquals(11, b.token(1));
        assertEquals(2, b.seqId(1));
    }

    @Test
    void builderKeepsInsertionOrderAcrossSequencesAndGrows() {
        Batch.Builder bb = Batch.builder().add(0, 1, 2).add(1, 3).addAllLogits(2, 4, 5);
        for (int i = 0; i < 40; i++) {
            bb.add(6, 3, false);
        }
        Batch b = bb.build();
        assertEquals(45, b.size());
        assertEquals(4, b.nOutputs());
        assertEquals(1, b.seqId(2));
        assertEquals(3, b.token(2));
        assertEquals(3, b.seqId(44));
    }

    @Test
    void refusesNegativeIdsAndEmptyBatches() {
        assertThrows(IllegalArgumentException.class, () -> Batch.builder().add(-1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> Batch.builder().add(0, -1, true));
        assertThrows(IllegalArgumentException.class, () -> Batch.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Batch.of(0));
        assertThrows(IndexOutOfBoundsException.class, () -> Batch.of(0, 1).token(1));
    }
}
