import TensorCore

/// Blends a colour-mapped heat map over an image.
///
/// For each pixel with map value `v` (already in [0, 1], see ``HeatmapNormalization``) and
/// colour `c = colormap.color(for: v)`, the weight is `a = alpha` (``AlphaMode/constant``) or
/// `a = alpha · clamp(v, 0, 1)` (``AlphaMode/proportionalToValue``, so cold regions show the
/// image), and each channel is `out = round(image · (1 − a) + c · a)` computed in Float32 and
/// rounded half away from zero. `a == 0` leaves the pixel bit-identical, `a == 1` gives
/// exactly the colormap colour. NaN map values leave the pixel unchanged.
///
/// Shape: image `H × W`, map `[H, W]` (use ``Upsampling`` first) → image `H × W`.
public struct Blend: Sendable, Equatable {
    /// Where the per-pixel weight comes from.
    public enum AlphaMode: Sendable, Equatable {
        /// Every pixel uses `alpha`.
        case constant
        /// Pixel weight `alpha · v`: the heat map fades out where the value is low.
        case proportionalToValue
    }

    public var colormap: Colormap
    /// Opacity of the heat map, 0…1.
    public var alpha: Float
    public var alphaMode: AlphaMode

    public init(colormap: Colormap = .jet, alpha: Float = 0.5, alphaMode: AlphaMode = .constant) {
        precondition((0...1).contains(alpha), "alpha must be in 0…1, got \(alpha)")
        self.colormap = colormap
        self.alpha = alpha
        self.alphaMode = alphaMode
    }

    /// The image with `map` blended over it.
    public func callAsFunction(image: RGBCanvas, map: Tensor) -> RGBCanvas {
        precondition(map.shape == [image.height, image.width],
                     "heat map shape \(map.shape) does not match image \([image.height, image.width])")
        var out = image
        for i in 0..<(image.width * image.height) {
            let v = map.storage[i]
            guard let index = colormap.index(for: v) else { continue }
            let a: Float
            switch alphaMode {
            case .constant: a = alpha
            case .proportionalToValue: a = alpha * min(max(v, 0), 1)
            }
            if a <= 0 { continue }
            let o = 3 * i, c = 3 * index
            if a >= 1 {
                out.pixels[o] = colormap.lut[c]
                out.pixels[o + 1] = colormap.lut[c + 1]
                out.pixels[o + 2] = colormap.lut[c + 2]
                continue
            }
            let keep = 1 - a
            for k in 0..<3 {
                out.pixels[o + k] = UInt8((Float(image.pixels[o + k]) * keep + Float(colormap.lut[c + k]) * a).rounded())
            }
        }
        return out
    }

    /// The whole pipeline for one grid: normalise, upsample to the image size, blend.
    ///
    /// Shape: image `H × W`, grid `[h, w]` → image `H × W`.
    public func overlay(image: RGBCanvas, grid: Tensor,
                        normalization: HeatmapNormalization = .minMax,
                        upsampling: Upsampling = .bilinear) -> RGBCanvas {
        precondition(grid.rank == 2, "a heat-map grid has shape [h, w], got \(grid.shape)")
        let normalized = normalization.apply(grid)
        let map = upsampling.resize(normalized, height: image.height, width: image.width)
        return self(image: image, map: map)
    }

    /// The colour-mapped map alone (alpha 1), as an image.
    ///
    /// Shape: map `[H, W]` → image `H × W`.
    public static func colorize(_ map: Tensor, colormap: Colormap) -> RGBCanvas {
        precondition(map.rank == 2, "a heat map has shape [H, W], got \(map.shape)")
        var out = RGBCanvas(width: map.shape[1], height: map.shape[0])
        for (i, v) in map.storage.enumerated() {
            let c = colormap.color(for: v)
            out.pixels[3 * i] = c.red
            out.pixels[3 * i + 1] = c.green
            out.pixels[3 * i + 2] = c.blue
        }
        return out
    }
}
