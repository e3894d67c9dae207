package dev.cycletrack.core.metrics;

import java.util.Arrays;

/**
 * Answers "is this pixel inside the dilation of a binary map by the disk {dx²+dy² <= r²}?" exactly,
 * without building the dilated image (what {@code cv2.dilate} with {@code skimage.morphology.disk}
 * computes; pixels outside the image never contribute). It stores, per pixel, the horizontal distance
 * to the nearest set pixel of the same row (capped at r+1); a pixel is covered iff some row offset
 * dy in [-r, r] has that distance <= floor(sqrt(r² - dy²)). Cost: O(W*H) once, then O(r) per query.
 */
final class DiskCover {

    private final int width;
    private final int height;
    private final int radius;
    private final int[] rowDistance;
    private final int[] halfWidth;

    DiskCover(boolean[] map, int width, int height, int radius) {
        this.width = width;
        this.height = height;
        this.radius = radius;
        this.rowDistance = rowDistances(map, width, height, radius + 1);
        this.halfWidth = new int[radius + 1];
        for (int dy = 0; dy <= radius; dy++) {
            // Integer search keeps the disk exact: largest k with k² + dy² <= r².
            int k = 0;
            while ((k + 1) * (k + 1) + dy * dy <= radius * radius) {
                k++;
            }
            halfWidth[dy] = k;
        }
    }

    /** Whether pixel (x, y) lies in the dilated map. */
    boolean covers(int x, int y) {
        int i = y * width + x;
        if (rowDistance[i] <= halfWidth[0]) {
            return true;
        }
        // Nearest rows first: a matched boundary pixel usually has its partner close by.
        for (int dy = 1; dy <= radius; dy++) {
            int limit = halfWidth[dy];
            if ((y - dy >= 0 && rowDistance[i - dy * width] <= limit)
                    || (y + dy < height && rowDistance[i + dy * width] <= limit)) {
                return true;
            }
        }
        return false;
    }

    /** Number of set pixels of {@code query} that lie in the dilated map. */
    int countCovered(boolean[] query) {
        int n = 0;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (query[row + x] && covers(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int[] rowDistances(boolean[] map, int width, int height, int cap) {
        int[] dist = new int[map.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int first = -1;
            for (int x = 0; x < width; x++) {
                if (map[row + x]) {
                    first = x;
                    break;
                }
            }
            if (first < 0) {
                // Boundary maps are sparse: most rows hold no pixel at all.
                Arrays.fill(dist, row, row + width, cap);
                continue;
            }
            for (int x = 0; x < first; x++) {
                dist[row + x] = Math.min(first - x, cap);
            }
            int last = first;
            for (int x = first; x < width; x++) {
                if (map[row + x]) {
                    last = x;
                }
                dist[row + x] = Math.min(x - last, cap);
            }
            int next = -1;
            for (int x = last; x >= first; x--) {
                if (map[row + x]) {
                    next = x;
                } else if (next - x < dist[row + x]) {
                    dist[row + x] = next - x;
                }
            }
        }
        return dist;
    }
}
