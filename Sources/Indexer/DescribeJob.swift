import Foundation
import Media
import Catalogue
import ViewfinderCore
import Vision

extension PhotoJobs {
    /// Decodes the photo small, has the worker describe it, and (when asked) writes the caption back.
    func describe(photoID: Int64) -> CatalogueChange {
        guard let describer else { return .postponed }
        let found: PhotoRecord?
        do { found = try store.photo(id: photoID) } catch { return .stopped(StoreFailure.of(error, file: "the catalogue")) }
        guard let photo = found, !photo.missing else { return .nothingLeft }
        func problem(_ reason: String) -> CatalogueChange {
            .warning(ProblemRecord(path: photo.path, fileSize: photo.fileSize, modifiedAt: photo.modifiedAt,
                                   problem: IndexProblem(.vision, reason), recordedAt: now))
        }
        let picture: VisionPicture
        do {
            let preview = try renditions.get(hash: photo.contentHash, kind: .preview)
            let format = MediaFormat(rawValue: photo.format) ?? .jpeg
            // The models see a video through its poster frame (the stored preview is that frame), never its bytes.
            picture = try analyzer.thumbnailer.visionPicture(
                preview: preview, original: { () throws(IndexProblem) in
                    try format.isVideo ? videos.posterFrame(path: photo.path, duration: photo.duration)
                        : FileReading.read(photo.path, limit: limits.maxFileBytes)
                },
                format: format.isVideo ? .jpeg : format, orientation: format.isVideo ? 1 : photo.orientation)
        } catch let error as IndexProblem {
            return problem(error.reason)
        } catch {
            // Only the thumbnail store throws anything else: the data folder's failure, not the photo's.
            return .stopped(StoreFailure.of(error, file: "the thumbnail store"))
        }
        let request = DescribeRequest(rgb: picture.rgb, width: picture.width, height: picture.height,
                                      taken: photo.taken, latitude: photo.lat, longitude: photo.lon, readText: readText)
        switch describer.describe(request) {
        case let .failure(error):
            return error.unavailable ? .postponed : problem(error.reason)
        case var .success(description):
            if MediaFormat(rawValue: photo.format)?.isVideo == true {
                for later in laterFrames(of: photo, describer: describer) { description.add(laterFrame: later) }
            }
            let record = DescriptionRecord(photoID: photoID, contentHash: photo.contentHash, description: description,
                                           models: describer.service.models, describedAt: now)
            let vectors = description.vectors.map { VectorRecord(photoID: photoID, model: $0.key, values: $0.value) }
            let faces = description.faces.enumerated().map { index, face in
                FaceRecord(key: FaceKey(photoID: photoID, index: index), x: face.x, y: face.y, w: face.w, h: face.h,
                           descriptor: face.descriptor, quality: face.quality)
            }
            guard let writeBack else { return .described(record, vectors: vectors, rewrite: nil, problem: nil, faces: faces) }
            do {
                let tags = description.labels.filter { $0.score >= 0.2 }.prefix(10).map(\.name)
                // A description a person wrote is never replaced; one we wrote before may be.
                let previous = try store.description(photoID: photoID)?.caption
                let ours = photo.description.map { $0.isEmpty || $0 == previous } ?? true
                let outcome = try MetadataWriter.write(caption: ours ? description.caption : nil, tags: tags,
                                                       to: photo.path, mode: writeBack, indexedHash: photo.contentHash)
                let rewrite = outcome.rewrite
                if let newHash = rewrite.contentHash {
                    // Same pixels, new bytes: the renditions follow the photo to its new hash.
                    for kind in RenditionKind.allCases {
                        if let bytes = try renditions.get(hash: photo.contentHash, kind: kind) {
                            try renditions.put(bytes, hash: newHash, kind: kind)
                        }
                    }
                }
                return .described(record, vectors: vectors, rewrite: rewrite, problem: outcome.warning.map { warning in
                    ProblemRecord(path: photo.path, fileSize: photo.fileSize, modifiedAt: photo.modifiedAt,
                                  problem: IndexProblem(.writeBack, .warning, warning), recordedAt: now)
                }, faces: faces)
            } catch {
                let reason = (error as? IndexProblem)?.reason ?? "\(error)"
                return .described(record, vectors: vectors, rewrite: nil, problem: ProblemRecord(
                    path: photo.path, fileSize: photo.fileSize, modifiedAt: photo.modifiedAt,
                    problem: IndexProblem(.writeBack, .warning, reason), recordedAt: now), faces: faces)
            }
        }
    }
}

extension PhotoJobs {
    /// A video's middle and end described too (a frame that cannot be decoded or described is left out: the poster
    /// stands for the video).
    func laterFrames(of video: PhotoRecord, describer: BatchingDescriber) -> [PhotoDescription] {
        VideoMetadata.laterMoments(duration: video.duration).compactMap { time in
            guard let jpeg = try? videos.frame(path: video.path, at: time),
                  let picture = try? analyzer.thumbnailer.visionPicture(preview: jpeg, original: { () throws(IndexProblem) in jpeg },
                                                                        format: .jpeg, orientation: 1) else { return nil }
            let request = DescribeRequest(rgb: picture.rgb, width: picture.width, height: picture.height, taken: video.taken,
                                          latitude: video.lat, longitude: video.lon, readText: readText)
            return try? describer.describe(request).get()
        }
    }
}

extension PhotoDescription {
    /// What a later frame of a video adds: its labels (each name at its best score) and the lines of text read in
    /// it. The caption, faces, place and vectors stay the poster's: faces are boxes on the poster, and the vectors
    /// are what "more like this" compares.
    mutating func add(laterFrame other: PhotoDescription) {
        var best = [String: Double]()
        for label in labels + other.labels { best[label.name] = max(best[label.name] ?? 0, label.score) }
        labels = best.map { Label(name: $0.key, score: $0.value) }.sorted { ($1.score, $0.name) < ($0.score, $1.name) }
        let lines = text.split(separator: "\n").map(String.init)
        let added = other.text.split(separator: "\n").map(String.init).filter { !lines.contains($0) }
        text = (lines + added).joined(separator: "\n")
    }
}

extension DescriptionRecord {
    init(photoID: Int64, contentHash: String, description: PhotoDescription, models: [String], describedAt: Double) {
        func json<T: Encodable>(_ value: T) -> String {
            String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self)
        }
        self.init(photoID: photoID, contentHash: contentHash, caption: description.caption, labels: json(description.labels),
                  // Descriptors live in the face table; search reads this column for every photo.
                  text: description.text, faces: json(description.faces.map { var face = $0; face.descriptor = nil; return face }),
                  faceCount: description.faces.count,
                  place: description.place.map(json), models: json(models), describedAt: describedAt)
    }
}
