/// When a photo found only by meaning is shown (as "might match"). Calibrated on the corpus with
/// `viewfinder eval --search LABELS.tsv --scores FILE` (numbers in BENCHMARKS.md): a photo must stand out from
/// the library's own scores for the query (most photos in any library are unrelated to any one word, so their
/// spread is the measure of chance), and, where a model has been measured, clear what unrelated descriptions
/// reach. The first rule needs no knowledge of the model's scale, so it holds for CLIP as much as for the
/// sentence model.
public struct MeaningCutoff: Sendable {
    /// Standard deviations above the library's mean similarity. Labelled corpus photos found only by meaning:
    /// z ≥ 2 kept 165 with precision 0.15, z ≥ 3 kept 36 with 0.28, z ≥ 4 kept 5 with 0.60.
    public static let standOut: Float = 3
    /// The similarity unrelated (query, photo) pairs stay below 99 times in 100, by model name (before ':').
    public static let unrelatedCeiling: [String: Float] = ["all-MiniLM-L6-v2": 0.37]
    /// In a library this small chance and meaning cannot be told apart: no guesses are shown.
    static let smallestSample = 8

    let floor: Float

    /// - Parameter models: the vector indexes searched; the strictest measured ceiling among them applies.
    init(models: [String]) {
        floor = models.compactMap { Self.unrelatedCeiling[String($0.prefix { $0 != ":" })] }.max() ?? -1
    }

    /// The least similarity shown, given every photo's similarity with the query (-1 where it has no vector).
    func threshold(_ similarities: [Float]) -> Float {
        var count = 0, sum = 0.0, squares = 0.0
        for similarity in similarities where similarity > -1 {
            count += 1
            sum += Double(similarity)
            squares += Double(similarity) * Double(similarity)
        }
        guard count >= Self.smallestSample else { return .infinity }
        let mean = sum / Double(count)
        let spread = (max(0, squares / Double(count) - mean * mean)).squareRoot()
        return max(floor, Float(mean + Double(Self.standOut) * spread))
    }
}
