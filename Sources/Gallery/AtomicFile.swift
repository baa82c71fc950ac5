import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old content or the new one, never a part:
/// the bytes go to a temporary file in the same folder, which `rename(2)` then moves into place.
enum AtomicFile {
    static func write(_ data: Data, to destination: URL) throws(GalleryError) {
        let folder = destination.deletingLastPathComponent()
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(suffix)")
        do {
            try data.write(to: temporary, options: [.withoutOverwriting])
        } catch {
            throw .writeFailed(path: temporary.path, reason: error.localizedDescription)
        }
        if rename(temporary.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .writeFailed(path: destination.path, reason: "rename failed: \(reason)")
        }
    }
}
