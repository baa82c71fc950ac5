import Attention
import Models
import Overlay
import TensorCore

/// One image through a trained vision transformer: every block's attention and the top
/// classes, computed once per image (alone, or with the other images of a group in one
/// forward pass, ``passes(checkpoint:inputs:readout:)``) and read by the `cls`, `rollout`,
/// `mask` and `self` modes.
///
/// The input is the scene's canvas resampled (area averaging) to the network's size at the
/// image's own aspect ratio: the long side is `networkLongSide` (default: the checkpoint's
/// input size, else 224), the short side follows the aspect ratio, and both are rounded to
/// whole patches (at least one). One input channel takes the luma (Pillow's `convert("L")`
/// integer formula); then (x/255 − mean)/std with the checkpoint's `pretrained_cfg` (ImageNet's
/// mean and std when it has none). The patch grid then covers the whole canvas, cell (r, c)
/// over canvas rows r·H/rows ..< (r+1)·H/rows, as the weight-free grid does.
///
/// With `crop` (`--model-crop`: timm's evaluation transform, the short side resized to
/// size/crop_pct and the centre size × size kept), the network sees the centred square whose
/// side is crop_pct of the image's short side, resampled to size × size; ``area`` is that
/// square on the drawn canvas, and the maps are drawn over it alone.
///
/// Shape: canvas W×H -> input [1, C, h, w] (h, w multiples of the patch p) -> attention
/// [1, heads, T, T] per block, T = prefix tokens + (h/p)·(w/p).
public struct TransformerPass: Sendable {
    public let layout: TokenLayout
    /// One `[1, heads, T, T]` per block (the last `[1, heads, 1, T]` with the class-token readout).
    public let attention: [Tensor]
    /// The five most probable classes (fewer when there are fewer); empty without a head.
    public let predictions: [ClassPrediction]
    /// The network's input size in pixels.
    public let inputWidth: Int, inputHeight: Int
    /// The part of the drawn canvas the network saw (the whole canvas unless cropped).
    public let area: PixelRect
    /// The drawn canvas's size that ``area`` refers to.
    public let canvasWidth: Int, canvasHeight: Int

    /// ImageNet's mean and standard deviation, for checkpoints that give none.
    static let imageNetMean = [0.485, 0.456, 0.406], imageNetStd = [0.229, 0.224, 0.225]

    /// What the network is given for one image, and where its grid lies on the drawn canvas.
    public struct Input: Sendable {
        /// Shape: [1, C, h, w], normalised.
        public let tensor: Tensor
        let layout: TokenLayout
        let area: PixelRect
        let canvasWidth: Int, canvasHeight: Int
    }

    /// - Parameters:
    ///   - canvas: the image as drawn, before any enlargement (`enlargement` times smaller).
    ///   - crop: centre-crop as timm's evaluation transform does, with the checkpoint's
    ///     `crop_pct` (timm's default 0.875 when it gives none).
    ///   - readout: `.classToken` when only the class token's rows and the predictions will
    ///     be read: the last block then attends the class token alone (its attention is
    ///     `[1, heads, 1, T]`, the class token's row). Ignored for a model whose output the
    ///     class token alone does not determine (``VisionTransformer/readsClassTokenAlone``).
    public init(checkpoint: ViTCheckpoint, canvas full: RGBCanvas, longSide: Int? = nil, crop: Bool = false,
                enlargement: Int = 1, readout: VisionTransformer.Readout = .allTokens) throws {
        let input = Self.input(checkpoint: checkpoint, canvas: full, longSide: longSide, crop: crop, enlargement: enlargement)
        let model = checkpoint.model
        let result = try model(input.tensor, capture: .full, readout: model.readsClassTokenAlone ? readout : .allTokens)
        try self.init(checkpoint: checkpoint, input: input, result: result)
    }

    /// The passes of several images through one forward pass of the network (a ragged batch,
    /// ``VisionTransformer/callAsFunction(images:keepWeights:readout:)``): each the same as
    /// its own ``init(checkpoint:canvas:longSide:crop:enlargement:readout:)`` up to the float
    /// rounding of products over more rows, with each weight packed once for all of them.
    public static func passes(checkpoint: ViTCheckpoint, inputs: [Input],
                              readout: VisionTransformer.Readout = .allTokens) throws -> [TransformerPass] {
        let model = checkpoint.model
        let results = try model(images: inputs.map(\.tensor), keepWeights: true,
                                readout: model.readsClassTokenAlone ? readout : .allTokens)
        return try zip(inputs, results).map { try TransformerPass(checkpoint: checkpoint, input: $0, result: $1) }
    }

