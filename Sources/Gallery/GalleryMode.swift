/// A rendering mode of `vis`, as it appears in an output file name `<stem>_<mode>.png`.
///
/// The gallery keeps no list of modes of its own: the caller passes the mode names in display
/// order (`vis view` passes the render registry's, `RenderMode.names`), and a mode sorts by
/// its position in that list.
public struct GalleryMode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name in the file name.
    public let rawValue: String
    /// Position in the display order.
    public let order: Int

    public init(rawValue: String, order: Int) {
        self.rawValue = rawValue
        self.order = order
    }

    /// The mode `name` when `modes` lists it.
    public init?(_ name: String, in modes: [String]) {
        guard let order = modes.firstIndex(of: name) else { return nil }
        self.init(rawValue: name, order: order)
    }

    /// The suffix that marks a copy of the source image beside its overlays: `<stem>_original.png`
    /// (what vis wrote before its previews; still shown).
    public static let originalSuffix = "original"
    /// The suffix of the picture as rendered, beside its overlays: `<stem>_preview.jpg`.
    public static let previewSuffix = "preview"

    public var description: String { rawValue }

    public static func < (lhs: GalleryMode, rhs: GalleryMode) -> Bool { lhs.order < rhs.order }
}
