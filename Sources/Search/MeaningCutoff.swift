/// When a photo found only by meaning is shown.
struct MeaningCutoff {
    let models: [String]

    func threshold(_ similarities: [Float]) -> Float { 0.2 }
}
