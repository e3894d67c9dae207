package dev.cycletrack.it.support;

import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The labels records read, by stream and seq: what was answered, duplicated or lost. */
public final class Answers {

    private final Map<String, Map<Long, List<FrameLabels>>> byStream = new TreeMap<>();
    private int records;

    public Answers(List<TopicTail.Received<FrameKey, FrameLabels>> received) {
        for (var r : received) {
            FrameLabels l = r.value();
            byStream.computeIfAbsent(l.getStreamId(), s -> new TreeMap<>())
                    .computeIfAbsent(l.getSeq(), s -> new ArrayList<>())
                    .add(l);
            records++;
        }
    }

    /** Labels records read (duplicates included). */
    public int records() {
        return records;
    }

    /** Distinct (stream, seq) answered. */
    public int answered() {
        return byStream.values().stream().mapToInt(Map::size).sum();
    }

    public int answered(String stream) {
        return byStream.getOrDefault(stream, Map.of()).size();
    }

    /** Records beyond the first for their (stream, seq). */
    public int duplicates() {
        return records - answered();
    }

    /** Duplicates whose content (everything but emit time and timings) differs from the first answer. */
    public List<String> conflictingDuplicates() {
        List<String> out = new ArrayList<>();
        byStream.forEach((s, m) -> m.forEach((seq, ls) -> {
            FrameLabels first = Offline.content(ls.get(0));
            for (FrameLabels l : ls.subList(1, ls.size())) {
                if (!Offline.content(l).equals(first)) {
                    out.add(s + "/" + seq);
                }
            }
        }));
        return out;
    }

    /** The (stream, seq) sent but not answered. */
    public List<String> missing(Map<String, ? extends Collection<Long>> sent) {
        List<String> out = new ArrayList<>();
        sent.forEach((s, seqs) -> {
            Map<Long, List<FrameLabels>> got = byStream.getOrDefault(s, Map.of());
            for (long seq : new TreeSet<>(seqs)) {
                if (!got.containsKey(seq)) {
                    out.add(s + "/" + seq);
                }
            }
        });
        return out;
    }

    /** True when every sent (stream, seq) has an answer. */
    public boolean complete(Map<String, ? extends Collection<Long>> sent) {
        return missing(sent).isEmpty();
    }

    /** The first answer of each seq of a stream, in seq order. */
    public Map<Long, FrameLabels> first(String stream) {
        Map<Long, FrameLabels> out = new TreeMap<>();
        byStream.getOrDefault(stream, Map.of()).forEach((seq, ls) -> out.put(seq, ls.get(0)));
        return out;
    }

    public Map<Long, List<FrameLabels>> all(String stream) {
        return byStream.getOrDefault(stream, Map.of());
    }
}
