import FileSystem
import ImageCodecs

/// Turns PATH arguments (files and folders) into the list of images to process.
///
/// Folders are walked recursively in UTF-8 byte order of the names, so that every machine
/// sees the same list. Hidden entries (names starting with ".") are skipped, and so is the
/// output folder when it lies inside an input folder (recognised by device and inode, however
/// it is spelled). A symbolic link to a folder is followed only when its target lies inside
/// the folder argument's own tree, and every folder is walked at most once, so links never
/// lead out of the tree or round in a loop. A file reached twice is listed once.
///
/// Images are recognised by content: the first 16 bytes go through `ImageFormat.sniff`, so a
/// `.jpg` holding PNG bytes is read as PNG and an image without an extension is found. Inside
/// a folder, a file that is not a PNG or JPEG is skipped: reported in `WalkResult.notImages`
/// when it is an image of another format or is named like an image (`imageExtensions`: a text
/// file named `.jpg` is worth a word), silently in `WalkResult.skippedNonImages` otherwise
/// (a README beside the photos is not a finding). A file given explicitly that is not a PNG
/// or JPEG is a failure.
public struct InputWalker: Sendable {
    /// A folder never walked into (the output folder), or `nil`.
    public var excludedFolder: String?

    public init(excluding excludedFolder: String? = nil) {
        self.excludedFolder = excludedFolder
    }

    /// Lower-case extensions of image files (raster and vector formats people keep beside
    /// photos): a file named so whose content is not an image is reported, not skipped silently.
    public static let imageExtensions: Set<String> = [
        "png", "apng", "jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp", "gif", "webp", "bmp", "dib",
        "tif", "tiff", "heic", "heif", "avif", "jxl", "jp2", "j2k", "ico", "ppm", "pgm", "pbm",
        "pnm", "tga", "psd", "svg", "dng", "cr2", "nef", "arw",
    ]

    /// Whether `name`'s last extension is one of `imageExtensions` (any case).
    static func isNamedLikeAnImage(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Walks the arguments in order. Never throws: every problem is a `WalkResult.failures`
    /// entry naming its path.
    public func walk(_ arguments: [String]) -> WalkResult {
        var walk = Walk(excluded: excludedFolder.flatMap { FileStatus.of($0)?.identity })
        for argument in arguments {
            guard let status = FileStatus.of(argument) else {
                let reason = !FileStatus.exists(argument)
                    ? "no such file or folder" : "broken symbolic link"
                walk.result.failures.append(BatchFailure(path: argument, reason: reason))
                continue
            }
            switch status.kind {
            case .regularFile:
                walk.addExplicitFile(argument, identity: status.identity)
            case .directory:
                let root = Folder.resolved(argument) ?? argument
                var found: [BatchInput] = []
                if walk.visitedFolders.insert(status.identity).inserted, status.identity != walk.excluded {
                    walk.visit(folder: argument, relative: "", root: root, into: &found)
                }
                found.sort { Folder.utf8Order($0.relativePath, $1.relativePath) }
                walk.result.inputs += found
            case .other, .symlink, .missing:
                walk.result.failures.append(BatchFailure(path: argument, reason: "not a regular file or folder"))
            }
        }
        return walk.result
    }
}

/// The state of one walk: what was found and which files and folders were already seen.
private struct Walk {
    let excluded: FileStatus.Identity?
    var result = WalkResult()
    var visitedFolders: Set<FileStatus.Identity> = []
    var seenFiles: Set<FileStatus.Identity> = []

    init(excluded: FileStatus.Identity?) {
        self.excluded = excluded
    }

    mutating func addExplicitFile(_ path: String, identity: FileStatus.Identity) {
        guard seenFiles.insert(identity).inserted else { return }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        do throws(FileSystemError) {
            switch ImageFormat.sniff(try ReadableFile.prefix(of: path, count: 16)) {
            case .supported(let format):
                result.inputs.append(BatchInput(path: path, relativePath: name, format: format))
            case .unsupported(let format):
                result.failures.append(BatchFailure(
                    path: path, reason: "unsupported format (\(format)); vis reads PNG and JPEG"))
            case .unknown:
                result.failures.append(BatchFailure(path: path, reason: "not an image (no PNG or JPEG signature)"))
            }
        } catch {
            result.failures.append(BatchFailure(path: path, reason: "cannot be read: \(error.message)"))
        }
    }

    mutating func visit(folder: String, relative: String, root: String, into found: inout [BatchInput]) {
        let names: [String]
        do throws(FileSystemError) {
            names = try Folder.entries(of: folder)
        } catch {
            result.failures.append(BatchFailure(path: folder, reason: "cannot read folder: \(error.message)"))
            return
        }
        for name in names where !name.hasPrefix(".") {
            let path = Folder.join(folder, name)
            let relativePath = Folder.join(relative, name)
            guard let entry = FileStatus.of(path, followingSymlinks: false) else { continue }  // vanished meanwhile
            let isLink = entry.kind == .symlink
            guard let status = FileStatus.of(path) else { continue }            // broken link
            switch status.kind {
            case .directory:
                if status.identity == excluded { continue }
                if isLink {
                    guard let target = Folder.resolved(path),
                          target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/")
                    else { continue }
                }
                guard visitedFolders.insert(status.identity).inserted else { continue }
                visit(folder: path, relative: relativePath, root: root, into: &found)
            case .regularFile:
                guard seenFiles.insert(status.identity).inserted else { continue }
                do throws(FileSystemError) {
                    switch ImageFormat.sniff(try ReadableFile.prefix(of: path, count: 16)) {
                    case .supported(let format):
                        found.append(BatchInput(path: path, relativePath: relativePath, format: format))
                    case .unsupported(let format):
                        result.notImages.append(.init(path: path, format: format))
                    case .unknown where InputWalker.isNamedLikeAnImage(name):
                        result.notImages.append(.init(path: path, format: nil))
                    case .unknown:
                        result.skippedNonImages.append(path)
                    }
                } catch {
                    result.failures.append(BatchFailure(path: path, reason: "cannot be read: \(error.message)"))
                }
            case .other, .symlink, .missing:
                continue  // sockets, devices, fifos: never images
            }
        }
    }
}
