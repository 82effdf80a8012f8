/// When a photo found only by meaning is shown (as "might match"). Calibrated on the corpus with
/// `viewfinder eval --search LABELS.tsv` (numbers in BENCHMARKS.md): a photo must stand out from the library's
/// own scores for the query in that model (most photos of any library are unrelated to any one word, so their
/// spread is the measure of chance), and, where a model has been measured, clear what unrelated descriptions
/// reach. The first rule needs no knowledge of a model's scale, so it holds for CLIP as much as for the
/// sentence model.
public enum MeaningCutoff {
    /// Standard deviations above the library's mean similarity. Labelled corpus photos no word found, with the
    /// sentence model's ceiling: z ≥ 2.5 kept 27 with precision 0.15, z ≥ 3 kept 19 with 0.21, z ≥ 3.5 kept 6
    /// with 0.33, z ≥ 4 kept 3 with 0.33 (without a ceiling, 3 kept 50 and 3.5 kept 14).
    public static let standOut: Float = 3.5
    /// The similarity unrelated (query, photo) pairs stay below 99 times in 100, by model name (before ':'):
    /// for the sentence model 0.428 on the corpus (95 in 100: 0.347).
    static let unrelatedCeiling: [String: Float] = ["all-MiniLM-L6-v2": 0.43]
    public static func ceiling(_ model: String) -> Float { unrelatedCeiling[String(model.prefix { $0 != ":" })] ?? -1 }

    /// The mean and spread of one model's similarities over the photos that have a vector (at sizes where the
    /// neighbourhoods answer, over a fixed sample of them: `VectorIndex.spread`).
    struct Spread {
        let mean: Float
        let deviation: Float

        /// Over the similarities of photos that have a vector (all of them, or a sample).
        init<Similarities: Sequence<Float>>(_ similarities: Similarities) {
            var count = 0, sum = 0.0, squares = 0.0
            for similarity in similarities {
                count += 1
                sum += Double(similarity)
                squares += Double(similarity) * Double(similarity)
            }
            let mean = sum / Double(max(1, count))
            self.mean = Float(mean)
            // Among n photos none can stand out by more than √(n − 1) σ: a library under 14 photos gets no guesses.
            deviation = Float(max(0, squares / Double(max(1, count)) - mean * mean).squareRoot())
        }

        /// Standard deviations above the mean (-infinity where the spread says nothing).
        func standOut(_ similarity: Float) -> Float {
            deviation > 0 && deviation.isFinite && similarity.isFinite ? (similarity - mean) / deviation : -.infinity
        }
    }
}

/// One photo's closeness to a query's meaning, over every vector index of it.
public struct MeaningScore: Sendable {
    /// The best cosine similarity.
    public var similarity: Float
    /// The most it stands out, in standard deviations, from the library's similarities in one index.
    public var standOut: Float
    /// Whether it clears the cut-off in some index: shown as "might match" when no word found it.
    public var admitted: Bool
}
