#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file open for reading at given offsets (`pread`), closed when the value is released.
///
/// `pread` does not move a shared file position, so several threads may read one file at once.
public final class ReadableFile: @unchecked Sendable {
    // @unchecked: every stored property is set once in `init`; `pread` is thread-safe.

    /// The path the file was opened from; errors quote it.
    public let path: String
    /// What `fstat` says the opened file is (a folder opens too; callers check).
    public let kind: FileKind
    /// Its size in bytes when it was opened.
    public let size: Int
    private let descriptor: Int32

    /// Opens `path` read-only (`O_CLOEXEC`).
    ///
    /// - Throws: `.notFound` (operation `open`) when nothing is there, `.unreadable` for any
    ///   other failure of `open` or `fstat`; the message is the system's (`strerror`).
    public init(path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            throw .system(code == ENOENT || code == ENOTDIR ? .notFound : .unreadable,
                          path: path, operation: "open", code: code)
        }
        var st = stat()
        if fstat(descriptor, &st) != 0 {
            let code = errno
            close(descriptor)
            throw .system(.unreadable, path: path, operation: "stat", code: code)
        }
        self.path = path
        self.descriptor = descriptor
        kind = FileKind(mode: st.st_mode)
        size = Int(st.st_size)
    }

    deinit { close(descriptor) }

    /// Reads `count` bytes at `offset`; fewer only when the file ends first.
    ///
    /// - Throws: `.unreadable` (operation `read`) with the system's reason.
    public func read(count: Int, at offset: Int) throws(FileSystemError) -> [UInt8] {
        var failure: Int32?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if let failure { throw .system(.unreadable, path: path, operation: "read", code: failure) }
        return bytes
    }

    /// The first `count` bytes of the file at `path` (fewer if it is shorter).
    public static func prefix(of path: String, count: Int) throws(FileSystemError) -> [UInt8] {
        try ReadableFile(path: path).read(count: count, at: 0)
    }
}
