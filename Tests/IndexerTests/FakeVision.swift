import Vision

/// A describer that answers at once with the same caption and labels, so write-back runs without the models.
struct FakeVision: VisionService {
    let caption: String
    var models: [String] = ["fake"]

    func describe(_ requests: [DescribeRequest]) throws(VisionError) -> [Result<PhotoDescription, VisionError>] {
        requests.map { _ in
            .success(PhotoDescription(caption: caption, labels: [.init(name: "dog", score: 0.9)], text: "", faces: [],
                                      place: nil, vectors: [:]))
        }
    }

    func embed(_ texts: [String]) throws(VisionError) -> [String: [[Float]]] { [:] }
    func shutdown() {}
}
