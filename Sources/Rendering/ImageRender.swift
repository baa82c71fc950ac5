import Batch
import Dispatch
import FileSystem
import ImageCodecs
import Overlay

/// One image to its files: decode, a JPEG preview of the picture as rendered beside the
/// overlays (`<stem>_preview.jpg`, for the gallery), each mode drawn band by band or as a
/// whole canvas, every file written atomically (Contract 4). A group of images
/// (``render(group:)``) shares one forward pass of a trained vision transformer.
public struct ImageRender: Sendable {
    public let context: RenderContext
    /// Replace complete outputs that exist already (else they are refused).
    public let overwrite: Bool
    /// `--resume`: keep complete outputs (the batch re-runs an image whose preview is missing
    /// or cut off, and only what is missing is written).
    public let resume: Bool

    /// PNG compression level of the renders: 1 selects vis's own fast writer (PNGEncoder).
    public static let pngLevel = 1
    /// The preview's name beside the overlays: `<stem>_preview.jpg`.
    public static let previewSuffix = "preview"
    public static let previewExtension = "jpg"
    /// `preview.jpg`: the preview as a batch companion (``BatchJob/companions``).
    public static var previewFileName: String { previewSuffix + "." + previewExtension }

    /// Images per group (``render(group:)``) for `jobs` images over `workers`: three with a
    /// trained vision transformer when every worker still gets a group (three images' tokens
    /// in one pass run 8 % faster per image than one at a time, BENCHMARKS.md), else one.
    /// Full-size canvases (`--max-size 0`) go one at a time: a group holds its canvases at
    /// once, and a 24-MP photo's is 72 MB.
    public func groupSize(jobs: Int, workers: Int) -> Int {
        guard context.network?.isTransformer == true, context.settings.maxSize != nil else { return 1 }
        return jobs >= Self.imagesPerPass * Swift.max(1, workers) ? Self.imagesPerPass : 1
    }

    /// Images a trained vision transformer takes in one pass in a folder run.
    public static let imagesPerPass = 3

    public init(context: RenderContext, overwrite: Bool, resume: Bool = false) {
        self.context = context
        self.overwrite = overwrite
        self.resume = resume
    }

    /// Renders `job.input` in each of `job.modes` into `job.outputFolder` (which must exist;
    /// the batch creates it) and returns the overlays written.
    ///
    /// - Throws: ``RenderError/outputExists(path:)`` for a complete output without
    ///   `overwrite`; the decoder's, the module's and the writer's errors otherwise.
    public func render(_ job: BatchJob<RenderMode>) throws -> [String] {
        try render(group: [job])[0].get()
    }

    /// Renders several images as ``render(_:)`` does each, with one forward pass of a trained
    /// vision transformer for all of them (``TransformerPass/passes(checkpoint:inputs:readout:)``,
    /// each weight packed once for the group); one image's error fails that image alone.
    public func render(group jobs: [BatchJob<RenderMode>]) -> [Result<[String], any Error>] {
        let started = jobs.map { job in Result { try start(job) } }
        let ready = started.compactMap { try? $0.get() }
        let passes = groupPasses(ready)
        var results: [Result<[String], any Error>] = []
        var next = 0   // the index of the job's image in `ready` (and `passes`)
        for (job, image) in zip(jobs, started) {
            switch image {
            case .failure(let error):
                results.append(.failure(error))
            case .success(let image):
                results.append(Result { try finish(job, image, pass: passes?[next]) })
                next += 1
            }
        }
        // The previews are waited for last, so that each one's write (and its fsync) overlaps
        // the next images' overlays; an image whose overlays failed reports that error first.
        for (index, image) in started.enumerated() {
            guard case .success(let image) = image, let failure = image.preview?.finished() else { continue }
            results[index] = results[index].flatMap { _ in .failure(failure) }
        }
        return results
    }

    /// One image between its decode and its overlays.
    struct Started {
        let image: SceneImage
        /// The modes whose outputs are still to write (`--resume` keeps complete ones).
        let modes: [RenderMode]
        let preview: PreviewWrite?
    }

    /// The preview being encoded on another thread; its error, if any, once it is done.
    final class PreviewWrite: @unchecked Sendable {
        private let group = DispatchGroup()
        private var failure: (any Error)?   // written before group.leave, read after wait

        init(_ picture: Image, to path: String) {
            DispatchQueue.global().async(group: group) { [self] in
                do {
                    try JPEGEncoder.write(picture, to: path)
                } catch {
                    failure = error
                }
            }
        }

