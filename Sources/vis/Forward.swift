import ArgumentParser
import Attention
import Dispatch
import ImageCodecs
import Models
import TensorCore

/// `vis forward MODEL INPUT -o OUTPUT [--repeat N] [--json]` (Contracts 2 and 5 of DESIGN.md).
///
/// Runs one module exactly as its PyTorch reference does and writes every output tensor
/// (with the full attention maps). `--repeat N` times the forward pass alone (no file I/O)
/// N times and reports the median. A whole vision transformer (a folder, or a `.safetensors`
/// with `config.json` beside it) runs through `runWholeModel()`.
struct Forward: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one attention module on a tensor file, as its PyTorch reference does.")

    @Argument(help: "Model file (.safetensors, Contract 1).")
    var model: String

    @Argument(help: "Input tensors (.safetensors: `input`, and `locations` for glimpse).")
    var input: String

    @Option(name: .shortAndLong, help: "Output .safetensors file.")
    var output: String

    @OptionGroup var prefix: PrefixOption

    @Option(help: "Run the forward pass N times and report the median time.")
    var `repeat`: Int = 1

    @Option(help: "Untimed passes before the timed ones (as tools/bench_torch.py does on the PyTorch side).")
    var warmup: Int = 0

    @Flag(help: "Print a machine-readable summary (module, shapes, median_ms).")
    var json = false

    @OptionGroup var overwrite: OverwriteOption

    @Flag(name: .customLong("reference-glimpse-axes"),
          help: "Glimpse: use the image height for both axes, as the RAM reference does (differs on non-square images only).")
    var referenceGlimpseAxes = false

    @Option(name: .customLong("num-heads"), help: "Whole models: the number of attention heads, when neither the file nor config.json gives it.")
    var numHeads: Int?

    @Flag(name: .customLong("skip-maps"), help: "Compute and write the outputs without the attention maps (for timing the pass alone).")
    var skipMaps = false

    func validate() throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1, got \(`repeat`).") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more, got \(warmup).") }
    }

    func run() throws {
        // Map buffers (16 MB per axial pass) come back from the heap on every pass instead of
        // fresh mmaps the kernel zeroes page by page (as the render does for its canvases).
        ImageMemory.reuseLargeBuffers()
        try OutputPolicy(overwrite: overwrite.overwrite).check(output)
        if ViTCheckpoint.isWholeModel(path: model) { return try runWholeModel() }
        let weights = try WeightSet(path: model, prefix: prefix.prefix)
        if weights.moduleName == RecurrentAttentionModel.moduleName { return try runRecurrentAttention(weights) }
        let module = try AttentionModule(weights: weights, referenceGlimpseAxes: referenceGlimpseAxes)
        let file = try SafetensorsFile.read(path: input)
        var inputs: [String: Tensor] = [:]
        for name in module.inputNames {
            guard file.hasTensor(name) else {
                throw ValidationError("\(input): missing input tensor '\(name)' for module \(module.name)")
            }
            inputs[name] = try file.tensor(name)
        }
        var outputs: [String: Tensor] = [:]
        var times: [Double] = []
        for _ in 0..<warmup {
            _ = try module.forward(inputs: inputs, capture: skipMaps ? .none : .full)
        }
        for _ in 0..<`repeat` {
            let start = DispatchTime.now().uptimeNanoseconds
            outputs = try module.forward(inputs: inputs, capture: skipMaps ? .none : .full)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        var writer = SafetensorsWriter(metadata: ["module": module.name])
        for (name, tensor) in outputs { writer.add(name: name, tensor: tensor) }
        try writer.write(to: output)
        let median = Forward.median(times)
        if json {
            let shapes = { (d: [String: Tensor]) in
                d.keys.sorted().map { "\"\($0)\": \(d[$0]!.shape)" }.joined(separator: ", ")
            }
            print("{\"module\": \"\(module.name)\", \"inputs\": {\(shapes(inputs))}, \"outputs\": {\(shapes(outputs))}, "
                + "\"repeat\": \(`repeat`), \"maps\": \(!skipMaps), \"median_ms\": \(median), \"blas_threads\": \(BLAS.threadCount)}")
        } else if `repeat` > 1 {
            print("\(module.name): median \(String(format3(median))) ms over \(`repeat`) runs")
        }
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

private func format3(_ v: Double) -> String {
    let scaled = (v * 1000).rounded() / 1000
    return "\(scaled)"
}
