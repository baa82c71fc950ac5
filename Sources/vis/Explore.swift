import ArgumentParser
import Batch
import Explorer
import Foundation
import Rendering

/// `vis explore PATH... [--model FILE] [--port P]`: serves a page on 127.0.0.1 where a click
/// on an image shows where that point attends (self, axial, coord; per head; with a trained
/// ViT any block and head, the class token, registers and rollout; with the trained RAM the
/// learned scan path from the clicked point), until Ctrl-C.
struct Explore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Click a point of an image and see where it attends, live in the browser (127.0.0.1 only).")

    @Argument(help: "Images or folders (walked recursively).")
    var paths: [String]

    @Option(help: "Port on 127.0.0.1 (0: any free port).")
    var port: UInt16 = 8001

    @Option(help: "Where the page's \"save PNG\" writes.")
    var out: String = "outputs/explore"

    @Option(help: "Grid cells along the long side for the weight-free default.")
    var grid: Int = 64

    @Option(name: .customLong("max-size"), help: "Cap the picture's long side (pixels; default 2048, 0 for full size).")
    var maxSize: Int?

    @Flag(name: .customLong("axial-summed"), help: "Axial: sum the two passes instead of composing them.")
    var axialSummed = false

    @OptionGroup var network: NetworkOptions

    @Option(name: .customLong("cache-mb"), help: "Memory for prepared images (MiB); least recently used go first.")
    var cacheMegabytes: Int = Explorer.defaultCacheBytes >> 20

    func validate() throws {
        guard grid >= 2 && grid <= 512 else { throw ValidationError("--grid must be in 2…512; got \(grid).") }
        if let maxSize, maxSize != 0 && maxSize < 16 {
            throw ValidationError("--max-size must be 0 (full size) or at least 16; got \(maxSize).")
        }
        guard cacheMegabytes >= 1 else { throw ValidationError("--cache-mb must be at least 1; got \(cacheMegabytes).") }
    }

    func run() async throws {
        let walk = InputWalker().walk(paths)
        for failure in walk.failures { FileHandleStream.standardError.write("vis explore: \(failure)\n") }
        guard !walk.inputs.isEmpty else {
            throw ValidationError("no PNG or JPEG images in \(paths.joined(separator: ", ")).")
        }
        var settings = RenderSettings()
        settings.gridLongSide = grid
        settings.maxSize = RenderSize.cap(option: maxSize)
        settings.axialSummed = axialSummed
        network.apply(to: &settings)
        let trained = try network.model.map { try TrainedNetwork(path: $0, numHeads: network.numHeads) }
        let images = walk.inputs.map { ExplorerImage(name: $0.relativePath, path: $0.path) }
        let explorer = Explorer(images: images, settings: settings, saveFolder: out,
                                cacheBytes: cacheMegabytes << 20, port: port, network: trained)
        let address = try await explorer.start()
        FileHandleStream.standardOutput.write("exploring \(images.count) image\(images.count == 1 ? "" : "s") at \(address) (Ctrl-C to stop)\n")
        await explorer.waitUntilStopped()
    }
}
