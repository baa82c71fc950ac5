import TensorCore

/// One overlay per attention head, tiled into a labelled ``Mosaic``.
///
/// Each head's grid is normalised on its own (``normalization``), upsampled to the image
/// size (``upsampling``) and blended over the image (``blend``); panels are labelled
/// `head 0`, `head 1`, … unless labels are given.
///
/// Shape: image `W × H`, maps `[heads, h, w]` → one mosaic of `heads` panels of `W × H`.
public struct HeadGrid: Sendable, Equatable {
    public var blend: Blend
    public var normalization: HeatmapNormalization
    public var upsampling: Upsampling
    public var mosaic: Mosaic

    public init(blend: Blend = Blend(), normalization: HeatmapNormalization = .minMax,
                upsampling: Upsampling = .bilinear, mosaic: Mosaic = Mosaic()) {
        self.blend = blend
        self.normalization = normalization
        self.upsampling = upsampling
        self.mosaic = mosaic
    }

    /// The per-head panels, before tiling.
    public func panels(image: RGBCanvas, maps: Tensor, labels: [String]? = nil) -> [Mosaic.Panel] {
        precondition(maps.rank == 3, "head maps have shape [heads, h, w], got \(maps.shape)")
        let (heads, h, w) = (maps.shape[0], maps.shape[1], maps.shape[2])
        precondition(labels.map { $0.count == heads } ?? true,
                     "\(heads) heads but \(labels?.count ?? 0) labels")
        return (0..<heads).map { head in
            // [heads, h, w] -> [h, w] for this head
            let grid = Tensor(shape: [h, w], storage: Array(maps.storage[(head * h * w)..<((head + 1) * h * w)]))
            let overlay = blend.overlay(image: image, grid: grid, normalization: normalization, upsampling: upsampling)
            return Mosaic.Panel(overlay, label: labels?[head] ?? "head \(head)")
        }
    }

    /// The tiled overlays.
    public func render(image: RGBCanvas, maps: Tensor, labels: [String]? = nil) -> RGBCanvas {
        mosaic.render(panels(image: image, maps: maps, labels: labels))
    }
}
