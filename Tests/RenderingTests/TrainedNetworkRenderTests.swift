import Attention
import Foundation
import ImageCodecs
import Models
import Overlay
@testable import Rendering
import TensorCore
import Testing

/// The render modes of trained networks (`--model`) on the shipped MNIST models and the
/// digits of `samples/digits` (MNIST test images, named `mnist_<index>_<label>.png`): the
/// image reaches the network exactly as the MNIST tensor does, the maps are the analysis of
/// that pass, the predictions are timm's, and the RAM's path is the model's own run.
@Suite struct TrainedNetworkRenderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let transformer = Result { try TrainedNetwork(path: repository + "/models/vit-mnist") }
    static let recurrent = Result { try TrainedNetwork(path: repository + "/models/ram-mnist/model.safetensors") }
    static let mnist = Result {
        try MNIST.load(images: repository + "/data/mnist/t10k-images-idx3-ubyte.gz",
                       labels: repository + "/data/mnist/t10k-labels-idx1-ubyte.gz")
    }
    /// timm's predicted class of every MNIST test image (made by tools/make_vit_fixtures.py).
    static let timmPredictions = Result {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: repository + "/Tests/ModelsTests/Fixtures/mnist/predictions.u8")))
    }

    /// (file, MNIST index) of the shipped digits.
    static var digits: [(path: String, index: Int)] {
        let folder = repository + "/samples/digits"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".png") }.sorted().compactMap { name in
            let parts = name.dropLast(4).split(separator: "_")
            guard parts.count == 3, let index = Int(parts[1]) else { return nil }
            return (folder + "/" + name, index)
        }
    }

    static func settings() -> RenderSettings {
        var s = RenderSettings()
        s.enlargeBelow = 448
        return s
    }

    static func scene(_ path: String, network: TrainedNetwork, settings: RenderSettings = settings()) throws -> AttentionScene {
        try AttentionScene(image: SceneImage.load(path: path, settings: settings), settings: settings, network: network)
    }

    /// Each digit PNG, enlarged 16× for drawing, reaches the ViT as the MNIST tensor
    /// ((x/255 − 0.1307)/0.3081 of the IDX bytes): the same attention in every block, and the
    /// top class is timm's prediction for that test image.
    @Test func digitsReachTheTransformerAsTheMNISTTensor() throws {
        guard case .visionTransformer(let checkpoint) = try Self.transformer.get() else { Issue.record("not a ViT"); return }
        let mnist = try Self.mnist.get(), timm = try Self.timmPredictions.get()
        #expect(Self.digits.count == 10)
        for digit in Self.digits {
            let scene = try Self.scene(digit.path, network: .visionTransformer(checkpoint))
            #expect(scene.image.canvas.width == 448 && scene.image.enlargement == 16)
            let pass = try #require(scene.transformer)
            #expect(pass.inputWidth == 28 && pass.inputHeight == 28 && pass.layout.rows == 4 && pass.layout.columns == 4)
            let input = Tensor(shape: [1, 1, 28, 28], storage: mnist.pixels(of: digit.index).map { (Float($0) / 255 - 0.1307) / 0.3081 })
            let reference = try checkpoint.model(input, capture: .full)
            let same = zip(pass.attention, reference.attention).allSatisfy { $0.storage == $1.storage }
            #expect(pass.attention.count == 5 && same, "\(digit.path)")
            #expect(pass.predictions.first?.index == Int(timm[digit.index]), "\(digit.path)")
            // config.json's label_names are the digits themselves.
            #expect(pass.predictions.count == 5 && pass.predictions.first?.name == String(timm[digit.index]))
        }
    }

    /// `cls`: the class token's row over the 4×4 patches in the last block, head mean, drawn
    /// as the heat map of that grid over the enlarged digit with the top-5 caption below.
    @Test func clsIsTheClassTokenMapOverTheCanvas() throws {
        let network = try Self.transformer.get()
        let scene = try Self.scene(Self.digits[0].path, network: network)
        let pass = try #require(scene.transformer)
        let expected = try ClassTokenAttention.maps(pass.attention, layout: pass.layout, heads: .mean).reshaped([4, 4])
        let renderer = Renderer(scene: scene)
        let picture = try renderer.render(.cls)
        let heat = Blend(colormap: scene.settings.colormap, alpha: scene.settings.alpha)
            .overlay(image: scene.image.canvas, grid: expected)
        #expect(picture.width == 448 && picture.height > 448)
        var top = RGBCanvas(width: 448, height: 448)
        top.paste(picture, x: 0, y: 0)
        #expect(top == heat)
        // `--layer 0 --heads`: block 0's per-head maps, 7 heads.
        var settings = Self.settings()
        settings.layer = .block(0)
        settings.heads = true
        let maps = try ClassTokenMode().maps(of: Self.scene(Self.digits[0].path, network: network, settings: settings))
        guard case .heads(let heads) = maps.panels else { Issue.record("expected per-head maps"); return }
        let block0 = try ClassTokenAttention.maps(pass.attention, layout: pass.layout, block: 0, heads: .each)
        #expect(heads.shape == [7, 4, 4] && heads.storage == block0.storage)
        // A block past the last is a clear error.
        settings.layer = .block(5)
        #expect(throws: AnalysisError.self) {
            try ClassTokenMode().maps(of: Self.scene(Self.digits[0].path, network: network, settings: settings))
        }
    }

    /// A run of `cls` and `mask` alone carries the class token alone through the last block:
    /// its attention is the class token's row, and every map, mask and prediction those modes
    /// draw is the full pass's (within float rounding: the row's products are other GEMM
    /// calls). Any other mode asks for every token; a query's row is then a clear error.
    @Test func classTokenReadoutDrawsTheFullPassMaps() throws {
        let settings = Self.settings()
        #expect(RenderMode.transformerReadout([.cls, .mask], settings: settings) == .classToken)
        for others in [[RenderMode.cls, .rollout], [.self], [.all], []] {
            #expect(RenderMode.transformerReadout(others, settings: settings) == .allTokens, "\(others)")
        }
        let network = try Self.transformer.get()
        for digit in Self.digits {
            let full = try #require(try Self.scene(digit.path, network: network).transformer)
            let image = try SceneImage.load(path: digit.path, settings: settings)
            let scene = try AttentionScene(image: image, settings: settings, network: network, readout: .classToken)
            let pass = try #require(scene.transformer)
            #expect(pass.attention.last?.shape == [1, 7, 1, 17] && pass.attention.count == 5)
            #expect(pass.predictions.map(\.index) == full.predictions.map(\.index))
            for block in [nil, 0, 4] as [Int?] {
                for heads in [HeadSelection.mean, .each] {
                    let got = try ClassTokenAttention.maps(pass.attention, layout: pass.layout, block: block, heads: heads)
                    let want = try ClassTokenAttention.maps(full.attention, layout: full.layout, block: block, heads: heads)
                    let error = zip(got.storage, want.storage).map { abs($0 - $1) }.max() ?? .infinity
                    #expect(got.shape == want.shape && error < 1e-6, "\(digit.path) block \(String(describing: block))")
                }
            }
            let mask = try DINOMask(mass: 0.6)(pass.attention, layout: pass.layout)
            #expect(mask == (try DINOMask(mass: 0.6)(full.attention, layout: full.layout)), "\(digit.path)")
            #expect(throws: AnalysisError.self) {
                try QueryAttention.maps(pass.attention, layout: pass.layout, query: .patch(row: 1, column: 1))
            }
        }
    }

    /// The weight-free features are made only when a mode reads them: never for `cls`, for
    /// `self` with `--query auto` (the most salient cell), and once for all copies of a scene.
    @Test func weightFreeFeaturesAreMadeOnlyWhenRead() throws {
        let network = try Self.transformer.get()
        let scene = try Self.scene(Self.digits[0].path, network: network)
        let networkOnly = scene.heldFloats
        _ = try Renderer(scene: scene).render(.cls)
        #expect(scene.image.workingIfMade == nil && scene.heldFloats == networkOnly)
        _ = try Renderer(scene: scene.asking(scene.settings)).render(.self)   // --query auto
        let working = try #require(scene.image.workingIfMade)
        let image = scene.image
        #expect(working.shape == [1, 3, image.rows * image.cellSize, image.columns * image.cellSize])
        #expect(scene.heldFloats > networkOnly + working.count)
    }

    /// `--layer all`: 5 blocks × 7 heads of 448-pixel panels shrink together to the layout's
    /// bound (4096 pixels, 16 MP).
    @Test func layerGridStaysWithinItsBounds() throws {
        var settings = Self.settings()
        settings.layer = .all
        let scene = try Self.scene(Self.digits[0].path, network: Self.transformer.get(), settings: settings)
        let picture = try Renderer(scene: scene).render(.cls)
        let layout = try #require(LayerHeadGridLayout(layers: 5, heads: 7, panelWidth: 448, panelHeight: 448,
                                                      rowLabels: (0..<5).map { "block \($0)" },
                                                      columnLabels: (0..<7).map { "head \($0)" }, gap: 4, labelScale: 2))
        #expect(picture.width == layout.width && picture.height > layout.height)
        #expect(max(picture.width, picture.height) <= 4096 && picture.width * picture.height <= 16_000_000)
    }

    /// `self` with a query: the patch under the pixel, its row in the last block.
    @Test func selfWithAQueryIsThatPatchsRow() throws {
        var settings = Self.settings()
        settings.query = .pixel(x: 20, y: 3)          // digit pixels: column 20/7 = 2, row 3/7 = 0
        let scene = try Self.scene(Self.digits[0].path, network: Self.transformer.get(), settings: settings)
        let pass = try #require(scene.transformer)
        guard case .network(let maps) = try SelfAttentionMode().maps(of: scene), case .single(let grid) = maps.panels else {
            Issue.record("expected one network map"); return
        }
        #expect(maps.query?.row == 0 && maps.query?.column == 2)
        let expected = try QueryAttention.maps(pass.attention, layout: pass.layout, query: .patch(row: 0, column: 2))
        #expect(grid.storage == expected.storage)
    }

    /// `--model-crop`: the centred square of crop_pct (1.0 in the MNIST config) of the short
    /// side: chelsea.png (451×300) gives the square x 75..<375 (75 = ⌊(451 − 300)/2⌋), resampled
    /// to 28×28; the maps are drawn over that square alone.
    @Test func cropIsTheCentredSquare() throws {
        guard case .visionTransformer(let checkpoint) = try Self.transformer.get() else { Issue.record("not a ViT"); return }
        var settings = RenderSettings()
        settings.networkCrop = true
        let path = Self.repository + "/samples/chelsea.png"
        let scene = try AttentionScene(image: SceneImage.load(path: path, settings: settings), settings: settings,
                                       network: .visionTransformer(checkpoint))
        let pass = try #require(scene.transformer)
        #expect(pass.area == PixelRect(x: 75, y: 0, width: 300, height: 300))
        #expect(pass.inputWidth == 28 && pass.inputHeight == 28)
        var square = RGBCanvas(width: 300, height: 300)
        square.paste(scene.image.canvas, x: -75, y: 0)
        let input = TransformerPass.input(square.resized(width: 28, height: 28, method: .area), channels: 1,
                                          mean: [0.1307], std: [0.3081])
        let reference = try checkpoint.model(input, capture: .full)
        let same = zip(pass.attention, reference.attention).allSatisfy { $0.storage == $1.storage }
        #expect(same)
        let picture = try Renderer(scene: scene).render(.cls)
        #expect(picture.width == 300 && picture.height > 300)
        #expect(pass.cell(canvasX: 75, canvasY: 0) == (0, 0) && pass.cell(canvasX: 374, canvasY: 299) == (3, 3))
        #expect(pass.cell(canvasX: 10, canvasY: 10) == (0, 0))   // outside the square: clamped
    }

    /// Per-head pictures of a 2048-pixel image (7 heads: 4 panels a row would be 8 kpx wide)
    /// stay within the mosaic bounds, 4096 pixels on the long side and 16 MP, with or without
    /// the crop.
    @Test(arguments: [false, true])
    func perHeadPicturesStayWithinTheMosaicBounds(crop: Bool) throws {
        let network = try Self.transformer.get()
        let sample = try SceneImage.load(path: Self.repository + "/samples/chelsea.png", settings: RenderSettings()).canvas
        let big = sample.resized(width: 2048, height: 1362, method: .bilinear)
        var settings = RenderSettings()
        settings.maxSize = nil
        settings.heads = true
        settings.networkCrop = crop
        let image = SceneImage(image: Image(width: big.width, height: big.height, channels: 3, pixels: big.pixels),
                               originalWidth: big.width, settings: settings)
        let scene = try AttentionScene(image: image, settings: settings, network: network)
        for mode in [RenderMode.mask, .cls, .self] {
            let picture = try Renderer(scene: scene).render(mode)
            #expect(max(picture.width, picture.height) <= 4096 && picture.width * picture.height <= 16_000_000,
                    "\(mode.name): \(picture.width)×\(picture.height)")
            #expect(picture.width > 2000, "\(mode.name) shrunk more than needed: \(picture.width)")
        }
    }

    /// Network input size: the long side given, the short one at the aspect ratio, both in
    /// whole patches (worked by hand: 480/640·224 = 168 = 10.5 patches of 16 -> 11 -> 176).
    @Test func inputSizeKeepsTheAspectRatioInWholePatches() {
        #expect(TransformerPass.inputSize(width: 640, height: 480, longSide: 224, patch: 16) == (224, 176))
        #expect(TransformerPass.inputSize(width: 28, height: 28, longSide: 28, patch: 7) == (28, 28))
        #expect(TransformerPass.inputSize(width: 100, height: 1000, longSide: 224, patch: 16) == (16, 224))
        #expect(TransformerPass.inputSize(width: 1000, height: 10, longSide: 224, patch: 16) == (224, 16))
    }

    /// One input channel is Pillow's `convert("L")`: (10, 200, 30) -> 124 (0.299·10 + 0.587·200
    /// + 0.114·30 = 123.81, rounded), then (x/255 − mean)/std.
    @Test func greyInputIsPillowsLuma() {
        let canvas = RGBCanvas(width: 1, height: 1, pixels: [10, 200, 30])
        let input = TransformerPass.input(canvas, channels: 1, mean: [0.5], std: [0.25])
        #expect(abs(input.storage[0] - (124 / 255 - 0.5) / 0.25) < 1e-6)
        let rgb = TransformerPass.input(canvas, channels: 3, mean: [0, 0, 0], std: [1, 1, 1])
        let expected: [Float] = [Float(10) / 255, Float(200) / 255, Float(30) / 255]
        #expect(rgb.storage == expected)
    }

    /// The trained RAM on each digit: the drawn path is the mean policy's run from the centre
    /// on the MNIST tensor, and the predicted class is that run's.
    @Test func learnedScanPathIsTheModelsRun() throws {
        guard case .recurrentAttention(let model) = try Self.recurrent.get() else { Issue.record("not the RAM"); return }
        let mnist = try Self.mnist.get()
        for digit in Self.digits {
            let scene = try Self.scene(digit.path, network: .recurrentAttention(model))
            let panel = try scene.learnedGlimpses(model)
            let input = model.normalise(pixels: mnist.pixels(of: digit.index), count: 1)
            let run = try model.run(input, firstLocations: Tensor(shape: [1, 2]))
            let path = (0..<run.locations.shape[1]).map { SIMD2(run.locations.storage[2 * $0], run.locations.storage[2 * $0 + 1]) }
            #expect(panel.path == path && panel.samplePaths.isEmpty, "\(digit.path)")
            #expect(panel.predictedClass == run.predictions[0], "\(digit.path)")
            #expect(abs(panel.probability - exp(run.logProbabilities.storage[panel.predictedClass])) < 1e-6)
        }
    }

    /// Modes and networks: cls needs a vision transformer; the weight-free modes do not draw
    /// with one; `all` with a ViT is self, cls, rollout and mask.
    @Test func modesKnowWhichNetworkTheyDraw() throws {
        let vit = try Self.transformer.get(), ram = try Self.recurrent.get()
        #expect(!RenderMode.cls.shows(nil) && RenderMode.cls.shows(vit) && !RenderMode.cls.shows(ram))
        #expect(RenderMode.axial.shows(nil) && !RenderMode.axial.shows(vit) && RenderMode.glimpse.shows(ram))
        #expect(RenderMode.panels(for: vit).map(\.name) == ["self", "cls", "rollout", "mask"])
        let scene = try Self.scene(Self.digits[0].path, network: ram)
        #expect(throws: RenderError.needsNetwork(mode: "cls", kind: TrainedNetwork.transformerKind)) {
            try Renderer(scene: scene).render(.cls)
        }
    }
}
