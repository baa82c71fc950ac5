#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files, with a size limit, and a specific error for each way that can fail.
public enum WholeFile {
    /// Largest stream read from a pipe or FIFO (whose size is not known in advance).
    public static let streamLimit = 1 << 30

    /// All bytes of a regular file (at most `limit`), or of a pipe/FIFO (e.g. `/dev/stdin`)
    /// up to `streamLimit`.
    ///
    /// Devices and sockets are refused (`vis export /dev/zero` read without end); a named FIFO
    /// waits for its writer, as `cat` does.
    ///
    /// - Throws: `.notFound`, `.isDirectory`, `.unreadable` (the system's reason, "a device,
    ///   not a regular file", "not a regular file", "stream longer than … bytes"), `.empty`.
    public static func read(path: String, limit: Int = Int.max) throws(FileSystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw FileSystemError(.notFound, path: path, operation: "open", message: "no such file", code: code)
            }
            if code == EISDIR {
                throw FileSystemError(.isDirectory, path: path, operation: "open", message: "is a directory", code: code)
            }
            throw .system(.unreadable, path: path, operation: "open", code: code)
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw .system(.unreadable, path: path, operation: "stat", code: errno) }
        var limit = limit
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            throw FileSystemError(.isDirectory, path: path, operation: "open", message: "is a directory")
        case S_IFREG:
            break
        case S_IFIFO:
            limit = Swift.min(limit, streamLimit + 1)   // one byte more, to tell "too long"
        case S_IFCHR, S_IFBLK:
            throw FileSystemError(.unreadable, path: path, operation: "open", message: "a device, not a regular file")
        default:
            throw FileSystemError(.unreadable, path: path, operation: "open", message: "not a regular file")
        }
        let expected = Int(st.st_size)
        var bytes = [UInt8]()
        bytes.reserveCapacity(Swift.min(Swift.max(expected, 0), limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let wanted = Swift.min(chunk.count, limit - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == EISDIR {
                    throw FileSystemError(.isDirectory, path: path, operation: "read", message: "is a directory", code: code)
                }
                throw .system(.unreadable, path: path, operation: "read", code: code)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        if bytes.isEmpty { throw FileSystemError(.empty, path: path, operation: "read", message: "0 bytes") }
        if (st.st_mode & S_IFMT) == S_IFIFO && bytes.count > streamLimit {
            throw FileSystemError(.unreadable, path: path, operation: "read",
                                  message: "stream longer than \(streamLimit) bytes")
        }
        return bytes
    }
}
