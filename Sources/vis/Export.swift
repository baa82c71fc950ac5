import ArgumentParser
import ImageCodecs
import TensorCore

/// `vis export IMAGE -o OUT.safetensors [--float]` (Contract 3 of DESIGN.md).
///
/// Writes the decoded pixels as tensor `image` (H,W,C), U8 or U16 as the file stores them;
/// with `--float`, tensor `input` (1,C,H,W) F32 in [0,1], ready for `vis forward`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an image's decoded pixels to a .safetensors file.")

    @Argument(help: "A PNG or JPEG file.")
    var image: String

    @Option(name: .shortAndLong, help: "The .safetensors file to write.")
    var output: String

    @Flag(help: "Write `input` (1,C,H,W) Float32 in [0,1] instead of `image` (H,W,C) U8/U16.")
    var float = false

    @OptionGroup var overwrite: OverwriteOption

    func run() throws {
        try OutputPolicy(overwrite: overwrite.overwrite).check(output)
        let decoded = try ImageDecoder.decode(path: image)
        var writer = SafetensorsWriter()
        let shape = [decoded.height, decoded.width, decoded.channels]
        if float {
            writer.add(name: "input", tensor: ImageTensor.nchw(decoded))
        } else {
            switch decoded.samples {
            case .uint8(let s): writer.add(name: "image", uint8: s, shape: shape)
            case .uint16(let s): writer.add(name: "image", uint16: s, shape: shape)
            }
        }
        try writer.write(to: output)
    }
}
