import TensorCore

/// One non-local-means head of the weight-free defaults: which features it compares, how
/// each is weighted, and its temperature.
///
/// Buades, Coll and Morel, "A Non-Local Algorithm for Image Denoising" (CVPR 2005): a
/// cell attends to every cell j with weight `exp(−|g_i − g_j|² / T) / Σ_j …`, where
/// `g = (w_m · f_m)` over the head's selected features. ``queryKeyValue(_:)`` turns this
/// into an exact linear q/k/v: with q_i = [g_i ; 1] and
/// k_j = √e · [2 g_j / T ; −|g_j|² / T] (e = head dimension, √e undoing the reference's
/// e^-½ scale), `scale · q_i·k_j = (2 g_i·g_j − |g_j|²)/T = (|g_i|² − |g_i − g_j|²)/T`, and the
/// softmax over j drops the constant |g_i|²/T. |g_j|² comes from the token's norm channel
/// for this head, 1 from the constant channel.
///
/// The four heads (``WeightFreeDefaults/headNames``): colour (features 0..<3), texture
/// (3..<11), appearance (0..<11) and appearance+position (0..<13). Colour and texture are
/// already scaled to unit spread each; the position pair is weighted by λ = 1/spread of the
/// cell centres so that it counts as much as one appearance group (with raw [0, 1]
/// positions it would be too weak to make the head local).
///
/// The temperature is T = ½ · mean over all ordered pairs (i, j), i = j included, of
/// |g_i − g_j|², which equals Σ_m Var(g_m) (population variances over cells); it is floored
/// at ``minimumTemperature`` so that a flat image gives uniform weights instead of
/// amplified rounding noise.
struct SimilarityHead: Sendable, Equatable {
    /// Floor of T.
    static let minimumTemperature = 1e-3

    /// The head's name (one of ``WeightFreeDefaults/headNames``).
    let name: String
    /// Selected feature indices (also token channels: features occupy channels 0..<13).
    let channels: [Int]
    /// The weight w_m of each selected feature.
    let weights: [Double]
    /// T.
    let temperature: Double

    /// The four heads for a grid's features.
    ///
    /// Shape: features [N, 13].
    static func heads(features: Tensor) -> [SimilarityHead] {
        let layout = WeightFreeDefaults.self
        let positionSpread = spread(features, channels: Array(layout.positionChannels))
        let lambda = positionSpread > 1e-12 ? 1 / positionSpread : 1
        let appearance = Array(layout.colourChannels) + Array(layout.textureChannels)
        let selections: [([Int], [Double])] = [
            (Array(layout.colourChannels), [Double](repeating: 1, count: layout.colourChannels.count)),
            (Array(layout.textureChannels), [Double](repeating: 1, count: layout.textureChannels.count)),
            (appearance, [Double](repeating: 1, count: appearance.count)),
            (appearance + Array(layout.positionChannels),
             [Double](repeating: 1, count: appearance.count) + [lambda, lambda]),
        ]
        return zip(layout.headNames, selections).map { name, selection in
            let (channels, weights) = selection
            var temperature = 0.0
            for (channel, weight) in zip(channels, weights) {
                temperature += weight * weight * variance(features, channel: channel)
            }
            return SimilarityHead(name: name, channels: channels, weights: weights,
                                  temperature: max(temperature, minimumTemperature))
        }
    }

    /// |g|² of one cell's feature row.
    func squaredNorm(_ row: ArraySlice<Float>) -> Double {
        let base = row.startIndex
        var sum = 0.0
        for (channel, weight) in zip(channels, weights) {
            let g = weight * Double(row[base + channel])
            sum += g * g
        }
        return sum
    }

    /// Population variance of one feature over cells. Shape: features [N, F].
    static func variance(_ features: Tensor, channel: Int) -> Double {
        let (n, f) = (features.shape[0], features.shape[1])
        guard n > 0 else { return 0 }
        var mean = 0.0
        for i in 0..<n { mean += Double(features.storage[i * f + channel]) }
        mean /= Double(n)
        var sum = 0.0
        for i in 0..<n {
            let d = Double(features.storage[i * f + channel]) - mean
            sum += d * d
        }
        return sum / Double(n)
    }

