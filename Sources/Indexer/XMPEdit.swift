import CShims
import Foundation
import Media
import ViewfinderCore

/// What one write-back changes in a photo's XMP, handed to the exiv2 shim as a `vf_xmp_edit`.
struct XMPEdit {
    var caption: String?
    var tags: [String]
    var regions: RegionsToWrite?

    /// Runs an exiv2 writer with the edit laid out in C; its strings live until the writer returns.
    func call(_ writer: (UnsafePointer<vf_xmp_edit>, UnsafeMutablePointer<CChar>, Int) -> Int32) throws(IndexProblem) {
        let faces = regions?.regions ?? []
        let names = faces.map { strdup($0.name) }
        let tagStrings = tags.map { strdup($0) }
        let captionString = caption.flatMap { strdup($0) }
        defer {
            (names + tagStrings).forEach { free($0) }
            free(captionString)
        }
        let tagPointers = tagStrings.map { UnsafePointer<CChar>($0) }
        let orientation = regions?.orientation ?? 1
        // MWG: the centre and size on the stored pixels, which orientations 5–8 hold turned a quarter.
        let stored = faces.enumerated().map { index, face in
            let turned = face.stored(for: orientation)
            return vf_face_region(name: UnsafePointer(names[index]), x: turned.x + turned.w / 2, y: turned.y + turned.h / 2,
                                  w: turned.w, h: turned.h)
        }
        let quarterTurned = orientation >= 5
        let width = regions.map { quarterTurned ? $0.height : $0.width } ?? 0
        let height = regions.map { quarterTurned ? $0.width : $0.height } ?? 0
        var message = [CChar](repeating: 0, count: 512)
        let status = tagPointers.withUnsafeBufferPointer { tagList in
            stored.withUnsafeBufferPointer { regionList in
                var edit = vf_xmp_edit(caption: captionString.map { UnsafePointer($0) }, tags: tagList.baseAddress,
                                       tag_count: Int32(tags.count), regions: regionList.baseAddress,
                                       region_count: regions == nil ? -1 : Int32(faces.count),
                                       stored_width: Int32(width), stored_height: Int32(height))
                return message.withUnsafeMutableBufferPointer { writer(&edit, $0.baseAddress!, $0.count) }
            }
        }
        if status != 0 {
            throw IndexProblem(.writeBack, "exiv2 could not write: \(String(nulTerminated: message))")
        }
    }
}
