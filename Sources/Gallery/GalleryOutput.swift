/// One rendered overlay file of an image.
public struct GalleryOutput: Sendable, Equatable, Hashable {
    /// The mode named by the file's suffix.
    public var mode: GalleryMode
    /// The file's path relative to the gallery folder, `/`-separated, not percent-encoded
    /// (e.g. `birds/owl_axial.png`).
    public var path: String

    public init(mode: GalleryMode, path: String) {
        self.mode = mode
        self.path = path
    }
}
