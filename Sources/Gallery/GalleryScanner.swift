import FileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the outputs of `vis` in a folder and groups them by source image.
///
/// Walks the folder recursively and collects every file named `<stem>_<mode>.png` whose
/// suffix is one of `modes` (the last `_` separates stem and mode, so `my_cat_axial.png` is image
/// `my_cat`). Files of one sub-folder with one stem form a `GalleryImage`.
///
/// The original picture of an image is, in this order:
/// 1. `<stem>_preview.jpg` (what `vis` writes: the picture at the rendered size), else
///    `<stem>_original.png` (or `.jpg`, `.jpeg`, from older runs) beside its overlays;
/// 2. the path recorded for the image's key in the optional `<OUT>/.vis-index.json`
///    (see `GalleryIndex`);
/// and is shown only when it exists and its real path lies inside the folder.
///
/// Hidden files and folders (name starting with `.`) are skipped; symlinked folders are not
/// followed; a symlinked file counts only when its target lies inside the folder (the server
/// would refuse it otherwise). Images are sorted by sub-folder, then stem, comparing UTF-8 bytes,
/// so the result does not depend on the file system's listing order.
public struct GalleryScanner: Sendable {
    /// The folder to scan.
    public var directory: URL
    /// The mode names, in display order (`RenderMode.names`).
    public var modes: [String]
    /// How many folder levels below `directory` are walked at most.
    public var maximumDepth: Int

    public init(directory: URL, modes: [String], maximumDepth: Int = 32) {
        precondition(maximumDepth >= 0, "maximumDepth must be >= 0, got \(maximumDepth)")
        self.directory = directory
        self.modes = modes
        self.maximumDepth = maximumDepth
    }

    /// The names accepted for the picture beside the overlays, preferred first:
    /// `_preview.jpg`, then `_original.png`, `.jpg`, `.jpeg`.
    static let originalNames: [(suffix: String, fileExtension: String)] = [
        (GalleryMode.previewSuffix, "jpg"),
        (GalleryMode.originalSuffix, "png"), (GalleryMode.originalSuffix, "jpg"), (GalleryMode.originalSuffix, "jpeg"),
    ]

    /// Preference of a picture named `<stem>_<suffix>.<fileExtension>` (lower first); nil when not one.
    static func originalRank(suffix: String, fileExtension: String) -> Int? {
        originalNames.firstIndex { $0.suffix == suffix && $0.fileExtension == fileExtension }
    }

    private struct Group {
        var outputs: [GalleryMode: String] = [:]
        var original: String?
        var originalRank: Int?
    }

    private struct GroupKey: Hashable {
        var directory: String
        var stem: String
    }

    /// Scans the folder. Throws when it is not a folder, when a sub-folder cannot be listed, or
    /// when `.vis-index.json` is malformed.
    public func scan() throws(GalleryError) -> [GalleryImage] {
        let root = try GalleryRoot(directory)
        let index = try GalleryIndex.load(from: URL(fileURLWithPath: root.path))
        var groups: [GroupKey: Group] = [:]
        try walk(root: root, relative: "", depth: 0, into: &groups)

        var images: [GalleryImage] = []
        for (key, group) in groups where !group.outputs.isEmpty {
            let imageKey = key.directory.isEmpty ? key.stem : key.directory + "/" + key.stem
            let original = group.original
                ?? index.originals[imageKey].flatMap { Self.indexedOriginal($0, root: root) }
            let outputs = group.outputs.sorted { $0.key < $1.key }
                .map { GalleryOutput(mode: $0.key, path: $0.value) }
            images.append(GalleryImage(directory: key.directory, stem: key.stem,
                                       original: original, outputs: outputs))
        }
        return images.sorted { lhs, rhs in
            if lhs.directory != rhs.directory {
                return lhs.directory.utf8.lexicographicallyPrecedes(rhs.directory.utf8)
            }
            return lhs.stem.utf8.lexicographicallyPrecedes(rhs.stem.utf8)
        }
    }

    /// The path of an original recorded in the index, relative to the root, when it is a
    /// regular file inside the root.
    static func indexedOriginal(_ recorded: String, root: GalleryRoot) -> String? {
        let joined = recorded.hasPrefix("/") ? recorded : root.path + "/" + recorded
        guard let real = GalleryRoot.realPath(joined), real != root.path,
              root.contains(realPath: real),
              FileKind.of(real) == .regularFile else { return nil }
        let prefix = root.path == "/" ? "/" : root.path + "/"
        return String(real.dropFirst(prefix.count))
    }

    private func walk(root: GalleryRoot, relative: String, depth: Int,
                      into groups: inout [GroupKey: Group]) throws(GalleryError) {
        let folder = relative.isEmpty ? root.path : root.path + "/" + relative
        let names: [String]
        do {
            names = try Folder.entries(of: folder)
        } catch {
            throw .unreadableDirectory(path: folder, reason: error.message)
        }
        for name in names where !name.hasPrefix(".") {
            let path = relative.isEmpty ? name : relative + "/" + name
            switch FileKind.of(folder + "/" + name, followingSymlinks: false) {
            case .directory:
                if depth < maximumDepth {
                    try walk(root: root, relative: path, depth: depth + 1, into: &groups)
                }
            case .regularFile:
                record(name: name, path: path, directory: relative, into: &groups)
            case .symlink:
                if case let .inside(real) = root.resolve(relative: path),
                   FileKind.of(real) == .regularFile {
                    record(name: name, path: path, directory: relative, into: &groups)
                }
            case .other, .missing:
                continue
            }
        }
    }

    private func record(name: String, path: String, directory: String,
                        into groups: inout [GroupKey: Group]) {
        guard let (stem, suffix, fileExtension) = Self.split(name) else { return }
        let key = GroupKey(directory: directory, stem: stem)
        if fileExtension == "png", let mode = GalleryMode(suffix, in: modes) {
            groups[key, default: Group()].outputs[mode] = path
        } else if let rank = Self.originalRank(suffix: suffix, fileExtension: fileExtension) {
            // The preferred name wins when several pictures exist (a folder rendered before and after previews).
            if let current = groups[key]?.originalRank, current <= rank { return }
            groups[key, default: Group()].original = path
            groups[key, default: Group()].originalRank = rank
        }
    }

    /// Splits `stem_suffix.ext` at the last `_` and the last `.`; `nil` when either is missing
    /// or the stem is empty.
    static func split(_ name: String) -> (stem: String, suffix: String, fileExtension: String)? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let base = name[..<dot]
        let fileExtension = String(name[name.index(after: dot)...])
        guard let underscore = base.lastIndex(of: "_"), underscore > base.startIndex else {
            return nil
        }
        return (String(base[..<underscore]), String(base[base.index(after: underscore)...]),
                fileExtension)
    }
}
