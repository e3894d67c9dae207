package dev.cycletrack.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every target of a pair plan sees exactly its window's cells inside the grid, each once. */
class PairPlanTest {

    @ParameterizedTest(name = "{0}x{1} r={2}")
    @CsvSource({"40,40,5", "13,9,5", "1,7,3", "6,5,12", "60,107,12", "3,3,1"})
    void eachTargetSeesExactlyItsWindow(int h, int w, double r) {
        PairPlan plan = PairPlan.of(new PairPlan.Key(h, w, r));
        RadiusWindow window = new RadiusWindow(r);
        boolean[] covered = new boolean[h * w];
        for (int p = 0; p < plan.pairs(); p++) {
            int from = plan.cellStart(p);
            int to = plan.cellStart(p + 1);
            assertEquals(0, (to - from) % 4, "pair " + p + " cells come in fours");
            Set<Integer> first = new TreeSet<>();
            Set<Integer> second = new TreeSet<>();
            for (int j = from; j < to; j++) {
                if ((plan.flags()[j] & PairPlan.FIRST) != 0) {
                    assertTrue(first.add(plan.cells()[j]), "cell offered twice to pair " + p);
                }
                if ((plan.flags()[j] & PairPlan.SECOND) != 0) {
                    assertTrue(second.add(plan.cells()[j]), "cell offered twice to pair " + p);
                }
            }
            assertEquals(windowCells(plan.first(p), h, w, window), first, "first target of pair " + p);
            covered[plan.first(p)] = true;
            if (plan.paired(p)) {
                assertEquals(plan.first(p) + 1, plan.second(p));
                assertEquals(windowCells(plan.second(p), h, w, window), second, "second target of pair " + p);
                covered[plan.second(p)] = true;
            } else {
                assertTrue(second.isEmpty());
            }
        }
        for (int node = 0; node < h * w; node++) {
            assertTrue(covered[node], "node " + node + " is in no pair");
        }
    }

    private static Set<Integer> windowCells(int node, int h, int w, RadiusWindow window) {
        Set<Integer> cells = new TreeSet<>();
        int y = node / w;
        int x = node % w;
        for (int cy = 0; cy < h; cy++) {
            for (int cx = 0; cx < w; cx++) {
                if (window.contains(cy - y, cx - x)) {
                    cells.add(cy * w + cx);
                }
            }
        }
        return cells;
    }
}
