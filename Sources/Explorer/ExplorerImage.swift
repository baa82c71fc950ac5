/// One image the explorer may show: addressed by its index in the list given at start, so no
/// request can name a path (nothing outside the given paths is reachable by construction).
public struct ExplorerImage: Sendable, Equatable {
    /// Shown in the page (the path relative to the folder given, or the file's name).
    public var name: String
    /// Where it is read from.
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}
