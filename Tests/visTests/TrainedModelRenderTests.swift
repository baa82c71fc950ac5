import Foundation
import ImageCodecs
import Testing

/// `vis DIGIT --mode cls|rollout|mask|glimpse --model FILE` with the shipped MNIST models, and
/// the errors of modes and networks that do not go together.
@Suite struct TrainedModelRenderTests {
    let digit = VisBinary.repositoryFile("samples/digits/mnist_0000_7.png")
    let vit = VisBinary.repositoryFile("models/vit-mnist")
    let ram = VisBinary.repositoryFile("models/ram-mnist/model.safetensors")

    /// Every mode of a trained ViT writes its picture: the 28×28 digit enlarged 16× (448
    /// pixels) with the top-5 caption below it; the layer grid is 5 × 7 panels.
    @Test(arguments: ["cls", "rollout", "self", "mask", "all"])
    func transformerModesRender(mode: String) throws {
        let out = VisBinary.temporaryFolder()
        let result = try VisBinary.run([digit, "--mode", mode, "--model", vit, "--out", out, "--quiet"])
        #expect(result.status == 0, "\(result.error)")
        let picture = try ImageDecoder.decode(path: out + "/mnist_0000_7_\(mode).png")
        if mode == "cls" || mode == "rollout" || mode == "self" {
            #expect(picture.width == 448 && picture.height > 448 && picture.height < 560, "\(picture.width)×\(picture.height)")
        }
        #expect(max(picture.width, picture.height) <= 4096)
    }

    @Test func learnedScanPathRenders() throws {
        let out = VisBinary.temporaryFolder()
        let result = try VisBinary.run([digit, "--mode", "glimpse", "--model", ram, "--samples", "10", "--seed", "16",
                                        "--out", out, "--quiet"])
        #expect(result.status == 0, "\(result.error)")
        let picture = try ImageDecoder.decode(path: out + "/mnist_0000_7_glimpse.png")
        // LearnedGlimpsePanel: 28·8 wide, 28·8 + 3·8 + 44 high.
        #expect(picture.width == 224 && picture.height == 292)
    }

    @Test func modesAndNetworksThatDoNotGoTogether() throws {
        let out = VisBinary.temporaryFolder()
        let noModel = try VisBinary.run([digit, "--mode", "cls", "--out", out])
        #expect(noModel.status != 0 && noModel.error.contains("give --model with a vision transformer"), "\(noModel.error)")
        let axial = try VisBinary.run([digit, "--mode", "axial", "--model", vit, "--out", out])
        #expect(axial.status == 2 && axial.error.contains("does not use a vision transformer"), "\(axial.error)")
        let ramCls = try VisBinary.run([digit, "--mode", "cls", "--model", ram, "--out", out])
        #expect(ramCls.status != 0 && ramCls.error.contains("vision transformer"), "\(ramCls.error)")
        let layer = try VisBinary.run([digit, "--mode", "cls", "--model", vit, "--layer", "9", "--out", out])
        #expect(layer.status == 1 && layer.error.contains("9"), "\(layer.error)")
        let badLayer = try VisBinary.run([digit, "--mode", "cls", "--model", vit, "--layer", "last", "--out", out])
        #expect(badLayer.status == 2, "\(badLayer.error)")
        #expect(!FileManager.default.fileExists(atPath: out + "/mnist_0000_7_cls.png"))
    }
}
