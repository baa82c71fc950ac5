import Foundation
import TensorCore

/// The foveated glimpse sensor of the Recurrent Attention Model.
///
/// Mnih et al., "Recurrent Models of Visual Attention" (NeurIPS 2014); follows
/// `Retina.foveate` of kevinzakka/recurrent-visual-attention. Around a location
/// l = (x, y) ∈ [-1, 1]² ((-1, -1) is the top-left corner, (1, 1) the bottom-right) it
/// cuts k square patches of sides g, ⌊s·g⌋, ⌊s·⌊s·g⌋⌋, …, reads zeros outside the image,
/// average-pools patch i with kernel and stride sideᵢ / g down to g×g, and concatenates
/// the k patches on channels.
///
/// The centre is `⌊0.5·((l + 1)·T)⌋` pixels (Float32 arithmetic, truncated toward zero) and
/// a patch's top-left corner is centre − side / 2 (integer division). The reference uses
/// the image HEIGHT as T for both coordinates; by default this sampler maps x through the
/// WIDTH and y through the height, which is identical on square images. Set
/// ``referenceHeightForBothAxes`` for exact parity with the reference on non-square images.
///
/// Shape: input [B, C, H, W], locations [B, 2] as (x, y) -> glimpses [B, k·C, g, g],
/// channel i·C + c holding channel c of patch i.
///
/// Model files (Contract 1, module `glimpse`): no tensors; metadata `patch_size` (g),
/// `num_patches` (k), `scale` (s).
public struct GlimpseSampler: Sendable {
    /// The Contract 1 module name.
    public static let moduleName = "glimpse"

    /// Side g of the first patch and of every pooled output patch.
    public let patchSize: Int
    /// Number of patches k.
    public let numPatches: Int
    /// Growth factor s between successive patch sides.
    public let scale: Double
    /// Use the image height to denormalise both x and y, as the reference does.
    public var referenceHeightForBothAxes: Bool

    /// A pixel rectangle cut from the image: columns `x..<x+size`, rows `y..<y+size`
    /// (origin top-left; may extend past the image, where the patch reads zeros).
    public struct Box: Sendable, Equatable {
        /// Batch index.
        public var batch: Int
        /// Patch index, 0 for the smallest.
        public var patch: Int
        /// Left column (inclusive).
        public var x: Int
        /// Top row (inclusive).
        public var y: Int
        /// Side in pixels.
        public var size: Int

        public init(batch: Int, patch: Int, x: Int, y: Int, size: Int) {
            (self.batch, self.patch, self.x, self.y, self.size) = (batch, patch, x, y, size)
        }
    }

    /// A sampler with patch size g, k patches and scale s.
    ///
    /// - Throws: ``AttentionError/invalidHyperparameter(name:value:reason:)`` when a patch
    ///   side cannot be average-pooled to exactly g×g (as the reference's `torch.cat` would fail).
    public init(patchSize: Int, numPatches: Int, scale: Double, referenceHeightForBothAxes: Bool = false) throws {
        guard patchSize >= 1 else {
            throw AttentionError.invalidHyperparameter(name: "patch_size", value: "\(patchSize)", reason: "must be at least 1")
        }
        guard patchSize <= Self.largestSide else {
            throw AttentionError.invalidHyperparameter(name: "patch_size", value: "\(patchSize)",
                                                       reason: "must be at most \(Self.largestSide)")
        }
        guard (1...Self.mostPatches).contains(numPatches) else {
            throw AttentionError.invalidHyperparameter(name: "num_patches", value: "\(numPatches)",
                                                       reason: "must be from 1 to \(Self.mostPatches)")
        }
        // The largest side, g·sᵏ⁻¹ at most, is checked before any side is converted to Int.
        guard scale.isFinite, scale > 0,
              Double(patchSize) * Foundation.pow(Swift.max(scale, 1), Double(numPatches - 1)) <= Double(Self.largestSide)
        else {
            throw AttentionError.invalidHyperparameter(
                name: "scale", value: "\(scale)",
                reason: "must be positive, with the largest patch (\(patchSize)·scale^\(numPatches - 1)) at most \(Self.largestSide) pixels")
        }
        self.patchSize = patchSize
        self.numPatches = numPatches
        self.scale = scale
        self.referenceHeightForBothAxes = referenceHeightForBothAxes
        for side in patchSides {
            let kernel = side / patchSize
            guard kernel >= 1, side / kernel == patchSize else {
                throw AttentionError.invalidHyperparameter(
                    name: "scale", value: "\(scale)",
                    reason: "patch side \(side) does not average-pool to \(patchSize)×\(patchSize)")
            }
        }
    }