    /// The network's input for `canvas` (see the type's comment).
    public static func input(checkpoint: ViTCheckpoint, canvas full: RGBCanvas, longSide: Int? = nil, crop: Bool = false,
                             enlargement: Int = 1) -> Input {
        let c = checkpoint.model.configuration
        let configured = checkpoint.preprocessing?.inputSize.flatMap { $0.count == 3 ? Swift.max($0[1], $0[2]) : nil }
        let size = longSide ?? configured ?? 224
        var canvas = full
        let area: PixelRect
        if crop {
            let fraction = checkpoint.preprocessing?.cropPercent ?? 0.875
            let side = Swift.max(1, Swift.min(Swift.min(full.width, full.height),
                                              Int((Double(Swift.min(full.width, full.height)) * fraction).rounded())))
            let (x0, y0) = ((full.width - side) / 2, (full.height - side) / 2)
            canvas = RGBCanvas(width: side, height: side)
            canvas.paste(full, x: -x0, y: -y0)
            area = PixelRect(x: x0 * enlargement, y: y0 * enlargement, width: side * enlargement, height: side * enlargement)
        } else {
            area = PixelRect(x: 0, y: 0, width: full.width * enlargement, height: full.height * enlargement)
        }
        let (width, height) = Self.inputSize(width: canvas.width, height: canvas.height, longSide: size, patch: c.patchSize)
        let mean = checkpoint.preprocessing?.mean ?? Self.imageNetMean
        let std = checkpoint.preprocessing?.std ?? Self.imageNetStd
        let resized = canvas.width == width && canvas.height == height
            ? canvas : canvas.resized(width: width, height: height, method: .area)
        return Input(tensor: Self.input(resized, channels: c.inputChannels, mean: mean, std: std),
                     layout: TokenLayout(hasClassToken: c.classToken, registerCount: c.registerTokens,
                                         rows: height / c.patchSize, columns: width / c.patchSize),
                     area: area, canvasWidth: full.width * enlargement, canvasHeight: full.height * enlargement)
    }

    /// The pass of `input` from the network's `result` for it.
    init(checkpoint: ViTCheckpoint, input: Input, result: VisionTransformer.Result) throws {
        let c = checkpoint.model.configuration
        layout = input.layout
        area = input.area
        (canvasWidth, canvasHeight) = (input.canvasWidth, input.canvasHeight)
        attention = result.attention
        let names = checkpoint.labels.isEmpty ? nil : checkpoint.labels   // else ImageNet's for 1000 classes
        predictions = try result.logits.map { try ClassPrediction.top($0, k: Swift.min(5, c.numClasses), names: names)[0] } ?? []
        (inputWidth, inputHeight) = (input.tensor.shape[3], input.tensor.shape[2])
    }

    /// The input size for a `width × height` image: long side `longSide`, the short side at
    /// the aspect ratio, each rounded to the nearest whole number of patches (at least one).
    public static func inputSize(width: Int, height: Int, longSide: Int, patch: Int) -> (width: Int, height: Int) {
        let long = Double(Swift.max(width, height))
        let round = { (side: Double) in Swift.max(1, Int((side / Double(patch)).rounded())) * patch }
        return (round(Double(width) / long * Double(longSide)), round(Double(height) / long * Double(longSide)))
    }

    /// Shape: canvas H×W RGB -> [1, C, H, W], (x/255 − mean[c])/std[c]; C = 1 takes the
    /// luma (R·19595 + G·38470 + B·7471 + 2¹⁵) >> 16, Pillow's `convert("L")`.
    static func input(_ canvas: RGBCanvas, channels: Int, mean: [Double], std: [Double]) -> Tensor {
        let n = canvas.width * canvas.height
        var out = [Float](repeating: 0, count: channels * n)
        let p = canvas.pixels
        for c in 0..<channels {
            let m = Float(mean[Swift.min(c, mean.count - 1)]), s = Float(std[Swift.min(c, std.count - 1)])
            for i in 0..<n {
                let value: Int
                if channels == 1 {
                    value = (Int(p[3 * i]) * 19595 + Int(p[3 * i + 1]) * 38470 + Int(p[3 * i + 2]) * 7471 + 0x8000) >> 16
                } else {
                    value = Int(p[3 * i + Swift.min(c, 2)])
                }
                out[c * n + i] = (Float(value) / 255 - m) / s
            }
        }
        return Tensor(shape: [1, channels, canvas.height, canvas.width], storage: out)
    }

    /// The patch under a pixel of the drawn canvas (clamped to the grid).
    public func cell(canvasX x: Int, canvasY y: Int) -> (row: Int, column: Int) {
        (Swift.min(layout.rows - 1, Swift.max(0, (y - area.y) * layout.rows / Swift.max(1, area.height))),
         Swift.min(layout.columns - 1, Swift.max(0, (x - area.x) * layout.columns / Swift.max(1, area.width))))
    }

    /// The part of `canvas` the network saw (`canvas` itself unless cropped); `canvas` may be
    /// the drawn canvas shrunk for a mosaic, ``area`` then scales with it.
    public func seen(in canvas: RGBCanvas) -> RGBCanvas {
        let part = Self.scaled(area, from: (canvasWidth, canvasHeight), to: (canvas.width, canvas.height))
        guard part != canvas.bounds else { return canvas }
        var seen = RGBCanvas(width: part.width, height: part.height)
        seen.paste(canvas, x: -part.x, y: -part.y)
        return seen
    }

    /// `rect` on a `from` canvas as the same part of a `to` canvas (rounded to whole pixels).
    static func scaled(_ rect: PixelRect, from: (Int, Int), to: (Int, Int)) -> PixelRect {
        guard from != to else { return rect }
        let sx = Double(to.0) / Double(Swift.max(1, from.0)), sy = Double(to.1) / Double(Swift.max(1, from.1))
        let x0 = Int((Double(rect.x) * sx).rounded()), y0 = Int((Double(rect.y) * sy).rounded())
        let x1 = Int((Double(rect.maxX) * sx).rounded()), y1 = Int((Double(rect.maxY) * sy).rounded())
        return PixelRect(x: x0, y: y0, width: Swift.max(1, x1 - x0), height: Swift.max(1, y1 - y0))
    }

    /// The block index `choice` names (the last for `.last`); `.all` has none.
    func block(_ choice: RenderSettings.LayerChoice) -> Int? {
        switch choice {
        case .last, .all: return nil
        case .block(let index): return index
        }
    }
}
