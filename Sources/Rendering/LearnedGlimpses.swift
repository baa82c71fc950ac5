import Attention
import Foundation
import Models
import Overlay
import TensorCore

/// The trained Recurrent Attention Model on a scene's image: the digit fitted to 28×28 as
/// MNIST digits are (``MNISTDigitFitting``), run under the policy the settings name, ready
/// to draw as a ``LearnedGlimpsePanel``.
///
/// Policy: the mean policy from the centre by default (deterministic); `--glimpse-at X,Y`
/// gives the first location (image pixels); `--seed S` samples the locations (the model's
/// std) from the centre; `--samples M` (M > 1) is the reference's test procedure (M runs from
/// uniform starts with seed S, default 0, log-probabilities averaged): the first run is drawn
/// bold, the others faintly, and the prediction is the averaged one.
extension AttentionScene {
    public func learnedGlimpses(_ model: RecurrentAttentionModel) throws -> LearnedGlimpsePanel {
        let digit = try fittedDigit()
        let input = Tensor(shape: [1, 1, 28, 28],
                           storage: digit.map { ($0 - model.inputMean) / model.inputStandardDeviation })
        let policy = glimpsePolicy()
        let (average, runs) = try model.run(input, policy: policy)
        let steps = runs.locations.shape[1]
        let perGlimpse = runs.glimpses.shape[2] / steps
        let g = model.sensor.patchSize
        let paths = (0..<policy.samples).map { m in
            (0..<steps).map { t in
                SIMD2(runs.locations.storage[(m * steps + t) * 2], runs.locations.storage[(m * steps + t) * 2 + 1])
            }
        }
        // The smallest patch of each glimpse (the first g² values of φ), as the sensor saw it.
        let glimpses = (0..<steps).map { t in
            Array(runs.glimpses.storage[(t * perGlimpse)..<(t * perGlimpse + g * g)])
        }
        let scores = average.storage
        let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        return LearnedGlimpsePanel(digit: digit, path: paths[0], glimpses: glimpses, samplePaths: Array(paths.dropFirst()),
                                   predictedClass: best, probability: Float(exp(Double(scores[best]))),
                                   inputMean: model.inputMean, inputStandardDeviation: model.inputStandardDeviation,
                                   patchSize: g)
    }

    /// The image before enlargement as a 28×28 digit in [0, 1]: one grey channel when the
    /// canvas is grey (every pixel R = G = B, so an MNIST digit stays bit-exact), else RGB.
    func fittedDigit() throws -> [Float] {
        let canvas = image.unenlarged
        let p = canvas.pixels
        let pixels = stride(from: 0, to: p.count, by: 3)
        let grey = pixels.allSatisfy { (i: Int) -> Bool in p[i] == p[i + 1] && p[i] == p[i + 2] }
        let values: [Float] = grey ? pixels.map { (i: Int) -> Float in Float(p[i]) / 255 } : p.map { Float($0) / 255 }
        return try MNISTDigitFitting.fit(pixels: values, width: canvas.width, height: canvas.height, channels: grey ? 1 : 3)
    }

    /// The policy the settings name (see the type's documentation).
    func glimpsePolicy() -> RecurrentAttentionPolicy {
        if settings.samples > 1 { return .reference(samples: settings.samples, seed: settings.glimpseSeed ?? 0) }
        var policy = RecurrentAttentionPolicy(sampled: settings.glimpseSeed != nil, seed: settings.glimpseSeed ?? 0)
        if let first = settings.glimpseLocations?.first {
            // Original pixels -> [−1, 1]², as the weight-free glimpses.
            let (cw, ch) = (Double(image.canvas.width), Double(image.canvas.height))
            let x = 2 * (first.x * image.scale / cw) - 1, y = 2 * (first.y * image.scale / ch) - 1
            policy.start = .given(Tensor(shape: [1, 2], storage: [Float(Swift.min(1, Swift.max(-1, x))),
                                                                  Float(Swift.min(1, Swift.max(-1, y)))]))
        }
        return policy
    }
}
