#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old file, or the complete new one.
///
/// The bytes go to a temporary file in the same folder (`.NAME.vis-tmp-PID-RANDOM`), are
/// flushed with `fsync`, then renamed over the target. On any failure the temporary file is
/// removed and the target is untouched.
public enum AtomicFile {
    /// Prefix that marks the temporary files of an atomic write (for sweeping stale ones).
    public static let temporaryMarker = ".vis-tmp-"

    public static func write(_ bytes: [UInt8], to path: String) throws(ImageCodecError) {
        try write(to: path) { (fd) throws(ImageCodecError) in
            try bytes.withUnsafeBytes { raw in Result { () throws(ImageCodecError) in try writeAll(fd, raw, path: path) } }.get()
        }
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(ImageCodecError) {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImageCodecError(.writeFailed, path: path, message: String(cString: strerror(errno)))
            }
            written += n
        }
    }

    /// Runs `body` on the descriptor of the temporary file, then flushes and renames it over
    /// `path`; if `body` throws, the temporary file is removed and the target is untouched.
    public static func write(to path: String, _ body: (Int32) throws(ImageCodecError) -> Void) throws(ImageCodecError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = (folder.isEmpty ? "" : folder + "/") + "." + name + temporaryMarker
            + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw ImageCodecError(.writeFailed, path: path, message: String(cString: strerror(errno)))
        }
        func fail(_ code: Int32) -> ImageCodecError {
            close(fd)
            unlink(temporary)
            return ImageCodecError(.writeFailed, path: path, message: String(cString: strerror(code)))
        }
        do {
            try body(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        if fsync(fd) != 0 { throw fail(errno) }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw ImageCodecError(.writeFailed, path: path, message: String(cString: strerror(code)))
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw ImageCodecError(.writeFailed, path: path, message: String(cString: strerror(code)))
        }
    }
}
