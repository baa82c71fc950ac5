import Foundation
import ImageCodecs
import Overlay
@testable import Rendering
import Testing

/// Output sizes of every mode at the default size cap and at full size, by hand from the
/// layouts: ProfileBars adds 24 + 2 pixels on the top and left, Mosaic cells are panel +
/// gap with a label band of (lineHeight + 1)·labelScale = 9·2 = 18 rows, and mosaics are
/// kept within 4096 pixels on the long side and 16 MP (MosaicBounds).
@Suite struct RenderSizeTests {
    /// A 2400×1600 picture (coloured blocks on a gradient): past the 2048 default cap.
    static let picture: Image = {
        let (w, h) = (2400, 1600)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let i = (y * w + x) * 3
                let block = (x / 300 + y / 200) % 3
                pixels[i] = UInt8(block == 0 ? 220 : x * 255 / w)
                pixels[i + 1] = UInt8(block == 1 ? 200 : y * 255 / h)
                pixels[i + 2] = UInt8(block == 2 ? 180 : 60)
            }
        }
        return Image(width: w, height: h, channels: 3, pixels: pixels)
    }()

    static func scene(maxSize: Int?, heads: Bool = false, colorBar: Bool = false) throws -> AttentionScene {
        var settings = RenderSettings()
        settings.maxSize = maxSize
        settings.heads = heads
        settings.colorBar = colorBar
        settings.gridLongSide = 16   // the maps' grid does not change any output size
        let image = SceneImage(image: picture, originalWidth: picture.width, settings: settings)
        return try AttentionScene(image: image, settings: settings)
    }

    static func size(_ canvas: RGBCanvas) -> [Int] { [canvas.width, canvas.height] }

    /// Runs the drawing (seconds of megapixel canvases in a debug build) on a thread of its
    /// own, so that it never holds one of the few threads of the Swift concurrency pool that
    /// the suites serving HTTP meanwhile (Gallery, Explorer) need.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            Thread.detachNewThread { done.resume(with: Result { try work() }) }
        }
    }

    @Test func defaultCapIs2048AndZeroIsFullSize() {
        #expect(RenderSettings().maxSize == 2048)
        #expect(RenderSize.cap(option: nil) == 2048)
        #expect(RenderSize.cap(option: 0) == nil)
        #expect(RenderSize.cap(option: 700) == 700)
    }

    /// A 4400×2000 JPEG at the default cap is decoded at 1/2 through DCT scaling (2200×1000,
    /// the smallest libjpeg scale covering 2048 × 2000·2048/4400 = 931.0), then shrunk to
    /// 2048×931; at full size it is decoded whole.
    @Test func jpegKeepsDCTScalingUnderTheCap() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("wide.jpg").path
        let (w, h) = (4400, 2000)
        var pixels = [UInt8](repeating: 90, count: w * h * 3)
        for i in 0..<(w * h) {
            pixels[3 * i] = UInt8(i % w * 255 / w)
            pixels[3 * i + 1] = UInt8(i / w * 255 / h)
        }
        try JPEGEncoder.write(Image(width: w, height: h, channels: 3, pixels: pixels), to: path, quality: 80)
        var settings = RenderSettings()
        let (decoded, originalWidth) = try SceneImage.decode(path: path, settings: settings)
        let decodedSize: [Int] = [decoded.width, decoded.height, originalWidth]
        #expect(decodedSize == [2200, 1000, 4400])
        let capped = SceneImage(image: decoded, originalWidth: originalWidth, settings: settings)
        #expect(Self.size(capped.canvas) == [2048, 931])
        #expect(abs(capped.scale - 2048.0 / 4400.0) < 1e-12)
        settings.maxSize = nil
        let full = try SceneImage.decode(path: path, settings: settings).image
        #expect(full.width == 4400 && full.height == 2000)
    }

    /// Single overlays: the canvas (2048×1365 by default: 1600·2048/2400 = 1365.3; 2400×1600
    /// at full size), plus 26 pixels of bars for axial and coord, plus a 6-pixel frame and
    /// the strip below for glimpse.
    @Test(arguments: [2048, nil] as [Int?])
    func singleModes(maxSize: Int?) async throws {
        let (w, h) = maxSize == nil ? (2400, 1600) : (2048, 1365)
        let sizes = try await Self.offPool { () throws -> [[Int]] in
            let renderer = Renderer(scene: try Self.scene(maxSize: maxSize))
            // The band-by-band source gives the same size as the whole canvas.
            let axialRows = try renderer.rowSource(.axial)
            return [Self.size(renderer.scene.image.canvas), Self.size(try renderer.render(.`self`)),
                    Self.size(try renderer.render(.axial)), Self.size(try renderer.render(.coord)),
                    Self.size(try renderer.render(.glimpse)), [axialRows?.width ?? 0, axialRows?.height ?? 0]]
        }
        #expect(sizes[0] == [w, h])
        #expect(sizes[1] == [w, h])
        #expect(sizes[2] == [w + 26, h + 26])
        #expect(sizes[3] == [w + 26, h + 26])
        #expect(sizes[4][0] == w + 12 && sizes[4][1] > h + 12)
        #expect(sizes[5] == [w + 26, h + 26])
    }

    /// Mosaics, the same at both sizes (their panels are drawn on a shrunk canvas):
    /// - patch: the trial at 512×341 gives 6 + 2·(512 + 6) = 1042 wide, so the canvas long
    ///   side is ⌊4096 / (1042 / 512)⌋ = 2012 (the area bound allows 3293), panels
    ///   2012×1341, the mosaic 6 + 2·(2012 + 6) = 4042 by 6 + 18 + 1341 + 6 = 1371;
    /// - per-head grids (4 heads in a row): the trial is 6 + 4·518 = 2078 wide, so
    ///   ⌊4096 / (2078 / 512)⌋ = 1009, panels 1009×673, the grid 6 + 4·1015 = 4066 by
    ///   6 + 18 + 673 + 6 = 703;
    /// - all: within 4096 and 16 MP, and at least 3/4 of the long side bound.
    @Test(arguments: [2048, nil] as [Int?])
    func mosaics(maxSize: Int?) async throws {
        let sizes = try await Self.offPool { () throws -> [[Int]] in
            let renderer = Renderer(scene: try Self.scene(maxSize: maxSize))
            let heads = Renderer(scene: try Self.scene(maxSize: maxSize, heads: true))
            return [Self.size(try renderer.render(.patch)), Self.size(try heads.render(.`self`)),
                    Self.size(try heads.render(.axial)), Self.size(try renderer.render(.all)), Self.size(try heads.render(.all))]
        }
        #expect(sizes[0] == [4042, 1371])
        #expect(sizes[1] == [4066, 703])
        #expect(sizes[2] == [4066, 703])
        for all in sizes[3...] {
            #expect(max(all[0], all[1]) <= 4096 && all[0] * all[1] <= 16_000_000, "\(all)")
            #expect(max(all[0], all[1]) >= 3072, "\(all) shrunk further than needed")
        }
    }

    /// A small image's mosaic is drawn at its own size (the trial is the drawing).
    @Test func smallMosaicsKeepTheCanvas() throws {
        var settings = RenderSettings()
        settings.gridLongSide = 16
        let small = Image(width: 300, height: 200, channels: 3, pixels: [UInt8](repeating: 128, count: 300 * 200 * 3))
        let scene = try AttentionScene(image: SceneImage(image: small, originalWidth: 300, settings: settings),
                                       settings: settings)
        // 6 + 2·(300 + 6) by 6 + 18 + 200 + 6.
        #expect(Self.size(try Renderer(scene: scene).render(.patch)) == [618, 230])
    }

    @Test func boundsArithmetic() {
        let bounds = MosaicBounds()
        #expect(bounds.canvasLongSide(trialWidth: 1042, trialHeight: 371, trialSide: 512, longSide: 2400) == 2012)
        #expect(bounds.canvasLongSide(trialWidth: 1042, trialHeight: 371, trialSide: 512, longSide: 1500) == 1500)
        // Area-bound: a 3×3 grid of squares, 1560×1560 at 512: ⌊√(16e6 / 9.283)⌋ = 1312 < 4096·512/1560 = 1344.
        #expect(bounds.canvasLongSide(trialWidth: 1560, trialHeight: 1560, trialSide: 512, longSide: 6000) == 1312)
        #expect(Self.size(bounds.shrunk(RGBCanvas(width: 5000, height: 1000))) == [4096, 819])
        #expect(Self.size(bounds.shrunk(RGBCanvas(width: 4096, height: 4096))) == [4000, 4000])
        #expect(Self.size(bounds.shrunk(RGBCanvas(width: 4000, height: 4000))) == [4000, 4000])
    }

    /// `--heads --colorbar`: every head panel gets its own bar (ColorBar: 6-pixel margin, 12
    /// wide, from 6 rows below the panel's top to 6 above its bottom, high end on top).
    @Test func colorBarOnEveryHeadPanel() throws {
        var settings = RenderSettings()
        settings.heads = true
        settings.colorBar = true
        settings.gridLongSide = 16
        settings.colormap = .viridis
        let small = Image(width: 300, height: 200, channels: 3, pixels: [UInt8](repeating: 128, count: 300 * 200 * 3))
        let scene = try AttentionScene(image: SceneImage(image: small, originalWidth: 300, settings: settings),
                                       settings: settings)
        for mode in [RenderMode.`self`, .axial] {
            let grid = try Renderer(scene: scene).render(mode)
            // Panel k's image at x = 6 + k·(cell + 6), y = 6 + 18; its bar at x + 300 + 6, rows 6 ..< 194.
            let cell = (grid.width - 6) / 4 - 6
            #expect(cell > 300 + 6 + 12, "no room for a colour bar: cell \(cell)")
            for k in 0..<4 {
                let x = 6 + k * (cell + 6) + 300 + 6 + 6, top = 6 + 18 + 6
                #expect(grid[x, top] == Colormap.viridis.color(for: 1 - 0.5 / 188), "\(mode) head \(k) top")
                #expect(grid[x, top + 187] == Colormap.viridis.color(for: 0.5 / 188), "\(mode) head \(k) bottom")
            }
        }
    }
}
