import Attention
import Batch
import Foundation
import ImageCodecs
@testable import Rendering
import TensorCore
import Testing

/// Several images rendered together (``ImageRender/render(group:)``): one forward pass of
/// the trained ViT for the group gives each digit its own pass's maps and predictions, and
/// an image that fails (a corrupt file, a preview that cannot be written) fails alone while
/// the others are written.
@Suite struct GroupRenderTests {
    @Test func groupPassesAreEachImagesPassAndFailuresStayWithTheirImage() throws {
        let network = try TrainedNetworkRenderTests.transformer.get()
        var settings = TrainedNetworkRenderTests.settings()
        settings.maxSize = nil
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vis-group-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let corrupt = out + "/corrupt.png"
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]).write(to: URL(fileURLWithPath: corrupt))
        let digits = TrainedNetworkRenderTests.digits.prefix(3).map(\.path)
        let paths = [digits[0], corrupt, digits[1], digits[2]]
        let inputs = paths.map { BatchInput(path: $0, relativePath: ($0 as NSString).lastPathComponent, format: .png) }
        let jobs = OutputLayout(root: out + "/renders").plan(inputs, modes: [RenderMode.cls, .mask])
        try FileManager.default.createDirectory(atPath: out + "/renders", withIntermediateDirectories: true)
        let render = ImageRender(context: RenderContext(settings: settings, network: network), overwrite: false)
        #expect(render.groupSize(jobs: 100, workers: 2) == 1)   // full-size canvases: one at a time
        #expect(render.groupSize(jobs: 5, workers: 2) == 1)
        var capped = settings
        capped.maxSize = 2048
        let cappedRender = ImageRender(context: RenderContext(settings: capped, network: network), overwrite: false)
        #expect(cappedRender.groupSize(jobs: 100, workers: 2) == ImageRender.imagesPerPass)
        #expect(ImageRender(context: RenderContext(settings: capped), overwrite: false).groupSize(jobs: 100, workers: 2) == 1)

        // The group's passes against each image's own.
        let started = try [digits[0], digits[1], digits[2]].map { path in
            try render.start(jobs[paths.firstIndex(of: path)!])
        }
        let passes = try #require(render.groupPasses(started))
        for (path, pass) in zip(digits, passes) {
            let own = try #require(try AttentionScene(image: SceneImage.load(path: path, settings: settings), settings: settings,
                                                      network: network, readout: .classToken).transformer)
            #expect(pass.layout == own.layout && pass.predictions.map(\.index) == own.predictions.map(\.index))
            #expect(pass.attention.count == own.attention.count && pass.attention.last?.shape == [1, 7, 1, 17])
            for (a, b) in zip(pass.attention, own.attention) {
                let error = zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? .infinity
                #expect(a.shape == b.shape && error < 1e-6, "\(path)")
            }
        }
        for s in started { _ = s.preview?.finished() }

        // A folder where the second digit's preview goes: that preview fails, after its overlays.
        let blocked = jobs[2].outputPath(suffix: ImageRender.previewSuffix, fileExtension: ImageRender.previewExtension)
        try? FileManager.default.removeItem(atPath: blocked)   // written by the starts above
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
        let results = render.render(group: jobs)
        #expect(results.count == 4)
        for (i, result) in results.enumerated() {
            switch (i, result) {
            case (1, .failure(let error)):
                #expect(String(describing: error).contains("corrupt.png"))
            case (1, .success):
                Issue.record("the corrupt file rendered")
            case (2, .failure(let error)):
                #expect(String(describing: error).contains("preview"), "\(error)")
                for path in jobs[2].outputs { #expect(CompletenessCheck.check(path) == .complete, "\(path)") }
            case (2, .success):
                Issue.record("a preview that could not be written was not reported")
            case (_, .success(let written)):
                #expect(written == jobs[i].outputs)
                for path in written { #expect(CompletenessCheck.check(path) == .complete, "\(path)") }
            case (_, .failure(let error)):
                Issue.record("\(paths[i]): \(error)")
            }
        }
    }
}
