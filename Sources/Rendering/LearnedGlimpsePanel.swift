import Attention
import Overlay
import TensorCore

/// The drawing of one run of a trained Recurrent Attention Model on a digit: the enlarged
/// digit with the learned scan path (each glimpse's box, numbered in order, joined by the
/// path), a strip of the glimpses as the network saw them, and the predicted class with its
/// probability. With several sampled runs (`samplePaths`) their paths are drawn faintly
/// underneath and the prediction is the averaged one.
///
/// Self-contained (plain values in, a canvas out) so that a render mode can call it with a
/// ``RecurrentAttentionRun`` of the `Models` target: `digit` is the 28×28 image in [0, 1],
/// `path` the locations l₀ … l_{T−1} in [−1, 1]², `glimpses` the T flattened φ (normalised
/// values, zeros outside the image).
///
/// Layout (magnification m, default 8): the digit at m× (224×224), glimpse t's box is the
/// 8×8 pixel patch whose top-left pixel is c − 4, c = ⌊0.5·(l + 1)·28⌋ (the sensor's own
/// ``GlimpseSampler/boxes(locations:height:width:)``), drawn at m×; below, the glimpses at
/// 3× each, numbered; then the prediction.
///
/// Shape: digit [28·28], path T × (x, y), glimpses T × [g²] -> an RGB canvas of
/// 28m × (28m + 3g + 44) pixels.
public struct LearnedGlimpsePanel: Sendable {
    public var digit: [Float]
    public var path: [SIMD2<Float>]
    public var glimpses: [[Float]]
    public var samplePaths: [[SIMD2<Float>]]
    public var predictedClass: Int
    public var probability: Float
    /// The model's input normalisation, to show the glimpses as grey levels: v·std + mean.
    public var inputMean: Float, inputStandardDeviation: Float
    public var magnification: Int
    /// Glimpse side g (pixels of the 28×28 digit).
    public var patchSize: Int

    /// Side of the digit field.
    public static let fieldSize = 28
    /// Magnification of the glimpse strip.
    public static let stripScale = 3
    /// Colours of glimpses 1, 2, …: from yellow (first) to red (last), repeating.
    public static let stepColors: [RGBColor] = [0xFFFF00, 0xFFC000, 0xFF9000, 0xFF6000, 0xFF3000, 0xFF0000].map { RGBColor(hex: $0) }
    /// Colour of the faint paths of the other sampled runs.
    public static let faintColor = RGBColor(hex: 0x2F6F8F)

    public init(digit: [Float], path: [SIMD2<Float>], glimpses: [[Float]], samplePaths: [[SIMD2<Float>]] = [],
                predictedClass: Int, probability: Float, inputMean: Float, inputStandardDeviation: Float,
                magnification: Int = 8, patchSize: Int = 8) {
        precondition(digit.count == Self.fieldSize * Self.fieldSize, "digit must be 28×28, got \(digit.count) values")
        precondition(glimpses.count == path.count && glimpses.allSatisfy { $0.count == patchSize * patchSize },
                     "one \(patchSize)×\(patchSize) glimpse per location expected")
        (self.digit, self.path, self.glimpses, self.samplePaths) = (digit, path, glimpses, samplePaths)
        (self.predictedClass, self.probability) = (predictedClass, probability)
        (self.inputMean, self.inputStandardDeviation) = (inputMean, inputStandardDeviation)
        (self.magnification, self.patchSize) = (magnification, patchSize)
    }

    /// The glimpse boxes of a path in digit pixels, as the sensor cuts them.
    func boxes(_ path: [SIMD2<Float>]) -> [GlimpseSampler.Box] {
        guard let sensor = try? GlimpseSampler(patchSize: patchSize, numPatches: 1, scale: 2,
                                               referenceHeightForBothAxes: true), !path.isEmpty else { return [] }
        let locations = Tensor(shape: [path.count, 2], storage: path.flatMap { [$0.x, $0.y] })
        return sensor.boxes(locations: locations, height: Self.fieldSize, width: Self.fieldSize)
    }

    /// Glimpse `step`'s box on the canvas (may extend past the digit, where it is clipped).
    public func glimpseRect(step: Int) -> PixelRect {
        let box = boxes(path)[step]
        return PixelRect(x: box.x * magnification, y: box.y * magnification,
                         width: box.size * magnification, height: box.size * magnification)
    }

    /// Top-left corner of glimpse `step` in the strip, on the canvas.
    public func stripOrigin(step: Int) -> (x: Int, y: Int) {
        let side = patchSize * Self.stripScale
        return (4 + step * (side + 6), Self.fieldSize * magnification + 6)
    }

    /// Draws the panel.
    public func render() -> RGBCanvas {
        let m = magnification, side = Self.fieldSize * m
        let stripSide = patchSize * Self.stripScale
        var canvas = RGBCanvas(width: side, height: side + stripSide + 44, fill: .black)
        // The digit, each pixel an m×m block.
        for y in 0..<Self.fieldSize {
            for x in 0..<Self.fieldSize {
                canvas.fillRectangle(PixelRect(x: x * m, y: y * m, width: m, height: m), color: Self.grey(digit[y * 28 + x]))
            }
        }
        // The other runs' paths, faintly, under the main one.
        for other in samplePaths { drawPath(other, on: &canvas, color: Self.faintColor, thickness: 1) }
        drawPath(path, on: &canvas, color: .white, thickness: 2)
        for step in path.indices {
            let color = Self.stepColors[step % Self.stepColors.count]
            let rect = glimpseRect(step: step)
            canvas.drawRectangle(rect, color: color, thickness: 2)
            canvas.drawText("\(step + 1)", x: max(0, rect.x) + 4, y: max(0, rect.y) + 4, color: color, scale: 2,
                            background: .black)
            // The strip: the glimpse as the network saw it, back in grey levels.
            let origin = stripOrigin(step: step)
            for py in 0..<patchSize {
                for px in 0..<patchSize {
                    let value = glimpses[step][py * patchSize + px] * inputStandardDeviation + inputMean
                    canvas.fillRectangle(PixelRect(x: origin.x + px * Self.stripScale, y: origin.y + py * Self.stripScale,
                                                   width: Self.stripScale, height: Self.stripScale), color: Self.grey(value))
                }
            }
            canvas.drawRectangle(PixelRect(x: origin.x - 1, y: origin.y - 1, width: stripSide + 2, height: stripSide + 2),
                                 color: color)
            canvas.drawText("\(step + 1)", x: origin.x, y: origin.y + stripSide + 3, color: color)
        }
        let percent = (probability * 1000).rounded() / 10
        canvas.drawText("\(predictedClass)  p=\(percent)%", x: 4, y: side + stripSide + 22, color: .white, scale: 2)
        return canvas
    }

    /// Lines between the centres of consecutive glimpses (c·m, the centre of each box).
    private func drawPath(_ path: [SIMD2<Float>], on canvas: inout RGBCanvas, color: RGBColor, thickness: Int) {
        let centres = boxes(path).map { ($0.x * magnification + $0.size * magnification / 2,
                                         $0.y * magnification + $0.size * magnification / 2) }
        for (a, b) in zip(centres, centres.dropFirst()) {
            canvas.drawLine(x0: a.0, y0: a.1, x1: b.0, y1: b.1, color: color, thickness: thickness)
        }
    }

    /// A grey level in [0, 1] as a colour (clamped, rounded).
    static func grey(_ value: Float) -> RGBColor {
        let level = UInt8((min(max(value, 0), 1) * 255).rounded())
        return RGBColor(red: level, green: level, blue: level)
    }
}
