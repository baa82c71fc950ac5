import Testing
import TensorCore
@testable import Attention

@Suite struct GlimpseSamplerTests {
    /// An image whose pixel (y, x) of channel c is 100·c + 10·y + x.
    static func ramp(channels: Int, height: Int, width: Int) -> Tensor {
        var t = Tensor(shape: [1, channels, height, width])
        for c in 0..<channels { for y in 0..<height { for x in 0..<width { t[0, c, y, x] = Float(100 * c + 10 * y + x) } } }
        return t
    }

    @Test func handComputedCentreGlimpse() throws {
        // 8×8, g = 2, k = 2, s = 2, l = (0, 0): centre ⌊0.5·(1·8)⌋ = 4.
        // Patch 0: rows/cols 3..<5 -> [[33, 34], [43, 44]].
        // Patch 1: side 4 from 2..<6, pooled 2×2: mean of rows 2–3, cols 2–3 = 27.5, etc.
        let sampler = try GlimpseSampler(patchSize: 2, numPatches: 2, scale: 2)
        let y = try sampler(Self.ramp(channels: 1, height: 8, width: 8), locations: Tensor(shape: [1, 2], storage: [0, 0]))
        #expect(y == Tensor(shape: [1, 2, 2, 2], storage: [33, 34, 43, 44, 27.5, 29.5, 47.5, 49.5]))
        #expect(sampler.boxes(locations: Tensor(shape: [1, 2], storage: [0, 0]), height: 8, width: 8) == [
            GlimpseSampler.Box(batch: 0, patch: 0, x: 3, y: 3, size: 2),
            GlimpseSampler.Box(batch: 0, patch: 1, x: 2, y: 2, size: 4),
        ])
    }

    @Test func cornerReadsZerosOutsideTheImageAndKeepsChannelOrder() throws {
        // l = (-1, -1): centre (0, 0); patch 0 covers -1..<1, only (0, 0) inside.
        let sampler = try GlimpseSampler(patchSize: 2, numPatches: 2, scale: 2)
        let y = try sampler(Self.ramp(channels: 2, height: 4, width: 4), locations: Tensor(shape: [1, 2], storage: [-1, -1]))
        #expect(y.shape == [1, 4, 2, 2])
        // Channels: patch 0 (c0, c1), then patch 1 (c0, c1). Patch 1 covers -2..<2, pooled by 2.
        #expect(y.storage == [0, 0, 0, 0,   0, 0, 0, 100,
                              0, 0, 0, Float(0 + 1 + 10 + 11) / 4,   0, 0, 0, Float(400 + 1 + 10 + 11) / 4])
    }

    @Test func xFollowsTheWidthUnlessReferenceModeIsSet() throws {
        // 4 rows × 8 columns, l = (0.5, 0): ours centre x = ⌊0.5·1.5·8⌋ = 6; the reference
        // uses the height for x too: ⌊0.5·1.5·4⌋ = 3. y = ⌊0.5·1·4⌋ = 2 in both.
        let image = Self.ramp(channels: 1, height: 4, width: 8)
        let location = Tensor(shape: [1, 2], storage: [0.5, 0])
        let ours = try GlimpseSampler(patchSize: 1, numPatches: 1, scale: 2)
        let reference = try GlimpseSampler(patchSize: 1, numPatches: 1, scale: 2, referenceHeightForBothAxes: true)
        #expect(try ours(image, locations: location).storage == [26])
        #expect(try reference(image, locations: location).storage == [23])
    }

    @Test func denormalisationTruncatesInFloat32() {
        // 0.5·((−0.999 + 1)·5) = 0.0025 -> 0; 0.5·((0.3 + 1)·7) = 4.55 -> 4; (1 + 1)·H/2 = H.
        #expect(GlimpseSampler.denormalize(-0.999, extent: 5) == 0)
        #expect(GlimpseSampler.denormalize(0.3, extent: 7) == 4)
        #expect(GlimpseSampler.denormalize(1, extent: 9) == 9)
        // Float32 like torch: 0.5·((−0.2 + 1)·5) is exactly 2 in Float32 (PyTorch gives 2),
        // but 1.99999999 in Double (which would truncate to 1).
        #expect(GlimpseSampler.denormalize(-0.2, extent: 5) == 2)
    }

    @Test func sidesGrowByTruncatedScaleAndMustPoolToG() throws {
        #expect(try GlimpseSampler(patchSize: 4, numPatches: 3, scale: 2).patchSides == [4, 8, 16])
        #expect(try GlimpseSampler(patchSize: 2, numPatches: 3, scale: 3).patchSides == [2, 6, 18])
        #expect(throws: AttentionError.invalidHyperparameter(name: "scale", value: "1.5",
                                                             reason: "patch side 12 does not average-pool to 8×8")) {
            _ = try GlimpseSampler(patchSize: 8, numPatches: 2, scale: 1.5)
        }
    }

    /// Sizes past the limits are refused by name; a scale of 1e300 or NaN used to crash the
    /// process (the patch side converted to Int).
    @Test func refusesSidesPastTheLimits() throws {
        func name(_ patchSize: Int, _ numPatches: Int, _ scale: Double) -> String? {
            do {
                _ = try GlimpseSampler(patchSize: patchSize, numPatches: numPatches, scale: scale)
                return nil
            } catch let AttentionError.invalidHyperparameter(name, _, _) {
                return name
            } catch {
                return "\(error)"
            }
        }
        #expect(name(4096, 3, 2) == nil)            // sides 4096, 8192, 16384: the largest allowed
        #expect(name(4096, 4, 2) == "scale")        // 32768
        #expect(name(16_385, 1, 2) == "patch_size")
        #expect(name(8, 17, 1) == "num_patches")
        #expect(name(8, 3, 1e300) == "scale")
        #expect(name(8, 3, .nan) == "scale")
        #expect(name(8, 3, -2) == "scale")
    }

    @Test func rejectsMismatchedLocations() throws {
        let sampler = try GlimpseSampler(patchSize: 2, numPatches: 1, scale: 2)
        #expect(throws: AttentionError.inputShape(name: "locations", expected: "[1, 2]", got: [2, 2])) {
            _ = try sampler(Tensor(shape: [1, 1, 4, 4]), locations: Tensor(shape: [2, 2]))
        }
    }
}
