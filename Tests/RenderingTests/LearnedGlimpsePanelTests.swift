import Overlay
import Testing
@testable import Rendering

/// The learned-glimpse drawing puts each box where the sensor cut it (worked by hand from
/// c = ⌊0.5·(l + 1)·28⌋, top-left c − 4, at 8×) and shows each glimpse in the strip.
@Suite struct LearnedGlimpsePanelTests {
    static let path: [SIMD2<Float>] = [[-1, -1], [0, 0], [0.5, -0.5]]

    static func panel(samplePaths: [[SIMD2<Float>]] = []) -> LearnedGlimpsePanel {
        // Glimpse 1 all zero (normalised), glimpse 2 all 1, glimpse 3 a ramp.
        let glimpses: [[Float]] = [[Float](repeating: 0, count: 64), [Float](repeating: 1, count: 64),
                                   (0..<64).map { Float($0) / 64 }]
        return LearnedGlimpsePanel(digit: [Float](repeating: 0, count: 784), path: path, glimpses: glimpses,
                                   samplePaths: samplePaths, predictedClass: 7, probability: 0.987,
                                   inputMean: 0.1307, inputStandardDeviation: 0.3081)
    }

    @Test func boxesAreWhereTheSensorLooked() {
        let panel = Self.panel()
        // l = (−1, −1): c = 0, box from −4: canvas −32..<32. l = 0: c = 14, 80..<144.
        // l = (0.5, −0.5): c = (21, 7): x 136..<200, y 24..<88.
        #expect(panel.glimpseRect(step: 0) == PixelRect(x: -32, y: -32, width: 64, height: 64))
        #expect(panel.glimpseRect(step: 1) == PixelRect(x: 80, y: 80, width: 64, height: 64))
        #expect(panel.glimpseRect(step: 2) == PixelRect(x: 136, y: 24, width: 64, height: 64))
        let canvas = panel.render()
        #expect(canvas.width == 224 && canvas.height == 224 + 24 + 44)
        let colors = LearnedGlimpsePanel.stepColors
        #expect(canvas.pixel(x: 31, y: 20) == colors[0])     // box 1's right edge
        #expect(canvas.pixel(x: 100, y: 143) == colors[1])   // box 2's bottom edge
        #expect(canvas.pixel(x: 199, y: 70) == colors[2])    // box 3's right edge
        #expect(canvas.pixel(x: 60, y: 200) == .black)       // the empty digit elsewhere
        // The path from box 2's centre (112, 112) to box 3's (168, 56) passes (140, 84).
        #expect(canvas.pixel(x: 140, y: 84) == .white)
    }

    @Test func stripShowsTheGlimpsesInGreyLevels() {
        let canvas = Self.panel().render()
        let grey = { (v: Float) -> RGBColor in
            let level = UInt8(((v * 0.3081 + 0.1307) * 255).rounded())
            return RGBColor(red: level, green: level, blue: level)
        }
        let first = Self.panel().stripOrigin(step: 0), second = Self.panel().stripOrigin(step: 1)
        #expect(canvas.pixel(x: first.x + 4, y: first.y + 4) == grey(0))      // zero: the padding grey 33
        #expect(canvas.pixel(x: second.x + 4, y: second.y + 4) == grey(1))    // 1 -> 0.4388 -> 112
        let third = Self.panel().stripOrigin(step: 2)                    // ramp value 9/64 at (1, 1)
        #expect(canvas.pixel(x: third.x + 4, y: third.y + 4) == grey(9.0 / 64))
    }

    @Test func otherSampledPathsAreFaint() {
        // A second run from (−0.5, −0.5) to (−0.5, 0.5): c = (7, 7) then (7, 21), a vertical line at x = 56
        // from y = 56 to 168, clear of the main path's boxes.
        let canvas = Self.panel(samplePaths: [[[-0.5, -0.5], [-0.5, 0.5]]]).render()
        #expect(canvas.pixel(x: 56, y: 100) == LearnedGlimpsePanel.faintColor)
    }
}
