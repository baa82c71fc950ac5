import FileSystem
/// What a batch writes per image, one file each: `<stem>_<fileSuffix>.png`.
///
/// The caller's own type (the render modes) travels through the batch unchanged, so nothing
/// is parsed back from a string; `String` conforms for callers that only have names.
public protocol BatchOutput: Sendable, Hashable {
    /// The name part after `_` in `<stem>_<fileSuffix>.png`.
    var fileSuffix: String { get }
}

extension String: BatchOutput {
    public var fileSuffix: String { self }
}

/// One image to render, with the outputs it must produce.
public struct BatchJob<Output: BatchOutput>: Sendable, Equatable, Hashable {
    public let input: BatchInput
    /// `<OUT>/<subfolder>`: the folder the outputs go to (created by the runner).
    public let outputFolder: String
    /// The name part before `_<mode>.png`: the input's stem, or its whole file name when the
    /// stem collides with another input's (see `OutputLayout`).
    public let outputStem: String
    /// The render modes, one output each (`[axial]`, or all of them).
    public let modes: [Output]
    /// Files the renderer writes beside the outputs, shared by every mode, as
    /// `<suffix>.<extension>` (`preview.jpg`): `--resume` redoes an image whose companion is
    /// missing or incomplete too.
    public let companions: [String]

    public init(input: BatchInput, outputFolder: String, outputStem: String, modes: [Output],
                companions: [String] = []) {
        self.input = input
        self.outputFolder = outputFolder
        self.outputStem = outputStem
        self.modes = modes
        self.companions = companions
    }

    /// `<outputFolder>/<outputStem>_<suffix>.<fileExtension>`.
    public func outputPath(suffix: String, fileExtension: String = "png") -> String {
        Folder.join(outputFolder, "\(outputStem)_\(suffix).\(fileExtension)")
    }

    /// `<outputFolder>/<outputStem>_<mode>.png`.
    public func outputPath(mode: Output) -> String {
        outputPath(suffix: mode.fileSuffix)
    }

    /// The output of every mode, in the order of `modes`.
    public var outputs: [String] { modes.map(outputPath(mode:)) }

    /// `<outputFolder>/<outputStem>_<companion>` for each of `companions`.
    public var companionOutputs: [String] { companions.map { Folder.join(outputFolder, "\(outputStem)_\($0)") } }
}
