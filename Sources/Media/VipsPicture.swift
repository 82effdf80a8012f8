import CShims
import CVips
import ViewfinderCore

/// One libvips image, released when the last Swift reference goes.
final class VipsPicture {
    let image: UnsafeMutablePointer<VipsImage>

    init(_ image: UnsafeMutablePointer<VipsImage>) { self.image = image }

    deinit { vf_vips_unref(image) }

    var width: Int { Int(image.pointee.Xsize) }
    var height: Int { Int(image.pointee.Ysize) }

    /// Starts libvips once per process and keeps its warnings off the terminal (they reach us as errors).
    static let started: Bool = {
        let ok = vf_vips_start() == 0
        g_log_set_handler("VIPS", GLogLevelFlags(rawValue: G_LOG_LEVEL_WARNING.rawValue | G_LOG_LEVEL_MESSAGE.rawValue),
                          { _, _, _, _ in }, nil)
        return ok
    }()

    /// Runs a libvips call, turning failure into an `IndexProblem` in the call's own words.
    private static func checked<T>(_ stage: IndexStage, _ what: String, _ call: () -> T?) throws(IndexProblem) -> T {
        // Every libvips call passes here, so no path can reach libvips before it is started.
        guard started else { throw IndexProblem(stage, "libvips failed to start") }
        switch VipsErrors.run(call) {
        case let .success(value): return value
        case let .failure(failure): throw IndexProblem(stage, "\(what): \(failure.message)")
        }
    }

    /// Runs a libvips call that produces a new image.
    static func make(_ stage: IndexStage, _ what: String,
                     _ call: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws(IndexProblem) -> VipsPicture {
        VipsPicture(try checked(stage, what) {
            var output: UnsafeMutablePointer<VipsImage>?
            return call(&output) == 0 ? output : nil
        })
    }

    func transformed(_ stage: IndexStage, _ what: String,
                     _ call: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws(IndexProblem) -> VipsPicture {
        try VipsPicture.make(stage, what) { call(image, $0) }
    }

    /// Renders the whole pipeline into memory: surfaces decode errors now, and lets a sequential
    /// image be read more than once (a thumbnail saved and hashed).
    func inMemory(_ stage: IndexStage) throws(IndexProblem) -> VipsPicture {
        VipsPicture(try VipsPicture.checked(stage, "decoding failed") { vips_image_copy_memory(image) })
    }

    func resized(toLongEdge edge: Int) throws(IndexProblem) -> VipsPicture {
        try transformed(.thumbnail, "resize failed") { vf_vips_resize_to($0, Int32(edge), $1) }
    }

    /// Interleaved 8-bit RGB, the form thumbhash (and later the vision worker) take.
    func rgbBytes() throws(IndexProblem) -> [UInt8] {
        let srgb = try transformed(.thumbnail, "colour conversion failed") { vf_vips_to_srgb($0, $1) }
        return try VipsPicture.checked(.thumbnail, "reading pixels failed") {
            var length = 0
            guard let memory = vips_image_write_to_memory(srgb.image, &length) else { return nil }
            defer { g_free(memory) }
            return Array(UnsafeRawBufferPointer(start: memory, count: length))
        }
    }

    func encoded(_ save: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32,
                 _ stage: IndexStage) throws(IndexProblem) -> [UInt8] {
        try VipsPicture.checked(stage, "encoding failed") {
            var buffer: UnsafeMutableRawPointer?
            var length = 0
            guard save(image, &buffer, &length) == 0, let buffer else { return nil }
            defer { g_free(buffer) }
            return Array(UnsafeRawBufferPointer(start: buffer, count: length))
        }
    }
}
