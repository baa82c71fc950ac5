import FileSystem
/// Maps a request's raw (still percent-encoded) path to a file inside the gallery folder, or
/// refuses it.
///
/// Refused (403): a path that does not start with `/` or starts with `//` (an absolute or
/// protocol-relative target), an encoded `/` or `\` (`%2f`, `%5c`) or NUL (`%00`, raw or
/// encoded), malformed percent-encoding, a `.` or `..` segment after decoding (so `%2e%2e` is
/// caught too), an empty segment inside the path, and any file whose real path (`realpath(3)`,
/// all symlinks resolved) lies outside the folder. Not found (404): nothing there, or not a
/// regular file. `/` and any folder inside serve that folder's `index.html`.
struct GalleryPathResolver: Sendable {
    enum Resolution: Equatable, Sendable {
        /// Serve this real path (a regular file inside the root).
        case file(realPath: String)
        /// 403: the request tries to leave the folder or is malformed; the reason is for logs.
        case refused(reason: String)
        /// 404.
        case notFound
    }

    let root: GalleryRoot

    func resolve(percentEncodedPath raw: String) -> Resolution {
        guard raw.hasPrefix("/") else { return .refused(reason: "path does not start with /") }
        guard !raw.hasPrefix("//") else { return .refused(reason: "absolute path after /") }
        guard !raw.utf8.contains(0), !raw.contains("\\") else {
            return .refused(reason: "NUL or backslash")
        }
        let lowered = raw.lowercased()
        for encoded in ["%2f", "%5c", "%00"] where lowered.contains(encoded) {
            return .refused(reason: "encoded separator or NUL \(encoded)")
        }
        guard let decoded = raw.removingPercentEncoding else {
            return .refused(reason: "malformed percent-encoding")
        }
        guard !decoded.utf8.contains(0), !decoded.hasPrefix("//") else {
            return .refused(reason: "NUL or absolute path after decoding")
        }
        var segments = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.last == "" { segments.removeLast() }   // "/" or "/sub/": a folder
        for segment in segments {
            if segment == "." || segment == ".." { return .refused(reason: "dot segment") }
            if segment.isEmpty { return .refused(reason: "empty segment") }
        }
        switch root.resolve(relative: segments.joined(separator: "/")) {
        case .missing:
            return .notFound
        case .outside:
            return .refused(reason: "resolves outside the gallery folder")
        case let .inside(real):
            switch FileKind.of(real) {
            case .regularFile:
                return .file(realPath: real)
            case .directory:
                let relative = segments.isEmpty ? GalleryPage.fileName
                    : segments.joined(separator: "/") + "/" + GalleryPage.fileName
                switch root.resolve(relative: relative) {
                case let .inside(index) where FileKind.of(index) == .regularFile:
                    return .file(realPath: index)
                case .outside:
                    return .refused(reason: "index.html resolves outside the gallery folder")
                default:
                    return .notFound
                }
            default:
                return .notFound
            }
        }
    }
}
