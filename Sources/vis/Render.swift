import ArgumentParser
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

    @Option(help: ArgumentHelp(RenderMode.registered.map { "\($0.name): \($0.summary)" }.joined(separator: "; ") + ".",
                               valueName: RenderMode.names.joined(separator: "|")),
            transform: Render.mode)
    var mode: RenderMode = .axial

    @Option(help: "Output folder; sub-folders of a batch are kept.")
    var out: String = "outputs"

    @Option(help: "Model file (.safetensors) with the modules to use instead of the weight-free defaults.")
    var weights: String?

    @OptionGroup var prefix: PrefixOption

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

    @Option(name: .customLong("max-size"), help: "Cap the rendered image's long side (pixels; default 2048, 0 for full size).")
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

    @OptionGroup var overwrite: OverwriteOption

    @Option(help: "Take a deterministic share K/N of the images (1-based), e.g. for a Slurm array.")
    var shard: String?

    @Flag(help: "No progress bar.")
    var quiet = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard QueryPoint(argument: query) != nil else { throw ValidationError("--query must be auto or X,Y; got '\(query)'.") }
        guard Colormap.named(colormap) != nil else {
            throw ValidationError("--colormap must be one of \(Colormap.allNames.joined(separator: ", ")); got '\(colormap)'.")
        }
        guard (0...1).contains(alpha) else { throw ValidationError("--alpha must be in [0, 1]; got \(alpha).") }
        guard (4...512).contains(grid) else { throw ValidationError("--grid must be in 4...512; got \(grid).") }
        if let maxSize, maxSize != 0 && maxSize < 16 {
            throw ValidationError("--max-size must be 0 (full size) or at least 16; got \(maxSize).")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1; got \(jobs).") }
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
        }
        if let percentile { _ = try Self.percentiles(percentile) }
        if let glimpseAt { _ = try Self.points(glimpseAt) }
        if resume && overwrite.overwrite { throw ValidationError("--resume and --overwrite contradict each other; pick one.") }
    }

    static func mode(_ text: String) throws -> RenderMode {
        guard let mode = RenderMode.named(text) else {
            throw ValidationError("--mode must be one of \(RenderMode.names.joined(separator: ", ")); got '\(text)'.")
        }
        return mode
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
        s.maxSize = RenderSize.cap(option: maxSize)
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
        ImageMemory.reuseLargeBuffers()   // canvases reused from the heap, not fresh mmaps (see there)
        let walk = InputWalker(excluding: out).walk(paths)
        // Plan names on the whole list first, so every shard agrees on them.
        var jobs = OutputLayout(root: out).plan(walk.inputs, modes: [mode], companions: [ImageRender.previewFileName])
        if let shard { jobs = try Shard(parsing: shard).select(jobs) }
        let parallelism = Parallelism.plan(jobs: jobs.count, requestedWorkers: self.jobs)
        BLAS.threadCount = parallelism.blasThreads
        BLAS.prepareThreads()
        let context = try RenderContext(settings: settings, weightsPath: weights, prefix: prefix.prefix)
        if let models = context.models, !models.unusedNames.isEmpty {
            FileHandleStream.standardError.write(
                "vis: warning: \(models.path): \(models.unusedNames.count) tensor(s) not used by any module: "
                + models.unusedNames.joined(separator: ", ") + "\n")
        }
        let progress = ProgressReporter.standardError(total: jobs.count, quiet: quiet || json)
        let runner = BatchRunner(workers: parallelism.workers, resume: resume, checksProcesses: shard == nil,
                                 progress: progress)
        let image = ImageRender(context: context, overwrite: overwrite.overwrite, resume: resume)
        var summary = runner.run(jobs, render: image.render)
        summary.include(walk)
        if json {
            print(summary.json)
        } else if !quiet || summary.failed > 0 {
            FileHandleStream.standardError.write(summary.text + "\n")
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
