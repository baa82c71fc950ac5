import ArgumentParser
import Attention
import Dispatch
import Models
import TensorCore

extension Forward {
    /// `vis forward` on a whole vision transformer (Contract 5): MODEL is the checkpoint's
    /// `.safetensors` (its `config.json` beside it) or the folder holding both.
    func runWholeModel() throws {
        let checkpoint = try ViTCheckpoint(path: model, numHeads: numHeads)
        let file = try SafetensorsReader(path: input)
        guard file.info("input") != nil else {
            throw ValidationError("\(input): missing input tensor 'input' (B,C,H,W) for the whole model")
        }
        let images = try file.tensor("input")
        let capture: AttentionCapture = skipMaps ? .none : .full
        for _ in 0..<warmup { _ = try checkpoint.model.contractOutputs(images, capture: capture) }
        var outputs: [String: Tensor] = [:]
        var times: [Double] = []
        for _ in 0..<`repeat` {
            let start = DispatchTime.now().uptimeNanoseconds
            outputs = try checkpoint.model.contractOutputs(images, capture: capture)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        var writer = SafetensorsWriter(metadata: ["model": checkpoint.format.rawValue])
        for (name, tensor) in outputs { writer.add(name: name, tensor: tensor) }
        try writer.write(to: output)
        let median = Forward.median(times)
        if json {
            let shapes = outputs.keys.sorted().map { "\"\($0)\": \(outputs[$0]!.shape)" }.joined(separator: ", ")
            print("{\"model\": \"\(checkpoint.format.rawValue)\", \"inputs\": {\"input\": \(images.shape)}, "
                + "\"outputs\": {\(shapes)}, \"repeat\": \(`repeat`), \"maps\": \(!skipMaps), \"median_ms\": \(median), "
                + "\"blas_threads\": \(BLAS.threadCount)}")
        } else if `repeat` > 1 {
            print("vision transformer (\(checkpoint.format.rawValue)): median \((median * 1000).rounded() / 1000) ms over \(`repeat`) runs")
        }
    }
}
