package dev.cycletrack.core.propagation;

/** How a frame is resized before it reaches the encoder. */
public sealed interface InputSize {

    /** Output (width, height) for a frame of the given size. */
    int[] apply(int width, int height);

    /** Native resolution, no resize (DAVIS at 480p). */
    record Native() implements InputSize {
        @Override
        public int[] apply(int width, int height) {
            return new int[] {width, height};
        }

        @Override
        public String toString() {
            return "native";
        }
    }

    /**
     * Short side resized to {@code size}, aspect kept; the new size truncates as the reference does:
     * {@code (int(W * s), int(H * s))} with {@code s = size / min(W, H)}.
     */
    record ShortSide(int size) implements InputSize {
        public ShortSide {
            if (size <= 0) {
                throw new IllegalArgumentException("short side must be positive, got " + size);
            }
        }

        @Override
        public int[] apply(int width, int height) {
            double scale = (double) size / Math.min(width, height);
            return new int[] {(int) (width * scale), (int) (height * scale)};
        }

        @Override
        public String toString() {
            return "short-side " + size;
        }
    }

    /** Squashed to size x size, aspect not kept (the pose and face presets). */
    record Square(int size) implements InputSize {
        public Square {
            if (size <= 0) {
                throw new IllegalArgumentException("square size must be positive, got " + size);
            }
        }

        @Override
        public int[] apply(int width, int height) {
            return new int[] {size, size};
        }

        @Override
        public String toString() {
            return size + "x" + size;
        }
    }

    /** Parses {@code native}, {@code short:720} or {@code square:320} (also a bare number = square). */
    static InputSize parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.equals("native")) {
                return new Native();
            }
            if (t.startsWith("short:")) {
                return new ShortSide(Integer.parseInt(t.substring(6)));
            }
            if (t.startsWith("square:")) {
                return new Square(Integer.parseInt(t.substring(7)));
            }
            return new Square(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "input size '" + text + "' is not one of: native, short:<pixels>, square:<pixels>, <pixels>");
        }
    }
}
