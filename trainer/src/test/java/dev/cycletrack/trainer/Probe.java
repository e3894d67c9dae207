package dev.cycletrack.trainer;

import dev.cycletrack.trainer.data.ClipSource;
import dev.cycletrack.trainer.data.VideoLibrary;
import dev.cycletrack.trainer.train.StepResult;
import dev.cycletrack.trainer.train.TrainConfig;
import dev.cycletrack.trainer.train.Trainer;

public class Probe {
    public static void main(String[] args) throws Exception {
        VideoLibrary lib = TestData.sampleLibrary(8, 40);
        TrainConfig c = TestData.tinyConfig();
        c.threads = Integer.parseInt(args[0]);
        ClipSource src = new ClipSource(lib, c);
        try (Trainer t = Trainer.create(c, src)) {
            double tot = 0;
            for (int i = 0; i < 10; i++) {
                StepResult r = t.step();
                if (i > 0) tot += r.seconds();
            }
            System.out.println("threads " + c.threads + " mean step s " + tot / 9);
        }
    }
}
