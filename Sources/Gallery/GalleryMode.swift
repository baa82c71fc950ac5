/// A rendering mode of `vis`, as it appears in an output file name `<stem>_<mode>.png`.
///
/// The cases are listed in the order the gallery shows them (DESIGN.md, Contract 4).
public enum GalleryMode: String, CaseIterable, Sendable, Hashable, Comparable {
    case axial = "axial"
    case selfAttention = "self"
    case coordinate = "coord"
    case glimpse = "glimpse"
    case patch = "patch"
    case all = "all"

    /// The suffix that marks a copy of the source image beside its overlays: `<stem>_original.png`.
    public static let originalSuffix = "original"

    /// Position in the display order (axial first, all last).
    public var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: GalleryMode, rhs: GalleryMode) -> Bool { lhs.order < rhs.order }
}
