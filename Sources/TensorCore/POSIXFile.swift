#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place in TensorCore that makes file-system calls and turns `errno` into a
/// thrown value (`Failure`), which callers map onto their own error cases.
enum POSIXFile {
    /// A failed system call: which step, and the system's message for `errno`.
    struct Failure: Error, Equatable {
        var operation: String
        var code: Int32
        var message: String { String(cString: strerror(code)) }
    }

    /// What `stat` says about a path that opened.
    struct Opened {
        var descriptor: Int32
        var isDirectory: Bool
        var size: Int
    }

    static func openForReading(_ path: String) throws(Failure) -> Opened {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw Failure(operation: "open", code: errno) }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            let code = errno
            close(descriptor)
            throw Failure(operation: "stat", code: code)
        }
        let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
        return Opened(descriptor: descriptor, isDirectory: isDirectory, size: Int(status.st_size))
    }

    static func closeDescriptor(_ descriptor: Int32) { close(descriptor) }

    /// Reads exactly `count` bytes at `offset`; fewer only when the file ends first.
    static func read(_ descriptor: Int32, offset: Int, count: Int) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(operation: "read", code: errno)
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }

    /// Writes `bytes` to `path` atomically: a temporary file `.<name>.tmp-<pid>-<random>`
    /// in the same folder, written in full, fsync'ed, then renamed over `path`. The
    /// temporary file is removed on any failure.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder).\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw Failure(operation: "create \(temporary)", code: errno) }
        var failure: Failure?
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let wrote = write(descriptor, raw.baseAddress! + done, raw.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(operation: "write", code: errno)
                    return
                }
                done += wrote
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = Failure(operation: "fsync", code: errno) }
        if close(descriptor) != 0, failure == nil { failure = Failure(operation: "close", code: errno) }
        if failure == nil, rename(temporary, path) != 0 { failure = Failure(operation: "rename", code: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
