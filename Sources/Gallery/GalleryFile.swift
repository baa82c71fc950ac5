import FileSystem
import Foundation

/// The gallery's files (`index.html`, `gallery.json`) written through FileSystem's
/// `AtomicFile`, as the rendered PNGs are: temporary file in the same folder, `fsync`,
/// rename; on failure the temporary file is removed and the old file is untouched.
enum GalleryFile {
    static func write(_ data: Data, to destination: URL) throws(GalleryError) {
        do {
            try AtomicFile.write([UInt8](data), to: destination.path)
        } catch {
            throw .writeFailed(path: error.path, reason: error.message)
        }
    }
}
