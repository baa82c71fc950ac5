import Batch
import Dispatch
import FileSystem
import ImageCodecs
import Overlay

/// One image to its files: decode, a JPEG preview of the picture as rendered beside the
/// overlays (`<stem>_preview.jpg`, for the gallery), each mode drawn band by band or as a
/// whole canvas, every file written atomically (Contract 4).
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
        nonisolated(unsafe) var previewFailure: (any Error)?   // written before group.leave, read after wait
        let group = DispatchGroup()
        func writePreview(_ picture: Image) {
            DispatchQueue.global().async(group: group) {
                do {
                    try JPEGEncoder.write(picture, to: preview)
                } catch {
                    previewFailure = error
                }
            }
        }
        // Without a size cap the canvas is the decoded image: its preview starts at once, beside
        // the area resampling of the scene image.
        let early = SceneImage.canvasIsImage(width: decoded.width, height: decoded.height, settings: settings)
        if writesPreview && early { writePreview(decoded) }
        let image = SceneImage(image: decoded, originalWidth: originalWidth, settings: settings)
        if writesPreview && !early {
            let c = image.canvas
            writePreview(Image(width: c.width, height: c.height, channels: 3, pixels: c.pixels))
        }
        var failures: [(any Error)?] = [nil, nil]
        do {
            let modes = job.modes.filter { !kept.contains(job.outputPath(mode: $0)) }
            let scene = try AttentionScene(image: image, settings: settings, models: context.models,
                                           network: context.network,
                                           readout: RenderMode.transformerReadout(modes, settings: settings))
            let renderer = Renderer(scene: scene)
            for mode in modes {
                try Self.write(try mode.prepare(renderer), to: job.outputPath(mode: mode))
            }
        } catch {
            failures[0] = error
        }
        group.wait()
        failures[1] = previewFailure
        if let failure = failures.compactMap({ $0 }).first { throw failure }
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
