#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place where the batch layer calls the POSIX file API (stat, readdir, mkdir,
/// unlink, realpath), so that every status code is turned into Swift values here.
enum FileSystem {
    /// What a path is, following symbolic links (`stat`), or `nil` when it does not exist
    /// or cannot be examined.
    struct Status: Equatable {
        enum Kind: Equatable { case file, folder, other }
        var kind: Kind
        /// Device and inode: the identity of the file, whatever path leads to it.
        var identity: Identity
        var size: Int
        /// Last modification, seconds since the epoch.
        var modified: Double
    }

    struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    static func status(_ path: String) -> Status? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Status(st)
    }

    /// Like `status`, but a symbolic link is described as itself (`lstat`).
    static func linkStatus(_ path: String) -> (isLink: Bool, status: Status)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return ((st.st_mode & S_IFMT) == S_IFLNK, Status(st))
    }

    /// Entry names of a folder (without "." and ".."), sorted by their UTF-8 bytes so that
    /// the order is the same on every machine and locale.
    static func entries(of folder: String) throws(SystemError) -> [String] {
        guard let dir = opendir(folder) else { throw SystemError(path: folder, code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted(by: utf8Order)
    }

    /// Byte-wise order of the UTF-8 spelling (locale- and normalisation-independent).
    static func utf8Order(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The canonical absolute path (symbolic links resolved), or `nil`.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Creates a folder and its missing parents (`mkdir -p`).
    static func makeFolders(_ path: String) throws(SystemError) {
        if path.isEmpty { return }
        if let st = status(path) {
            if st.kind == .folder { return }
            throw SystemError(path: path, code: ENOTDIR)
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeFolders(String(path[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw SystemError(path: path, code: errno) }
    }

    /// Removes a file; `true` when it was removed.
    @discardableResult
    static func remove(_ path: String) -> Bool { unlink(path) == 0 }

    /// Reads up to `count` bytes at `offset`; fewer at the end of the file.
    static func read(_ fd: Int32, count: Int, at offset: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            got += n
        }
        return Array(buffer[0..<got])
    }

    /// The first `count` bytes of a file (fewer if it is shorter).
    static func prefix(of path: String, count: Int) throws(SystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(path: path, code: errno) }
        defer { close(fd) }
        guard let bytes = read(fd, count: count, at: 0) else { throw SystemError(path: path, code: errno) }
        return bytes
    }

    /// Joins a folder and a relative path without doubling slashes.
    static func join(_ folder: String, _ relative: String) -> String {
        if relative.isEmpty { return folder }
        if folder.isEmpty { return relative }
        return folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    /// Seconds since the epoch, wall clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Seconds on a clock that never jumps (for rates and elapsed times).
    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

extension FileSystem.Status {
    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .folder
        default: kind = .other
        }
        identity = FileSystem.Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        size = Int(st.st_size)
        modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) * 1e-9
    }
}

/// A failed system call on a path: the path and the system's reason (`strerror`).
struct SystemError: Error, CustomStringConvertible {
    let path: String
    let code: Int32
    var reason: String { String(cString: strerror(code)) }
    var description: String { "\(path): \(reason)" }
}
