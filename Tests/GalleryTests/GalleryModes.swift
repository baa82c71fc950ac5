import Gallery
import Rendering

/// The modes of the render registry as the gallery sees them (the tests' shorthand).
extension GalleryMode {
    static func registered(_ name: String) -> GalleryMode { GalleryMode(name, in: RenderMode.names)! }
    static let axial = registered("axial")
    static let selfAttention = registered("self")
    static let coordinate = registered("coord")
    static let glimpse = registered("glimpse")
    static let patch = registered("patch")
    static let all = registered("all")
}