        /// Waits for the write and returns its error.
        func finished() -> (any Error)? {
            group.wait()
            return failure
        }
    }

    /// Checks the outputs, decodes the image and starts its preview.
    func start(_ job: BatchJob<RenderMode>) throws -> Started {
        let settings = context.settings
        let kept = resume ? Set(job.outputs.filter { CompletenessCheck.check($0) == .complete }) : []
        for path in job.outputs where !kept.contains(path) { try checkOutput(path) }
        let (decoded, originalWidth) = try SceneImage.decode(path: job.input.path, settings: settings)
        // The picture as rendered, once, beside its overlays, for the gallery (`vis view`): a
        // JPEG preview at the canvas size (not a PNG copy of the input, six times a photo's
        // bytes), encoded on another thread while the overlay is computed. Not a
        // concurrentPerform: libdispatch runs an apply nested in another one serially, which
        // kept the overlay's parallel PNG parts (PNGEncoder) and blend bands on one core.
        let preview = job.outputPath(suffix: Self.previewSuffix, fileExtension: Self.previewExtension)
        let writesPreview = overwrite || CompletenessCheck.check(preview) != .complete
        var write: PreviewWrite?
        // Without a size cap the canvas is the decoded image: its preview starts at once, beside
        // the area resampling of the scene image.
        let early = SceneImage.canvasIsImage(width: decoded.width, height: decoded.height, settings: settings)
        if writesPreview && early { write = PreviewWrite(decoded, to: preview) }
        let image = SceneImage(image: decoded, originalWidth: originalWidth, settings: settings)
        if writesPreview && !early {
            let c = image.canvas
            write = PreviewWrite(Image(width: c.width, height: c.height, channels: 3, pixels: c.pixels), to: preview)
        }
        return Started(image: image, modes: job.modes.filter { !kept.contains(job.outputPath(mode: $0)) }, preview: write)
    }

    /// The trained transformer's passes of a group's started images, one forward pass for all
    /// (nil for fewer than two, without a transformer, or if that pass fails: each image then
    /// runs its own, so that an error is that image's).
    func groupPasses(_ started: [Started]) -> [TransformerPass]? {
        guard started.count > 1, case .visionTransformer(let checkpoint) = context.network else { return nil }
        let settings = context.settings
        let inputs = started.compactMap { AttentionScene.networkInput($0.image, settings: settings, network: context.network) }
        let readout = RenderMode.transformerReadout(started.flatMap(\.modes), settings: settings)
        return try? TransformerPass.passes(checkpoint: checkpoint, inputs: inputs, readout: readout)
    }

    /// Builds the scene and writes each mode's overlay (``render(group:)`` waits for the preview).
    func finish(_ job: BatchJob<RenderMode>, _ started: Started, pass: TransformerPass?) throws -> [String] {
        let settings = context.settings
        let scene = try AttentionScene(image: started.image, settings: settings, models: context.models,
                                       network: context.network,
                                       readout: RenderMode.transformerReadout(started.modes, settings: settings),
                                       pass: pass)
        let renderer = Renderer(scene: scene)
        for mode in started.modes {
            try Self.write(try mode.prepare(renderer), to: job.outputPath(mode: mode))
        }
        return job.outputs
    }

    /// Writes a prepared mode: band by band straight into the PNG parts where the mode can
    /// (the overlay never exists whole), else the whole canvas.
    static func write(_ prepared: PreparedMode, to path: String) throws {
        if let source = prepared.rowSource(), pngLevel == PNGEncoder.fastLevel {
            try PNGEncoder.writeRows(width: source.width, height: source.height, channels: 3, to: path) { rows, buffer in
                let band = source.rows(rows)
                band.pixels.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: $0.count) }
            }
        } else {
            let canvas = try prepared.draw()
            try PNGEncoder.write(Image(width: canvas.width, height: canvas.height, channels: 3, pixels: canvas.pixels),
                                 to: path, level: pngLevel)
        }
    }

    /// Nothing the user already had is overwritten silently: a complete output is replaced
    /// only with `overwrite` (`--resume` skips complete ones before this is reached; an
    /// incomplete one is redone).
    func checkOutput(_ path: String) throws {
        guard !overwrite else { return }
        if FileStatus.exists(path) && CompletenessCheck.check(path) == .complete {
            throw RenderError.outputExists(path: path)
        }
    }
}
