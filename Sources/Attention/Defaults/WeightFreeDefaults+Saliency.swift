import TensorCore

extension WeightFreeDefaults {
    /// Long side, in pixels, of the plane on which saliency is computed (Hou and Zhang
    /// work at 64 pixels: the spectral residual is a property of the coarse layout).
    public static let saliencySide = 64

    /// Spectral-residual saliency (Hou and Zhang, CVPR 2007) of the image.
    ///
    /// The image is turned grey (the mean of its channels — the same grey the texture
    /// features use), area-resized so that its long side is ``saliencySide`` (64) pixels
    /// and the short side `round(short · 64 / long)` (at least 1), and passed through the
    /// spectral residual (see `SpectralResidual`). Deterministic.
    ///
    /// Shape: image [1, C, H, W] in [0, 1] (C = 1 or 3) -> [h, w] in [0, 1], max(h, w) = 64.
    public static func saliency(image: Tensor) -> Tensor {
        let (height, width) = saliencySize(height: image.shape[2], width: image.shape[3])
        return Tensor(shape: [height, width], storage: saliencyPlane(image: image).map(Float.init))
    }

    /// The saliency map's size for an image of `height`×`width` pixels.
    public static func saliencySize(height: Int, width: Int) -> (height: Int, width: Int) {
        precondition(height >= 1 && width >= 1, "image must be at least 1×1, got \(height)×\(width)")
        let side = Double(saliencySide)
        if height >= width {
            return (saliencySide, max(1, Int((Double(width) * side / Double(height)).rounded())))
        }
        return (max(1, Int((Double(height) * side / Double(width)).rounded())), saliencySide)
    }

    /// The saliency plane in Double, as ``saliency(image:)`` returns it.
    ///
    /// Shape: image [1, C, H, W] -> [h·w].
    static func saliencyPlane(image: Tensor) -> [Double] {
        checkImage(image)
        let (height, width) = (image.shape[2], image.shape[3])
        let (h, w) = saliencySize(height: height, width: width)
        let small = AreaResampling.resize(grey(image), height: height, width: width, toHeight: h, toWidth: w)
        return SpectralResidual.saliency(small, height: h, width: w)
    }

    /// The mean of the channels.
    ///
    /// Shape: image [1, C, H, W] -> [H·W].
    static func grey(_ image: Tensor) -> [Double] {
        let (c, h, w) = (image.shape[1], image.shape[2], image.shape[3])
        var plane = [Double](repeating: 0, count: h * w)
        for channel in 0..<c {
            for i in 0..<(h * w) { plane[i] += Double(image.storage[channel * h * w + i]) }
        }
        return plane.map { $0 / Double(c) }
    }

    /// Preconditions on an input image: [1, C, H, W] with C = 1 or 3, H, W ≥ 1.
    static func checkImage(_ image: Tensor) {
        precondition(image.rank == 4 && image.shape[0] == 1 && (image.shape[1] == 1 || image.shape[1] == 3)
                     && image.shape[2] >= 1 && image.shape[3] >= 1,
                     "weight-free defaults expect an image [1, C, H, W] with C = 1 or 3, got \(image.shape)")
    }
}
