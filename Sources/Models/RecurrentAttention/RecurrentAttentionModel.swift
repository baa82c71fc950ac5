#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Attention
import TensorCore

/// The trained Recurrent Attention Model: hard attention that learns where to look.
///
/// Mnih, Heess, Graves and Kavukcuoglu, "Recurrent Models of Visual Attention" (NeurIPS
/// 2014). Follows kevinzakka/recurrent-visual-attention as of commit 3f04ccb (2018), whose
/// trained MNIST checkpoint is `models/ram-mnist/`; the equations are those written out in
/// `models/README.md`:
///
///     h₀ = 0, l₀ given; for t = 1 … T:
///       φ   = the g×g patch of the normalised image around l_{t−1} (``GlimpseSampler``)
///       g_t = ReLU(fc3(ReLU(fc1(φ))) + fc4(ReLU(fc2(l_{t−1}))))          (``GlimpseNetwork``)
///       h_t = ReLU(i2h(g_t) + h2h(h_{t−1}))                                  (the core)
///       μ_t = tanh(locator(h_t)),  l_t = tanh(μ_t + ε_t),  ε_t ~ N(0, std²)   (the location network)
///     log p = log_softmax(classifier(h_T))
///
/// Only l₀ … l_{T−1} are glimpsed, so a run takes T − 1 noise vectors (ε = 0: the mean
/// policy). Locations are (x, y) ∈ [−1, 1]², x across the columns, y down the rows.
///
/// Shape: input [B, C, 28, 28] normalised ((x − inputMean) / inputStd), l₀ [B, 2],
/// noise [B, T − 1, 2] -> ``RecurrentAttentionRun``.
///
/// Model files (Contract 1, module `recurrent_attention_model`): tensors `sensor.fc1` …
/// `sensor.fc4`, `rnn.i2h`, `rnn.h2h`, `locator.fc`, `classifier.fc` (each `.weight`,
/// `.bias`); `baseliner.*` (the REINFORCE baseline) is read by nobody. Metadata:
/// `patch_size`, `num_patches`, `scale`, `glimpse_hidden`, `loc_hidden`, `hidden_size`,
/// `num_glimpses`, `num_classes`, `std`, `input_mean`, `input_std`.
public struct RecurrentAttentionModel: Sendable {
    /// The Contract 1 module name.
    public static let moduleName = "recurrent_attention_model"
    /// Side of the (square) images the model was trained on: MNIST's 28.
    public static let imageSize = 28

    /// Number of glimpses T (`num_glimpses`).
    public let numGlimpses: Int
    /// Standard deviation of the location policy's Gaussian noise (`std`).
    public let standardDeviation: Float
    /// Per-pixel normalisation of the input: (x − mean) / std, x in [0, 1].
    public let inputMean: Float, inputStandardDeviation: Float
    /// Channels of the input image (1 for MNIST), from `sensor.fc1`'s width.
    public let channels: Int

    let glimpseNetwork: GlimpseNetwork
    let inputToHidden: Linear, hiddenToHidden: Linear
    let locator: Linear
    let classifier: Linear

    /// The glimpse sensor φ.
    public var sensor: GlimpseSampler { glimpseNetwork.sensor }
    /// Width of the hidden state h (`hidden_size`).
    public var hiddenSize: Int { hiddenToHidden.outputFeatures }
    /// Number of classes (`num_classes`).
    public var numClasses: Int { classifier.outputFeatures }

    /// Loads a model from a weight set, recording which tensors it read.
    ///
    /// - Throws: ``AttentionError/missingTensor(name:module:)`` or
    ///   ``AttentionError/shapeMismatch(name:expected:got:)`` naming the tensor;
    ///   ``AttentionError/missingHyperparameter(name:module:)`` or
    ///   ``AttentionError/invalidHyperparameter(name:value:reason:)`` for the metadata.
    public init(loading weights: inout WeightSet) throws {
        let module = Self.moduleName
        if let name = weights.moduleName, name != module { throw AttentionError.unknownModule(name: name) }
        let sensor = try GlimpseSampler(patchSize: try weights.integer("patch_size", module: module),
                                        numPatches: try weights.integer("num_patches", module: module),
                                        scale: try weights.number("scale", module: module),
                                        referenceHeightForBothAxes: true)
        let glimpseHidden = try weights.integer("glimpse_hidden", module: module)
        let locationHidden = try weights.integer("loc_hidden", module: module)
        let hidden = try weights.integer("hidden_size", module: module)
        numGlimpses = try weights.integer("num_glimpses", module: module)
        guard numGlimpses <= GlimpseSampler.mostGlimpses else {
            throw AttentionError.invalidHyperparameter(name: "num_glimpses", value: "\(numGlimpses)",
                                                       reason: "must be at most \(GlimpseSampler.mostGlimpses)")
        }
        let numClasses = try weights.integer("num_classes", module: module)
        standardDeviation = Float(try weights.number("std", module: module))
        inputMean = Float(try Self.real("input_mean", in: weights))
        inputStandardDeviation = Float(try weights.number("input_std", module: module))
        // fc1 reads k·C·g² values: C follows from its width (1 for MNIST).
        let perChannel = sensor.numPatches * sensor.patchSize * sensor.patchSize
        let fc1 = try weights.require("sensor.fc1.weight", rank: 2, module: module)
        guard fc1.shape[1] % perChannel == 0, fc1.shape[1] > 0 else {
            throw AttentionError.shapeMismatch(name: "sensor.fc1.weight", expected: [glimpseHidden, perChannel],
                                               got: fc1.shape)
        }
        channels = fc1.shape[1] / perChannel
        // As the reference: fc3 and fc4 map to h_g + h_l, the core's input width.
        glimpseNetwork = try GlimpseNetwork(loading: &weights, sensor: sensor, channels: channels,
                                            glimpseHidden: glimpseHidden, locationHidden: locationHidden,
                                            hidden: glimpseHidden + locationHidden, module: module)
        inputToHidden = try Linear(loading: &weights, prefix: "rnn.i2h", inputFeatures: glimpseHidden + locationHidden,
                                   outputFeatures: hidden, bias: .required, module: module)
        hiddenToHidden = try Linear(loading: &weights, prefix: "rnn.h2h", inputFeatures: hidden,
                                    outputFeatures: hidden, bias: .required, module: module)
        locator = try Linear(loading: &weights, prefix: "locator.fc", inputFeatures: hidden, outputFeatures: 2,
                             bias: .required, module: module)
        classifier = try Linear(loading: &weights, prefix: "classifier.fc", inputFeatures: hidden,
                                outputFeatures: numClasses, bias: .required, module: module)
    }