    /// The largest patch side (the first, g, and the last, g·sᵏ⁻¹) and the most scales k a
    /// sampler takes, and the most glimpses a run takes: far past what a network or a picture
    /// uses (the RAM: 8 pixels, 1 to 3 scales, 6 glimpses), so that only a mistyped value meets
    /// them, and it is refused before a patch or a path of that size is made.
    public static let largestSide = 1 << 14, mostPatches = 16, mostGlimpses = 1024

    /// Reads a Contract 1 `glimpse` model (metadata only).
    public init(weights: WeightSet, referenceHeightForBothAxes: Bool = false) throws {
        let module = Self.moduleName
        try self.init(patchSize: try weights.integer("patch_size", module: module),
                      numPatches: try weights.integer("num_patches", module: module),
                      scale: try weights.number("scale", module: module),
                      referenceHeightForBothAxes: referenceHeightForBothAxes)
    }

    /// Sides of the k patches: g, then `int(s · previous)` as the reference computes them.
    public var patchSides: [Int] {
        var sides = [patchSize]
        while sides.count < numPatches { sides.append(Int(scale * Double(sides[sides.count - 1]))) }
        return sides
    }

    /// The k boxes of every batch item for an image of `height`×`width` pixels.
    ///
    /// Shape: locations [B, 2] as (x, y) in [-1, 1] -> B·k boxes, batch-major.
    public func boxes(locations: Tensor, height: Int, width: Int) -> [Box] {
        precondition(locations.rank == 2 && locations.shape[1] == 2, "locations must be [B, 2], got \(locations.shape)")
        var result: [Box] = []
        for batch in 0..<locations.shape[0] {
            let lx = locations.storage[batch * 2], ly = locations.storage[batch * 2 + 1]
            let centreX = Self.denormalize(lx, extent: referenceHeightForBothAxes ? height : width)
            let centreY = Self.denormalize(ly, extent: height)
            for (index, side) in patchSides.enumerated() {
                result.append(Box(batch: batch, patch: index, x: centreX - side / 2, y: centreY - side / 2, size: side))
            }
        }
        return result
    }

    /// `(0.5 · ((l + 1) · T)).long()` in Float32, truncated toward zero.
    static func denormalize(_ coordinate: Float, extent: Int) -> Int {
        let value: Float = 0.5 * ((coordinate + 1) * Float(extent))
        return Int(value.rounded(.towardZero))
    }

    /// Cuts, pools and concatenates the glimpses of `x` at `locations`.
    ///
    /// Shape: x [B, C, H, W], locations [B, 2] -> [B, k·C, g, g].
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` for a wrong input or
    ///   location shape, or locations that are not finite.
    public func callAsFunction(_ x: Tensor, locations: Tensor) throws -> Tensor {
        guard x.rank == 4 else {
            throw AttentionError.inputShape(name: "input", expected: "[B, C, H, W]", got: x.shape)
        }
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard locations.shape == [b, 2] else {
            throw AttentionError.inputShape(name: "locations", expected: "[\(b), 2]", got: locations.shape)
        }
        guard locations.storage.allSatisfy({ $0.isFinite && abs($0) < 1e6 }) else {
            throw AttentionError.inputShape(name: "locations", expected: "finite (x, y) in [-1, 1]", got: locations.shape)
        }
        let g = patchSize, k = numPatches
        var glimpses = [Float](repeating: 0, count: b * k * c * g * g)
        let allBoxes = boxes(locations: locations, height: h, width: w)
        x.storage.withUnsafeBufferPointer { image in
            glimpses.withUnsafeMutableBufferPointer { out in
                for box in allBoxes {
                    let kernel = box.size / g
                    let area = Float(kernel * kernel)
                    for channel in 0..<c {
                        let plane = image.baseAddress! + (box.batch * c + channel) * h * w
                        let target = out.baseAddress! + ((box.batch * k + box.patch) * c + channel) * g * g
                        for oy in 0..<g {
                            for ox in 0..<g {
                                // Sum the kernel×kernel window row by row, zeros outside the image.
                                let top = box.y + oy * kernel, left = box.x + ox * kernel
                                let x0 = max(left, 0), x1 = min(left + kernel, w)
                                var sum: Float = 0
                                if x0 < x1 {
                                    for y in max(top, 0)..<max(max(top, 0), min(top + kernel, h)) {
                                        let row = plane + y * w
                                        for column in x0..<x1 { sum += row[column] }
                                    }
                                }
                                target[oy * g + ox] = kernel == 1 ? sum : sum / area
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [b, k * c, g, g], storage: glimpses)
    }
}
