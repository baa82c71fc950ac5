/// One image to render, with the outputs it must produce.
public struct BatchJob: Sendable, Equatable, Hashable {
    public let input: BatchInput
    /// `<OUT>/<subfolder>`: the folder the outputs go to (created by the runner).
    public let outputFolder: String
    /// The name part before `_<mode>.png`: the input's stem, or its whole file name when the
    /// stem collides with another input's (see `OutputLayout`).
    public let outputStem: String
    /// The render modes, one output each (`["axial"]`, or all of them).
    public let modes: [String]

    public init(input: BatchInput, outputFolder: String, outputStem: String, modes: [String]) {
        self.input = input
        self.outputFolder = outputFolder
        self.outputStem = outputStem
        self.modes = modes
    }

    /// `<outputFolder>/<outputStem>_<mode>.png`.
    public func outputPath(mode: String) -> String {
        FileSystem.join(outputFolder, "\(outputStem)_\(mode).png")
    }

    /// The output of every mode, in the order of `modes`.
    public var outputs: [String] { modes.map(outputPath(mode:)) }
}
