import ArgumentParser
import Dispatch
import Attention
import Batch
import ImageCodecs
import Overlay
import Rendering
import TensorCore

/// `vis PATH... [--mode …] [--out DIR] …` (Contract 4): renders each image, files or whole
/// folders, in parallel, resumable and shardable.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render attention overlays for images and folders (the default command).")

    @Argument(help: "Image files or folders (walked recursively; images recognised by content).")
    var paths: [String]

    @Option(help: "axial, self, coord, glimpse, patch or all.")
    var mode: String = "axial"

    @Option(help: "Output folder; sub-folders of a batch are kept.")
    var out: String = "outputs"

    @Option(help: "Model file (.safetensors) with the modules to use instead of the weight-free defaults.")
    var weights: String?

    @Option(help: "Sub-module prefix inside --weights (`module.` and `backbone.` are always stripped).")
    var prefix: String = ""

    @Option(help: "Query point for axial and self: X,Y in image pixels, or auto (most salient).")
    var query: String = "auto"

    @Option(help: "viridis, magma, inferno, plasma, turbo, jet or gray.")
    var colormap: String = "jet"

    @Option(help: "Heat-map opacity in [0, 1].")
    var alpha: Float = 0.5

    @Flag(help: "Per-head grids for axial and self.")
    var heads = false

    @Flag(name: .customLong("colorbar"), help: "Append a colour bar to heat maps.")
    var colorBar = false

    @Option(help: "Clip heat maps to these percentiles instead of min–max, e.g. 2,98.")
    var percentile: String?

    @Flag(help: "Nearest-neighbour upsampling of maps instead of bilinear.")
    var nearest = false

    @Option(help: "Grid cells along the long side (weight-free default).")
    var grid: Int = 64

    @Option(name: .customLong("max-size"), help: "Cap the rendered image's long side (pixels).")
    var maxSize: Int?

    @Option(help: "Number of glimpses.")
    var glimpses: Int = 6

    @Option(name: .customLong("glimpse-size"), help: "Glimpse patch size g (working pixels).")
    var glimpseSize: Int = 32

    @Option(name: .customLong("glimpse-scales"), help: "Glimpse scales k.")
    var glimpseScales: Int = 3

    @Option(name: .customLong("glimpse-factor"), help: "Glimpse scale factor s.")
    var glimpseFactor: Double = 2

    @Option(help: "Sample glimpses stochastically (Gaussian around the greedy pick) with this seed.")
    var seed: UInt64?

    @Option(name: .customLong("glimpse-at"), help: "Given glimpse centres in image pixels, e.g. \"120,80;300,200\" (instead of choosing them).")
    var glimpseAt: String?

    @Flag(name: .customLong("axial-summed"), help: "Weight-free axial default in summed mode (default: sequential).")
    var axialSummed = false

    @Option(help: "Parallel images (default: the available cores).")
    var jobs: Int?

    @Flag(help: "Skip images whose outputs already exist and are complete.")
    var resume = false

    @Flag(help: "Replace existing outputs.")
    var overwrite = false

    @Option(help: "Take a deterministic share K/N of the images (1-based), e.g. for a Slurm array.")
    var shard: String?

    @Flag(help: "No progress bar.")
    var quiet = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard RenderMode(rawValue: mode) != nil else {
            throw ValidationError("--mode must be one of \(RenderMode.allCases.map(\.rawValue).joined(separator: ", ")); got '\(mode)'.")
        }
        guard QueryPoint(argument: query) != nil else { throw ValidationError("--query must be auto or X,Y; got '\(query)'.") }
        guard Colormap.named(colormap) != nil else {
            throw ValidationError("--colormap must be one of \(Colormap.allNames.joined(separator: ", ")); got '\(colormap)'.")
        }
        guard (0...1).contains(alpha) else { throw ValidationError("--alpha must be in [0, 1]; got \(alpha).") }
        guard (4...512).contains(grid) else { throw ValidationError("--grid must be in 4...512; got \(grid).") }
        if let maxSize, maxSize < 16 { throw ValidationError("--max-size must be at least 16; got \(maxSize).") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1; got \(jobs).") }
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
        }
        if let percentile { _ = try Self.percentiles(percentile) }
        if let glimpseAt { _ = try Self.points(glimpseAt) }
        if resume && overwrite { throw ValidationError("--resume and --overwrite contradict each other; pick one.") }
    }

    static func percentiles(_ text: String) throws -> (Double, Double) {
        let parts = text.split(separator: ",").compactMap { Double($0) }
        guard parts.count == 2, 0 <= parts[0], parts[0] < parts[1], parts[1] <= 100 else {
            throw ValidationError("--percentile must be LO,HI with 0 ≤ LO < HI ≤ 100; got '\(text)'.")
        }
        return (parts[0], parts[1])
    }

    static func points(_ text: String) throws -> [(x: Double, y: Double)] {
        let points = text.split(separator: ";").map { QueryPoint(argument: String($0)) }
        let pixels: [(x: Double, y: Double)] = points.compactMap {
            if case let .pixel(x, y)? = $0 { return (x, y) }
            return nil
        }
        guard !pixels.isEmpty, pixels.count == points.count else {
            throw ValidationError("--glimpse-at must be X,Y;X,Y;… in image pixels; got '\(text)'.")
        }
        return pixels
    }

    var settings: RenderSettings {
        var s = RenderSettings()
        s.query = QueryPoint(argument: query)!
        s.colormap = Colormap.named(colormap)!
        s.alpha = alpha
        if let percentile, let (lo, hi) = try? Self.percentiles(percentile) {
            s.normalization = .percentile(low: lo, high: hi)
        }
        s.upsampling = nearest ? .nearest : .bilinear
        s.heads = heads
        s.colorBar = colorBar
        s.gridLongSide = grid
        s.maxSize = maxSize
        s.glimpseCount = glimpses
        s.glimpsePatchSize = glimpseSize
        s.glimpseScales = glimpseScales
        s.glimpseScaleFactor = glimpseFactor
        s.glimpseSeed = seed
        s.glimpseLocations = glimpseAt.flatMap { try? Self.points($0) }
        s.axialSummed = axialSummed
        return s
    }

    func run() throws {
        ImageMemory.reuseLargeBuffers()   // 1-MP canvases reused, not fresh mmaps (see there)
        let renderMode = RenderMode(rawValue: mode)!
        let settings = self.settings
        let model = try weights.map { try ModelWeights(path: $0, prefix: prefix) }
        let walk = InputWalker(excluding: out).walk(paths)
        // Plan names on the whole list first, so every shard agrees on them.
        var jobs = OutputLayout(root: out).plan(walk.inputs, modes: [renderMode.rawValue])
        if let shard { jobs = try Shard(parsing: shard).select(jobs) }
        let parallelism = Parallelism.plan(jobs: jobs.count, requestedWorkers: self.jobs)
        // One BLAS thread per image even when a single image leaves a core spare: that core
        // encodes the original's PNG during the render, and the render's GEMMs are small
        // (a 64-cell grid), so a second GEMM thread only spun and yielded (~10% of a
        // 12-MP render's samples in sched_yield/__schedule).
        _ = parallelism.blasThreads
        BLAS.threadCount = 1
        let progress = ProgressReporter.standardError(total: jobs.count, quiet: quiet || json)
        let runner = BatchRunner(workers: parallelism.workers, resume: resume, checksProcesses: shard == nil,
                                 progress: progress)
        let overwrite = self.overwrite
        var summary = runner.run(jobs) { job in
            try Render.render(job, mode: renderMode, settings: settings, model: model, overwrite: overwrite)
        }
        summary.include(walk)
        if json {
            print(summary.json)
        } else if !quiet || summary.failed > 0 {
            FileHandleStream.standardError.write(summary.text + "\n")
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// PNG compression level of the renders: 1 selects vis's own fast writer (PNGEncoder).
    static let pngLevel = 1

    /// One image: decode, build the scene, draw the mode, write the PNG atomically.
    static func render(_ job: BatchJob, mode: RenderMode, settings: RenderSettings, model: ModelWeights?,
                       overwrite: Bool) throws -> [String] {
        let path = job.outputPath(mode: mode.rawValue)
        try OutputPolicy(overwrite: overwrite).checkRender(path)
        let (decoded, originalWidth) = try SceneImage.decode(path: job.input.path, settings: settings)
        try FileSystemFolders.create(job.outputFolder)
        // The picture itself, once, beside its overlays, for the gallery (`vis view`): encoded
        // on another thread while the overlay is computed. Not a concurrentPerform: libdispatch
        // runs an apply nested in another one serially, which kept the overlay's parallel
        // PNG parts (PNGEncoder) and blend bands on one core while the other sat idle.
        let original = job.outputPath(mode: "original")
        let writesOriginal = Batch.CompletenessCheck.check(original) != .complete
        nonisolated(unsafe) var originalFailure: (any Error)?   // written before group.leave, read after wait
        let group = DispatchGroup()
        func writeOriginal(_ picture: Image) {
            DispatchQueue.global().async(group: group) {
                do {
                    try PNGEncoder.write(picture, to: original, level: Render.pngLevel)
                } catch {
                    originalFailure = error
                }
            }
        }
        // Without a size cap the canvas is the decoded image: its PNG starts at once, beside
        // the area resampling of the scene image (~20 ms of 12 MP).
        let early = SceneImage.canvasIsImage(width: decoded.width, height: decoded.height, settings: settings)
        if writesOriginal && early { writeOriginal(decoded) }
        let image = SceneImage(image: decoded, originalWidth: originalWidth, settings: settings)
        if writesOriginal && !early {
            let c = image.canvas
            writeOriginal(Image(width: c.width, height: c.height, channels: 3, pixels: c.pixels))
        }
        var failures: [(any Error)?] = [nil, nil]
        do {
            let scene = try AttentionScene(image: image, settings: settings, weights: model)
            let renderer = Renderer(scene: scene)
            if let source = try renderer.rowSource(mode), Render.pngLevel == PNGEncoder.fastLevel {
                // Drawn band by band straight into the PNG parts: the overlay never exists whole.
                try PNGEncoder.writeRows(width: source.width, height: source.height, channels: 3, to: path) { rows, buffer in
                    let band = source.rows(rows)
                    band.pixels.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: $0.count) }
                }
            } else {
                let canvas = try renderer.render(mode)
                try PNGEncoder.write(Image(width: canvas.width, height: canvas.height, channels: 3, pixels: canvas.pixels),
                                     to: path, level: Render.pngLevel)
            }
        } catch {
            failures[0] = error
        }
        group.wait()
        failures[1] = originalFailure
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        return [path]
    }
}
