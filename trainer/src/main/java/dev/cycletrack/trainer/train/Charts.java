package dev.cycletrack.trainer.train;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a run (XChart, headless): the loss curve and the learning curve. */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Charts() {}

    /**
     * Starts Java2D now: it registers JVM shutdown hooks on first use, which fails if the first chart is
     * drawn while the JVM is already shutting down (after Ctrl-C).
     */
    public static void warmUp() {
        // ImageIO's disk cache registers a delete-on-exit file, which is refused during shutdown.
        javax.imageio.ImageIO.setUseCache(false);
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.drawString("x", 0, 3);
        g.dispose();
    }

    /** Trailing moving average over {@code window} points. */
    static List<Double> smooth(List<Double> ys, int window) {
        List<Double> out = new ArrayList<>(ys.size());
        double sum = 0;
        for (int i = 0; i < ys.size(); i++) {
            sum += ys.get(i);
            if (i >= window) {
                sum -= ys.get(i - window);
            }
            out.add(sum / Math.min(i + 1, window));
        }
        return out;
    }

    /**
     * Loss (left axis, raw and smoothed) and cycle accuracy (right axis, smoothed) against the step, with
     * ln P (uniform loss) and the chance accuracy 1/P as dashed references.
     */
    public static void lossCurve(
            Path file, String title, List<Double> steps, List<Double> loss, List<Double> accuracy, double cells)
            throws IOException {
        if (steps.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(500)
                .title(title)
                .xAxisTitle("step")
                .yAxisTitle("loss")
                .build();
        chart.setYAxisGroupTitle(1, "cycle accuracy");
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        int window = Math.max(1, Math.min(50, steps.size() / 20));
        XYSeries raw = chart.addSeries("loss", steps, loss);
        raw.setLineColor(new Color(150, 170, 230));
        raw.setMarker(SeriesMarkers.NONE);
        XYSeries sm = chart.addSeries("loss (mean of " + window + ")", steps, smooth(loss, window));
        sm.setLineColor(new Color(20, 50, 170));
        sm.setMarker(SeriesMarkers.NONE);
        if (cells > 1) {
            XYSeries ln = chart.addSeries(
                    String.format("ln P = %.2f (uniform)", Math.log(cells)),
                    List.of(steps.get(0), steps.get(steps.size() - 1)),
                    List.of(Math.log(cells), Math.log(cells)));
            ln.setLineColor(Color.GRAY);
            ln.setMarker(SeriesMarkers.NONE);
        }
        XYSeries acc = chart.addSeries("cycle accuracy (mean of " + window + ")", steps, smooth(accuracy, window));
        acc.setYAxisGroup(1);
        acc.setLineColor(new Color(200, 60, 30));
        acc.setMarker(SeriesMarkers.NONE);
        if (cells > 1) {
            XYSeries chance = chart.addSeries(
                    String.format("chance 1/P = %.4f", 1 / cells),
                    List.of(steps.get(0), steps.get(steps.size() - 1)),
                    List.of(1 / cells, 1 / cells));
            chance.setYAxisGroup(1);
            chance.setLineColor(new Color(230, 160, 140));
            chance.setMarker(SeriesMarkers.NONE);
        }
        write(chart, file);
    }

    /** Checkpoint scores against the step (the learning curve), the step-0 score as a dashed floor. */
    public static void learningCurve(Path file, String title, String metric, List<Double> steps, List<Double> scores)
            throws IOException {
        if (steps.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder()
                .width(800)
                .height(450)
                .title(title)
                .xAxisTitle("step")
                .yAxisTitle(metric)
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        XYSeries s = chart.addSeries(metric, steps, scores);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (steps.get(0) == 0 && steps.size() > 1) {
            XYSeries floor = chart.addSeries(
                    "step 0 (untrained)",
                    List.of(steps.get(0), steps.get(steps.size() - 1)),
                    List.of(scores.get(0), scores.get(0)));
            floor.setLineColor(Color.GRAY);
            floor.setMarker(SeriesMarkers.NONE);
        }
        write(chart, file);
    }

    private static void write(XYChart chart, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = file.getFileName().toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        Path tmp = parent.resolve("." + base + ".tmp");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(parent.resolve("." + base + ".tmp.png"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
