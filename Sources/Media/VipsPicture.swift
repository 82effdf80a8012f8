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

    /// Runs a libvips call that produces a new image, turning failure into an `IndexProblem`.
    static func make(_ stage: IndexStage, _ what: String,
                     _ call: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws(IndexProblem) -> VipsPicture {
        var output: UnsafeMutablePointer<VipsImage>?
        guard call(&output) == 0, let output else { throw IndexProblem(stage, "\(what): \(lastError())") }
        return VipsPicture(output)
    }

    /// The last libvips error text, cleared once read.
    static func lastError() -> String {
        let text = String(cString: vf_vips_last_error())
        vips_error_clear()
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return lines.last.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 } ?? "libvips gave no reason"
    }

    func transformed(_ stage: IndexStage, _ what: String,
                     _ call: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws(IndexProblem) -> VipsPicture {
        try VipsPicture.make(stage, what) { call(image, $0) }
    }

    /// Renders the whole pipeline into memory: surfaces decode errors now, and lets a sequential
    /// image be read more than once (a thumbnail saved and hashed).
    func inMemory(_ stage: IndexStage) throws(IndexProblem) -> VipsPicture {
        guard let copy = vips_image_copy_memory(image) else {
            throw IndexProblem(stage, "decoding failed: \(VipsPicture.lastError())")
        }
        return VipsPicture(copy)
    }

    func resized(toLongEdge edge: Int) throws(IndexProblem) -> VipsPicture {
        try transformed(.thumbnail, "resize failed") { vf_vips_resize_to($0, Int32(edge), $1) }
    }

    /// Interleaved 8-bit RGB, the form thumbhash (and later the vision worker) take.
    func rgbBytes() throws(IndexProblem) -> [UInt8] {
        let srgb = try transformed(.thumbnail, "colour conversion failed") { vf_vips_to_srgb($0, $1) }
        var length = 0
        guard let memory = vips_image_write_to_memory(srgb.image, &length) else {
            throw IndexProblem(.thumbnail, "reading pixels failed: \(VipsPicture.lastError())")
        }
        defer { g_free(memory) }
        return Array(UnsafeRawBufferPointer(start: memory, count: length))
    }

    func encoded(_ save: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32,
                 _ stage: IndexStage) throws(IndexProblem) -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard save(image, &buffer, &length) == 0, let buffer else {
            throw IndexProblem(stage, "encoding failed: \(VipsPicture.lastError())")
        }
        defer { g_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }
}
