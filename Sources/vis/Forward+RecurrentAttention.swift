import ArgumentParser
import Attention
import Dispatch
import Models
import TensorCore

/// `vis forward` for a whole ``RecurrentAttentionModel`` (module `recurrent_attention_model`).
///
/// INPUT: `input` (B,1,28,28) normalised, `locations` (B,2) l₀, optional `noise` (B,T−1,2)
/// the ε of steps 1 … T−1 (zeros when absent: the mean policy). OUTPUT: `log_probs` (B,10),
/// `locations` (B,T,2) l₀ … l_{T−1}, `hidden` (B,256) h_T.
extension Forward {
    func runRecurrentAttention(_ weights: WeightSet) throws {
        var weights = weights
        let network = try RecurrentAttentionModel(loading: &weights)
        let file = try SafetensorsFile.read(path: input)
        var tensors: [String: Tensor] = [:]
        for name in ["input", "locations", "noise"] where file.hasTensor(name) { tensors[name] = try file.tensor(name) }
        for name in ["input", "locations"] where tensors[name] == nil {
            throw ValidationError("\(input): missing input tensor '\(name)' for module \(RecurrentAttentionModel.moduleName)")
        }
        let pass = { try network.run(tensors["input"]!, firstLocations: tensors["locations"]!, noise: tensors["noise"]) }
        for _ in 0..<warmup { _ = try pass() }
        var times: [Double] = []
        var result: RecurrentAttentionRun?
        for _ in 0..<`repeat` {
            let start = DispatchTime.now().uptimeNanoseconds
            result = try pass()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        guard let result else { return }
        var writer = SafetensorsWriter(metadata: ["module": RecurrentAttentionModel.moduleName])
        writer.add(name: "log_probs", tensor: result.logProbabilities)
        writer.add(name: "locations", tensor: result.locations)
        writer.add(name: "hidden", tensor: result.hidden)
        try writer.write(to: output)
        let median = Forward.median(times)
        if json {
            print("{\"module\": \"\(RecurrentAttentionModel.moduleName)\", \"batch\": \(tensors["input"]!.shape[0]), "
                + "\"repeat\": \(`repeat`), \"median_ms\": \(median), \"blas_threads\": \(BLAS.threadCount)}")
        } else if `repeat` > 1 {
            print("\(RecurrentAttentionModel.moduleName): median \(median) ms over \(`repeat`) runs")
        }
    }
}
