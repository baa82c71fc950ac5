import ImageCodecs

/// One image found by the `InputWalker`: where to read it, and where it sits relative to the
/// folder argument it came from (which decides its place in the output tree and its shard).
public struct BatchInput: Sendable, Equatable, Hashable {
    /// The path to open: the folder argument joined with `relativePath`, or the file
    /// argument as given.
    public let path: String
    /// The path inside the folder argument (`"cats/tabby.jpg"`); for a file given explicitly,
    /// its file name. Shards are assigned from this string.
    public let relativePath: String
    /// The format recognised from the file's first bytes.
    public let format: ImageFormat

    public init(path: String, relativePath: String, format: ImageFormat) {
        self.path = path
        self.relativePath = relativePath
        self.format = format
    }

    /// The sub-folder part of `relativePath` (`"cats"`), empty at the top level.
    public var subfolder: String {
        guard let slash = relativePath.lastIndex(of: "/") else { return "" }
        return String(relativePath[..<slash])
    }

    /// The file name (`"tabby.jpg"`).
    public var fileName: String {
        guard let slash = relativePath.lastIndex(of: "/") else { return relativePath }
        return String(relativePath[relativePath.index(after: slash)...])
    }

    /// The file name without its last extension (`"tabby"`; `".jpg"` of a name like
    /// `"x.tar.jpg"` only; a name without a dot is its own stem).
    public var stem: String {
        let name = fileName
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
