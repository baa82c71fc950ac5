/// All outputs of one source image: the files `<directory>/<stem>_<mode>.png` of a gallery folder,
/// and optionally the original picture.
public struct GalleryImage: Sendable, Equatable, Hashable {
    /// The sub-folder relative to the gallery folder, `/`-separated; `""` at the top level.
    public var directory: String
    /// The image's stem: the output file name without `_<mode>.png`.
    public var stem: String
    /// The original picture's path relative to the gallery folder, when one was found
    /// (see `GalleryScanner` for the rules); `nil` otherwise.
    public var original: String?
    /// The overlays, one per mode, in `GalleryMode` order.
    public var outputs: [GalleryOutput]

    public init(directory: String, stem: String, original: String?, outputs: [GalleryOutput]) {
        self.directory = directory
        self.stem = stem
        self.original = original
        self.outputs = outputs
    }

    /// `directory/stem`, or `stem` at the top level: the image's name in the page and in
    /// `.vis-index.json`.
    public var key: String { directory.isEmpty ? stem : directory + "/" + stem }
}