    /// Loads a model file (Contract 1).
    public init(path: String) throws {
        var weights = try WeightSet(path: path)
        try self.init(loading: &weights)
    }

    /// A real hyperparameter that may be zero or negative (the input mean).
    private static func real(_ name: String, in weights: WeightSet) throws -> Double {
        guard let text = weights.metadata[name] else {
            throw AttentionError.missingHyperparameter(name: name, module: moduleName)
        }
        guard let value = Double(text.filter { !$0.isWhitespace }), value.isFinite else {
            throw AttentionError.invalidHyperparameter(name: name, value: text, reason: "expected a number")
        }
        return value
    }

    /// Runs the model: T glimpses from l₀ with the given noise, then the classifier.
    ///
    /// Shape: input [B, C, 28, 28] normalised, firstLocations [B, 2] in [−1, 1],
    /// noise [B, T − 1, 2] (nil: zeros, the mean policy) -> ``RecurrentAttentionRun``.
    /// - Throws: ``AttentionError/inputShape(name:expected:got:)`` naming `input`,
    ///   `locations` or `noise` when a shape is wrong or a value is not finite (or a first
    ///   location lies outside [−1, 1]).
    public func run(_ input: Tensor, firstLocations: Tensor, noise: Tensor? = nil) throws -> RecurrentAttentionRun {
        let size = Self.imageSize
        guard input.rank == 4, input.shape[1] == channels, input.shape[2] == size, input.shape[3] == size else {
            throw AttentionError.inputShape(name: "input", expected: "[B, \(channels), \(size), \(size)]", got: input.shape)
        }
        let b = input.shape[0], steps = numGlimpses
        guard firstLocations.shape == [b, 2] else {
            throw AttentionError.inputShape(name: "locations", expected: "[\(b), 2]", got: firstLocations.shape)
        }
        guard firstLocations.storage.allSatisfy({ $0.isFinite && abs($0) <= 1 }) else {
            throw AttentionError.inputShape(name: "locations", expected: "(x, y) in [-1, 1]", got: firstLocations.shape)
        }
        let noise = noise ?? Tensor(shape: [b, steps - 1, 2])
        guard noise.shape == [b, steps - 1, 2] else {
            throw AttentionError.inputShape(name: "noise", expected: "[\(b), \(steps - 1), 2]", got: noise.shape)
        }
        guard noise.storage.allSatisfy(\.isFinite) else {
            throw AttentionError.inputShape(name: "noise", expected: "finite values", got: noise.shape)
        }
        let glimpseWidth = glimpseNetwork.fc1.inputFeatures
        var locations = Tensor(shape: [b, steps, 2])
        var glimpses = Tensor(shape: [b, steps, glimpseWidth])
        var hidden = Tensor(shape: [b, hiddenSize])
        var location = firstLocations
        for t in 0..<steps {
            Self.write(location, into: &locations, step: t)
            let (g, phi) = try glimpseNetwork(input, locations: location)
            Self.write(phi, into: &glimpses, step: t)
            // h_t = ReLU(i2h(g_t) + h2h(h_{t−1}))
            var core = inputToHidden(g)
            core.add(hiddenToHidden(hidden))
            hidden = core.relu()
            guard t < steps - 1 else { break }
            // l_t = tanh(tanh(locator(h_t)) + ε_t)
            var mean = locator(hidden).tanh()
            for row in 0..<b {
                for axis in 0..<2 { mean.storage[row * 2 + axis] += noise.storage[(row * (steps - 1) + t) * 2 + axis] }
            }
            location = mean.tanh()
        }
        let logProbabilities = Self.logSoftmax(classifier(hidden))
        return RecurrentAttentionRun(logProbabilities: logProbabilities, locations: locations, hidden: hidden,
                                     glimpses: glimpses)
    }

    /// Copies `value` [B, w] into `sequence` [B, T, w] at step `step`.
    private static func write(_ value: Tensor, into sequence: inout Tensor, step: Int) {
        let (b, steps, width) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        for row in 0..<b {
            for i in 0..<width { sequence.storage[(row * steps + step) * width + i] = value.storage[row * width + i] }
        }
    }

    /// log_softmax over the last dimension: x − max − log Σ exp(x − max) (`F.log_softmax`).
    ///
    /// Shape: [B, K] -> [B, K].
    static func logSoftmax(_ logits: Tensor) -> Tensor {
        let k = logits.shape[1]
        var result = logits
        for row in 0..<logits.shape[0] {
            let values = logits.storage[row * k..<(row + 1) * k]
            let largest = values.max() ?? 0
            let total = values.reduce(Float(0)) { $0 + expf($1 - largest) }
            let offset = largest + logf(total)
            for i in 0..<k { result.storage[row * k + i] = logits.storage[row * k + i] - offset }
        }
        return result
    }
}
