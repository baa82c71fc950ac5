import ArgumentParser
import Rendering

/// `--overwrite`: every command that writes files refuses to replace one without it.
struct OverwriteOption: ParsableArguments {
    @Flag(help: "Replace existing outputs.")
    var overwrite = false
}

/// `--prefix`: picks a sub-module out of a model file (`render --weights`, `forward MODEL`).
struct PrefixOption: ParsableArguments {
    @Option(help: "Sub-module prefix inside the model file (e.g. `blocks.3.attn`); `module.` and `backbone.` are always stripped.")
    var prefix: String = ""
}

/// `--model` and how the image reaches the network (`render`, `explore`).
struct NetworkOptions: ParsableArguments {
    @Option(help: "A whole trained network: a vision transformer checkpoint (timm or transformers, config.json beside it; the file or its folder) for cls, rollout, mask and self, or a recurrent_attention_model file for glimpse.")
    var model: String?

    @Option(name: .customLong("num-heads"), help: "--model: the number of attention heads, when neither the file nor config.json gives it.")
    var numHeads: Int?

    @Option(name: .customLong("model-size"), help: "--model: the long side of the network's input in pixels (default: the checkpoint's input size); the image keeps its aspect ratio.")
    var modelSize: Int?

    /// The largest `--model-size`: 8192 pixels is 512 patches of 16 on the long side, already
    /// past what a pass's attention maps fit in on most machines (``ModelError/passTooLarge``).
    static let largestModelSize = 8192

    @Flag(name: .customLong("model-crop"), help: "--model: resize and centre-crop as the checkpoint's pretrained_cfg says (timm's evaluation transform, crop_pct) instead of the whole image at its aspect ratio.")
    var modelCrop = false

    func validate() throws {
        if let modelSize, !(1...Self.largestModelSize).contains(modelSize) {
            throw ValidationError("--model-size must be in 1...\(Self.largestModelSize); got \(modelSize).")
        }
        if let numHeads, numHeads < 1 { throw ValidationError("--num-heads must be at least 1; got \(numHeads).") }
    }

    /// The input size and crop, and tiny inputs (a 28×28 digit) enlarged so a person can read the map.
    func apply(to settings: inout RenderSettings) {
        settings.networkLongSide = modelSize
        settings.networkCrop = modelCrop
        if model != nil { settings.enlargeBelow = 448 }
    }
}
