/// The query whose attention the axial and self modes show.
public enum QueryPoint: Sendable, Equatable {
    /// The most salient grid cell (spectral-residual saliency of the image).
    case auto
    /// A point in the original image's pixels, origin top-left.
    case pixel(x: Double, y: Double)

    /// Parses `auto` or `X,Y` (spaces allowed around the numbers).
    public init?(argument: String) {
        if argument == "auto" { self = .auto; return }
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.filter { $0 != " " } }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]),
              x.isFinite, y.isFinite else { return nil }
        self = .pixel(x: x, y: y)
    }
}