    /// √(Σ variances) of a group of features: its RMS distance to the group mean.
    static func spread(_ features: Tensor, channels: [Int]) -> Double {
        channels.reduce(0) { $0 + variance(features, channel: $1) }.squareRoot()
    }
}

extension SimilarityHead {
    /// The projections shared by timm's `qkv`/`proj` and lucidrains' `to_q`/`to_kv`/`to_out`.
    ///
    /// Head h occupies rows h·e..<(h+1)·e of q, k and v (e = 16):
    /// - q: slots 0..<|S| = w_m·token[S_m]; slot |S| = token[constant].
    /// - k: slots 0..<|S| = √e·2·w_m/T · token[S_m]; slot |S| = −√e/T · token[norm h].
    /// - v: slots 0..<|S| = token[S_m] (unweighted); |S| = token[norm h]; |S|+1 =
    ///   token[constant]; the appearance head also carries token[saliency] in slot |S|+2.
    /// The output projection assembles a token of the same layout again: colour from the
    /// colour head, texture from the texture head, position from the appearance+position
    /// head, each head's norm channel from its own head, constant from the colour head,
    /// saliency from the appearance head. So the output is the attention-weighted tokens
    /// (each group weighted by its own head), and attention layers can be chained.
    ///
    /// Shape: q, k, v, output [64, 64] (output is [token channel, merged head channel]).
    static func projections(_ heads: [SimilarityHead]) -> (query: [Float], key: [Float], value: [Float], output: [Float]) {
        let layout = WeightFreeDefaults.self
        let (c, e) = (layout.dimension, layout.headDimension)
        precondition(heads.count == layout.heads, "expected \(layout.heads) heads, got \(heads.count)")
        let rootE = Double(e).squareRoot()
        var query = [Float](repeating: 0, count: c * c), key = query, value = query, output = query
        for (h, head) in heads.enumerated() {
            let selected = head.channels.count
            precondition(selected + 3 <= e, "head \(head.name) selects \(selected) features, more than fit in \(e)")
            let row = h * e
            for (slot, (channel, weight)) in zip(head.channels, head.weights).enumerated() {
                query[(row + slot) * c + channel] = Float(weight)
                key[(row + slot) * c + channel] = Float(rootE * 2 * weight / head.temperature)
                value[(row + slot) * c + channel] = 1
            }
            query[(row + selected) * c + layout.constantChannel] = 1
            key[(row + selected) * c + layout.normChannel(h)] = Float(-rootE / head.temperature)
            value[(row + selected) * c + layout.normChannel(h)] = 1
            value[(row + selected + 1) * c + layout.constantChannel] = 1
            output[layout.normChannel(h) * c + row + selected] = 1
        }
        // Assemble groups from their heads (head order: colour, texture, appearance, +position).
        let (colourHead, textureHead, appearanceHead, positionHead) = (0, 1, 2, 3)
        for channel in layout.colourChannels {
            output[channel * c + colourHead * e + slot(of: channel, in: heads[colourHead])] = 1
        }
        for channel in layout.textureChannels {
            output[channel * c + textureHead * e + slot(of: channel, in: heads[textureHead])] = 1
        }
        for channel in layout.positionChannels {
            output[channel * c + positionHead * e + slot(of: channel, in: heads[positionHead])] = 1
        }
        output[layout.constantChannel * c + colourHead * e + heads[colourHead].channels.count + 1] = 1
        let saliencySlot = appearanceHead * e + heads[appearanceHead].channels.count + 2
        value[saliencySlot * c + layout.saliencyChannel] = 1
        output[layout.saliencyChannel * c + saliencySlot] = 1
        return (query, key, value, output)
    }

    private static func slot(of channel: Int, in head: SimilarityHead) -> Int {
        guard let slot = head.channels.firstIndex(of: channel) else {
            preconditionFailure("head \(head.name) does not select channel \(channel)")
        }
        return slot
    }
}
