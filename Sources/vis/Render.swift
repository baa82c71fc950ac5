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

    @OptionGroup var network: NetworkOptions

    @Option(name: [.customLong("layer"), .customLong("layers")],
            help: "--model: the block whose attention cls, mask and self show (from 0; default the last), or all for a layer-by-head grid.")
    var layer: String?

    @Option(help: "--model: one head's map (from 0) instead of the mean over heads.")
    var head: Int?

    @Option(name: .customLong("head-fusion"), help: "rollout: how heads are fused per block: mean, max or min.")
    var headFusion: String = "mean"

    @Option(name: .customLong("discard-ratio"), help: "rollout: share of the smallest weights dropped per block, in [0, 1).")
    var discardRatio: Double = 0

    @Option(help: "mask: the share of the class token's attention the kept patches hold, in [0, 1] (DINO's threshold).")
    var mass: Double = 0.6

    @Option(help: "glimpse with the trained RAM: sampled runs whose predictions are averaged (the reference's test; --seed fixes them).")
    var samples: Int = 1

    @Option(help: "Query point for axial and self: X,Y in image pixels, or auto (most salient); with a trained ViT also cls or register:K (that token's attention).")
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
        guard QueryPoint(argument: query) != nil || Self.token(query) != nil else {
            throw ValidationError("--query must be auto, X,Y, cls or register:K; got '\(query)'.")
        }
        if let head, head < 0 { throw ValidationError("--head must be a head number (from 0); got \(head).") }
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
        if let layer, layer != "all", Int(layer).map({ $0 < 0 }) ?? true {
            throw ValidationError("--layer must be a block number (from 0) or all; got '\(layer)'.")
        }
        guard AttentionRollout.HeadFusion(rawValue: headFusion) != nil else {
            throw ValidationError("--head-fusion must be mean, max or min; got '\(headFusion)'.")
        }
        guard (0..<1).contains(discardRatio) else { throw ValidationError("--discard-ratio must be in [0, 1); got \(discardRatio).") }
        guard (0...1).contains(mass) else { throw ValidationError("--mass must be in [0, 1]; got \(mass).") }
        guard (1...GlimpseSampler.mostGlimpses).contains(glimpses) else {
            throw ValidationError("--glimpses must be in 1...\(GlimpseSampler.mostGlimpses); got \(glimpses).")
        }
        do {
            _ = try GlimpseSampler(patchSize: glimpseSize, numPatches: glimpseScales, scale: glimpseFactor)
        } catch let error as AttentionError {
            throw ValidationError("--glimpse-size, --glimpse-scales, --glimpse-factor: \(error)")
        }
        guard (1...65_536).contains(samples) else { throw ValidationError("--samples must be in 1...65536; got \(samples).") }
        if resume && overwrite.overwrite { throw ValidationError("--resume and --overwrite contradict each other; pick one.") }
    }

    static func mode(_ text: String) throws -> RenderMode {
        guard let mode = RenderMode.named(text) else {
            throw ValidationError("--mode must be one of \(RenderMode.names.joined(separator: ", ")); got '\(text)'.")
        }
        return mode
    }

    /// A mode that draws nothing for the run's network is refused before any image starts.
    static func check(_ mode: RenderMode, network: TrainedNetwork?) throws {
        guard !mode.shows(network) else { return }
        switch network {
        case nil:
            throw RenderError.needsNetwork(mode: mode.name, kind: TrainedNetwork.transformerKind)
        case .visionTransformer?:
            throw ValidationError("--mode \(mode.name) does not use a vision transformer; with --model give one of "
                                  + RenderMode.registered.filter { $0.shows(network) }.map(\.name).joined(separator: ", "))
        case .recurrentAttention?:
            throw RenderError.needsNetwork(mode: mode.name, kind: TrainedNetwork.transformerKind)
        }
    }

    /// `cls` or `register:K` as a token of a trained ViT, else nil.
    static func token(_ text: String) -> TokenLayout.Token? {
        if text == "cls" { return .classToken }
        if text.hasPrefix("register:"), let k = Int(text.dropFirst("register:".count)), k >= 0 { return .register(k) }
        return nil
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
        s.query = QueryPoint(argument: query) ?? .auto
        s.queryToken = Self.token(query)
        s.head = head
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
        switch layer {
        case nil: s.layer = .last
        case "all"?: s.layer = .all
        case let text?: s.layer = .block(Int(text) ?? 0)
        }
        s.headFusion = AttentionRollout.HeadFusion(rawValue: headFusion) ?? .mean
        s.discardRatio = discardRatio
        s.mass = mass
        s.samples = samples
        network.apply(to: &s)
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
        let context = try RenderContext(settings: settings, weightsPath: weights, prefix: prefix.prefix,
                                        networkPath: network.model, numHeads: network.numHeads)
        try Self.check(mode, network: context.network)
        if let models = context.models, !models.unusedNames.isEmpty {
            FileHandleStream.standardError.write(
                "vis: warning: \(models.path): \(models.unusedNames.count) tensor(s) not used by any module: "
                + models.unusedNames.joined(separator: ", ") + "\n")
        }
        let progress = ProgressReporter.standardError(total: jobs.count, quiet: quiet || json)
        let runner = BatchRunner(workers: parallelism.workers, resume: resume, checksProcesses: shard == nil,
                                 progress: progress)
        let image = ImageRender(context: context, overwrite: overwrite.overwrite, resume: resume)
        var summary = runner.run(jobs, groupSize: image.groupSize(jobs: jobs.count, workers: parallelism.workers),
                                 renderGroup: image.render(group:))
        summary.include(walk)
        if json {
            print(summary.json)
        } else if !quiet || summary.failed > 0 {
            FileHandleStream.standardError.write(summary.text + "\n")
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
