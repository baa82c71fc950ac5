import ImageCodecs
import Rendering
import TensorCore
import Testing

/// Given glimpse locations (image pixels) become RAM's [-1, 1]² centres, x through the width.
@Suite struct GlimpsePlanTests {
    @Test func givenLocationsAreNormalisedThroughWidthAndHeight() throws {
        var settings = RenderSettings()
        settings.gridLongSide = 16
        settings.glimpseLocations = [(x: 30, y: 10), (x: 90, y: 50)]
        let pixels = (0..<(120 * 60 * 3)).map { UInt8($0 % 251) }
        let image = SceneImage(image: Image(width: 120, height: 60, channels: 3, pixels: pixels), originalWidth: 120,
                               settings: settings)
        let scene = try AttentionScene(image: image, settings: settings)
        let glimpses = try scene.glimpses()
        #expect(glimpses.locations.count == 2)
        // x: 2·30/120 − 1 = −0.5, y: 2·10/60 − 1 = −2/3; x: 0.5, y: 2·50/60 − 1 = 2/3.
        #expect(abs(glimpses.locations[0].x + 0.5) < 1e-9 && abs(glimpses.locations[0].y + 2.0 / 3) < 1e-9)
        #expect(abs(glimpses.locations[1].x - 0.5) < 1e-9 && abs(glimpses.locations[1].y - 2.0 / 3) < 1e-9)
        #expect(glimpses.patches.shape == [2, 9, 32, 32])
    }
}
