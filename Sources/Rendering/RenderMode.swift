/// What `vis` draws over an image (Contract 4).
public enum RenderMode: String, CaseIterable, Sendable {
    /// Effective 2-D attention of the query through the row and column passes.
    case axial
    /// Global self-attention map of the query.
    case `self`
    /// Coordinate-attention gate map with its a_h / a_w profiles.
    case coord
    /// RAM glimpses: nested squares, scan path, and the patches the sensor sees.
    case glimpse
    /// Patch grid and the first three principal components of the patch embeddings.
    case patch
    /// Every mode in one labelled mosaic.
    case all

    /// The single modes that `all` combines, in mosaic order.
    public static let panels: [RenderMode] = [.axial, .self, .coord, .glimpse, .patch]
}
