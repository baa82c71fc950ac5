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

    /// A folder through the ViT in groups (the 10 digits and a corrupt PNG, two workers:
    /// groups of three): the corrupt file is named and gives exit status 1, every digit is
    /// written and classified as alone, and no temporary is left.
    @Test func folderInGroupsIsolatesABadFile() throws {
        let input = VisBinary.temporaryFolder(), out = VisBinary.temporaryFolder()
        let digits = VisBinary.repositoryFile("samples/digits")
        for name in try FileManager.default.contentsOfDirectory(atPath: digits) where name.hasSuffix(".png") {
            try FileManager.default.copyItem(atPath: digits + "/" + name, toPath: input + "/" + name)
        }
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]).write(to: URL(fileURLWithPath: input + "/mnist_0005_x.png"))
        let result = try VisBinary.run([input, "--mode", "cls", "--model", vit, "--out", out, "--jobs", "2", "--json"])
        #expect(result.status == 1, "\(result.error)")
        #expect(result.output.contains("mnist_0005_x.png"), "\(result.output)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(written.filter { $0.hasSuffix("_cls.png") }.count == 10, "\(written.sorted())")
        #expect(!written.contains { $0.contains("mnist_0005_x") || $0.contains(".vis-tmp-") }, "\(written.sorted())")
        // The group's pass gives each digit its own pass's picture (alone: one image, no group).
        let alone = VisBinary.temporaryFolder()
        let single = try VisBinary.run([digit, "--mode", "cls", "--model", vit, "--out", alone, "--quiet"])
        #expect(single.status == 0, "\(single.error)")
        let grouped = try ImageDecoder.decode(path: out + "/mnist_0000_7_cls.png").uint8Samples
        let own = try ImageDecoder.decode(path: alone + "/mnist_0000_7_cls.png").uint8Samples
        let largest = zip(grouped, own).map { abs(Int($0) - Int($1)) }.max() ?? 255
        #expect(grouped.count == own.count && largest <= 3, "largest channel difference \(largest)")
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
