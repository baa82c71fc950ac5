import Testing
import TensorCore
@testable import Overlay

struct BlendTests {
    /// A 4×3 image with distinct pixels and a map with values across [0, 1].
    func sample() -> (RGBCanvas, Tensor) {
        let image = RGBCanvas(width: 4, height: 3, pixels: (0..<36).map { UInt8(($0 * 37) % 256) })
        let map = Tensor(shape: [3, 4], storage: (0..<12).map { Float($0) / 11 })
        return (image, map)
    }

    @Test func alphaZeroLeavesTheImageIdentical() {
        let (image, map) = sample()
        #expect(Blend(colormap: .jet, alpha: 0)(image: image, map: map) == image)
        #expect(Blend(colormap: .jet, alpha: 0, alphaMode: .proportionalToValue)(image: image, map: map) == image)
    }

    @Test func alphaOneIsThePureColormap() {
        let (image, map) = sample()
        let out = Blend(colormap: .viridis, alpha: 1)(image: image, map: map)
        #expect(out == Blend.colorize(map, colormap: .viridis))
        for y in 0..<3 {
            for x in 0..<4 { #expect(out[x, y] == Colormap.viridis.color(for: map[y, x])) }
        }
    }

    @Test func halfAlphaRoundsHalfAwayFromZero() {
        let image = RGBCanvas(width: 1, height: 1, fill: RGBColor(red: 11, green: 0, blue: 200))
        let map = Tensor(shape: [1, 1], storage: [1])  // gray(1) = white
        let out = Blend(colormap: .gray, alpha: 0.5)(image: image, map: map)
        // (11 + 255)/2 = 133, (0 + 255)/2 = 127.5 -> 128, (200 + 255)/2 = 227.5 -> 228.
        #expect(out[0, 0] == RGBColor(red: 133, green: 128, blue: 228))
    }

    @Test func proportionalAlphaFadesColdPixels() {
        let image = RGBCanvas(width: 3, height: 1, fill: RGBColor(red: 0, green: 0, blue: 0))
        let map = Tensor(shape: [1, 3], storage: [0, 0.5, 1])
        let out = Blend(colormap: .gray, alpha: 0.8, alphaMode: .proportionalToValue)(image: image, map: map)
        #expect(out[0, 0] == .black)                                     // weight 0
        #expect(out[1, 0] == RGBColor(red: 51, green: 51, blue: 51))     // gray(0.5)=127·0.4 = 50.8 -> 51
        #expect(out[2, 0] == RGBColor(red: 204, green: 204, blue: 204))  // 255·0.8 = 204
    }

    @Test func nanLeavesThePixel() {
        let image = RGBCanvas(width: 2, height: 1, fill: RGBColor(hex: 0x336699))
        let map = Tensor(shape: [1, 2], storage: [.nan, 1])
        let out = Blend(colormap: .gray, alpha: 1)(image: image, map: map)
        #expect(out[0, 0] == RGBColor(hex: 0x336699))
        #expect(out[1, 0] == .white)
    }

    /// The constant-alpha table path (0 < alpha < 1) against the documented formula, pixel by
    /// pixel: NaN keeps the pixel, values outside [0, 1] clamp, the index edges (v·256 just
    /// under and at 256) and every image byte.
    @Test func tablePathFollowsTheFormula() {
        let values: [Float] = [.nan, -0.5, 0, 0.001, 0.25, 0.5, 0.99609, 0.996094, 0.999, 1, 1.5, .infinity, -.infinity]
        let alpha: Float = 0.3
        for colormap in [Colormap.jet, .viridis] {
            var image = RGBCanvas(width: values.count, height: 256)
            for y in 0..<256 {
                for x in 0..<values.count {
                    image[x, y] = RGBColor(red: UInt8(y), green: UInt8((y * 7 + x) % 256), blue: UInt8(255 - y))
                }
            }
            let map = Tensor(shape: [256, values.count], storage: Array((0..<256).map { _ in values }.joined()))
            let out = Blend(colormap: colormap, alpha: alpha)(image: image, map: map)
            var wrong = 0
            for y in 0..<256 {
                for (x, v) in values.enumerated() {
                    let p = image[x, y]
                    guard !v.isNaN else { wrong += out[x, y] == p ? 0 : 1; continue }
                    let c = colormap.color(for: v)
                    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Float(a) * (1 - alpha) + Float(b) * alpha).rounded()) }
                    if out[x, y] != RGBColor(red: mix(p.red, c.red), green: mix(p.green, c.green), blue: mix(p.blue, c.blue)) {
                        wrong += 1
                    }
                }
            }
            #expect(wrong == 0, "\(wrong) pixels differ from the formula")
        }
    }

    /// The banded, row-at-a-time overlay (upsampled rows reused between output rows of the
    /// same map rows) equals the documented pipeline on whole tensors: normalise, resize with
    /// ``Upsampling``, blend; bilinear and nearest, shrinking-free sizes with uneven ratios.
    @Test(arguments: [Upsampling.bilinear, .nearest])
    func overlayEqualsNormaliseResizeBlend(_ upsampling: Upsampling) {
        let (width, height) = (97, 61)
        var image = RGBCanvas(width: width, height: height)
        for y in 0..<height { for x in 0..<width { image[x, y] = RGBColor(red: UInt8(x * 2), green: UInt8(y * 4), blue: UInt8((x * y) % 256)) } }
        let grid = Tensor(shape: [5, 7], storage: (0..<35).map { Float(($0 * 37) % 11) - 3 })
        for blend in [Blend(colormap: .jet, alpha: 0.45), Blend(colormap: .viridis, alpha: 0.8, alphaMode: .proportionalToValue)] {
            let expected = blend(image: image, map: upsampling.resize(HeatmapNormalization.minMax.apply(grid),
                                                                      height: height, width: width))
            let out = blend.overlay(image: image, grid: grid, normalization: .minMax, upsampling: upsampling)
            #expect(out == expected)
        }
    }

    @Test func overlayPipelineNormalisesAndUpsamples() {
        let image = RGBCanvas(width: 4, height: 2)
        let grid = Tensor(shape: [1, 2], storage: [3, 5])  // min-max -> [0, 1]
        let out = Blend(colormap: .gray, alpha: 1).overlay(image: image, grid: grid, upsampling: .nearest)
        for y in 0..<2 {
            #expect(out[0, y] == .black && out[1, y] == .black)
            #expect(out[2, y] == .white && out[3, y] == .white)
        }
    }
}
