package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The picture checks of {@link InspectCommandsTest} are not vacuous: they pass on a heatmap drawn with its
 * labels and fail on a blank image, on one drawn without labels, title and axis names, and on one whose
 * cells show other values.
 */
class HeatmapPictureTest {

    static final double[][] VALUES = {{1, 0, 0}, {0.3, 0.7, 0}, {0.2, 0.5, 0.3}};
    static final List<String> LABELS = List.of("The", " cat", " sat");

    static BufferedImage draw(String title, List<String> labels, String axis, String scale) {
        return Heatmap.render(title, List.of(new Heatmap.Panel("", VALUES, null)), 1, labels, labels, axis, axis,
                scale, 24);
    }

    @Test
    void aDrawnHeatmapPassesEveryCheck() {
        BufferedImage img = draw("Attention: a test picture with a long title", LABELS, "key", "attention weight");
        List<HeatmapPicture.Box> panels = HeatmapPicture.panels(img);
        assertEquals(1, panels.size());
        HeatmapPicture.Box p = panels.get(0);
        assertEquals(3 * 24, p.width());
        HeatmapPicture.assertCells(img, p, VALUES, "drawn");
        HeatmapPicture.assertRowAndColumnLabels(img, p, 3, 3, "drawn");
        HeatmapPicture.assertAxisNames(img, p, 28, "drawn");
        HeatmapPicture.assertTitle(img, 200, "drawn");
        HeatmapPicture.assertScaleLabels(img, HeatmapPicture.colourScale(img), "drawn");
    }

    @Test
    void aBlankImageHasNoPanelAndNoScale() {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        assertEquals(List.of(), HeatmapPicture.panels(img));
        assertThrows(AssertionError.class, () -> HeatmapPicture.colourScale(img));
        assertThrows(AssertionError.class, () -> HeatmapPicture.assertTitle(img, 200, "blank"));
    }

    @Test
    void missingLabelsTitleAndAxisNamesAreSeen() {
        BufferedImage img = draw("", Collections.nCopies(3, ""), "", "");
        HeatmapPicture.Box p = HeatmapPicture.panels(img).get(0);
        HeatmapPicture.assertCells(img, p, VALUES, "unlabelled"); // the cells are there
        assertThrows(AssertionError.class, () -> HeatmapPicture.assertRowAndColumnLabels(img, p, 3, 3, "unlabelled"));
        assertThrows(AssertionError.class, () -> HeatmapPicture.assertAxisNames(img, p, 28, "unlabelled"));
        assertThrows(AssertionError.class, () -> HeatmapPicture.assertTitle(img, 200, "unlabelled"));
        assertThrows(AssertionError.class,
                () -> HeatmapPicture.assertScaleLabels(img, HeatmapPicture.colourScale(img), "unlabelled"));
    }

    @Test
    void otherValuesInTheCellsAreSeen() {
        BufferedImage img = draw("Attention: a test picture with a long title", LABELS, "key", "attention weight");
        HeatmapPicture.Box p = HeatmapPicture.panels(img).get(0);
        double[][] other = {{1, 0, 0}, {0.3, 0.7, 0}, {0.2, 0.3, 0.5}};
        assertThrows(AssertionError.class, () -> HeatmapPicture.assertCells(img, p, other, "other values"));
    }
}
