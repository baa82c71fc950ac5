#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old file, or the complete new one.
///
/// The bytes go to a temporary file in the same folder (`.NAME.vis-tmp-PID-RANDOM`, see
/// ``TemporaryName``), are flushed with `fsync`, then renamed over the target. On any failure
/// the temporary file is removed and the target is untouched. Every writer in vis goes through
/// here, so a sweep that knows this one name pattern finds every leftover of a killed run.
public enum AtomicFile {
    /// What marks the temporary files of an atomic write (``TemporaryName/marker``).
    public static let temporaryMarker = TemporaryName.marker

    /// Writes `bytes` to `path` atomically.
    ///
    /// - Throws: `.writeFailed` naming `path`, with the failed step (`create <temporary>`,
    ///   `write`, `fsync`, `close`, `rename`) and the system's reason.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
        try write(to: path, as: { $0 }) { (fd) throws(FileSystemError) in
            try bytes.withUnsafeBytes { raw in
                Result { () throws(FileSystemError) in try writeAll(fd, raw, path: path) }
            }.get()
        }
    }

    /// Runs `body` on the descriptor of the temporary file, then flushes and renames it over
    /// `path`; if `body` throws, the temporary file is removed, the target is untouched and
    /// `body`'s error is rethrown. The layer's own failures reach the caller through `wrap`,
    /// so that a caller with its own error type (an image codec's) throws only that type.
    public static func write<Failure: Error>(to path: String, as wrap: (FileSystemError) -> Failure,
                                             _ body: (Int32) throws(Failure) -> Void) throws(Failure) {
        let (folder, name) = Folder.split(path)
        let temporary = Folder.join(folder, TemporaryName(target: name, processID: getpid()).fileName(
            random: UInt32.random(in: 0...UInt32.max)))
        func failure(_ operation: String, _ code: Int32) -> Failure {
            wrap(.system(.writeFailed, path: path, operation: operation, code: code))
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure("create \(temporary)", errno) }
        do {
            try body(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw failure("fsync", code)
        }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw failure("close", code)
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw failure("rename", code)
        }
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); errors name `path`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FileSystemError) {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(.writeFailed, path: path, operation: "write", code: errno)
            }
            written += n
        }
    }
}
