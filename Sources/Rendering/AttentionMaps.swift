import Attention
import TensorCore

/// The maps each mode draws, computed on a scene's grid (no drawing here).
extension AttentionScene {
    /// Self-attention of the query cell over every cell, per head.
    ///
    /// Shape: [heads, rows, columns]; each head sums to 1. Only the query's row of the
    /// attention matrix is kept (`AttentionCapture.queries`), never all (rows·columns)².
    public func selfAttentionMaps() throws -> Tensor {
        let module = try selfAttention()
        let q = query.row * columns + query.column
        let result = try module(tokens.reshaped([1, rows * columns, dimension]), capture: .queries([q]))
        let attention = result.attention!                     // [1, heads, 1, N]
        return attention.reshaped([module.numHeads, rows, columns])
    }

    /// Axial maps of the query cell.
    public struct AxialMaps: Sendable {
        /// Effective 2-D attention per head. Shape: [heads, rows, columns].
        public var effective: Tensor
        /// Height-pass weights of the query over its column (head mean). Shape: [rows].
        public var columnWeights: [Float]
        /// Width-pass weights of the query over its row (head mean). Shape: [columns].
        public var rowWeights: [Float]
        public var summed: Bool
    }

    /// Effective 2-D attention of the query through the height pass and the width pass.
    ///
    /// Summed (`sum_axial_out`): the query's output is attn_h(x) + attn_w(x), so its map is
    /// its height weights down its column plus its width weights along its row, halved so
    /// the map sums to 1. Sequential (attn_w ∘ attn_h): the query (y0, x0) mixes the
    /// height-pass outputs of its row, each of which mixes its own column, so cell (y, x)
    /// gets w_w(y0,x0 → x) · w_h(y0,x → y): per head, attention rollout through the two
    /// passes. Only the queries of the query's row are captured.
    public func axialMaps() throws -> AxialMaps {
        let module = try axialAttention()
        let (y0, x0) = query
        let rowQueries = (0..<columns).map { y0 * columns + $0 }
        let result = try module(featureMap, capture: .queries(rowQueries))
        let heads = module.heads
        let height = result.heightAttention!                  // [1, heads, columns(queries), rows]
        let width = result.widthAttention!                    // [1, heads, columns(queries), columns]
        var effective = Tensor(shape: [heads, rows, columns])
        var columnWeights = [Float](repeating: 0, count: rows)
        var rowWeights = [Float](repeating: 0, count: columns)
        for h in 0..<heads {
            for y in 0..<rows { columnWeights[y] += height[0, h, x0, y] / Float(heads) }
            for x in 0..<columns { rowWeights[x] += width[0, h, x0, x] / Float(heads) }
            if module.sumAxialOut {
                for y in 0..<rows { effective[h, y, x0] += height[0, h, x0, y] / 2 }
                for x in 0..<columns { effective[h, y0, x] += width[0, h, x0, x] / 2 }
            } else {
                for x in 0..<columns {
                    let wx = width[0, h, x0, x]
                    for y in 0..<rows { effective[h, y, x] = wx * height[0, h, x, y] }
                }
            }
        }
        return AxialMaps(effective: effective, columnWeights: columnWeights, rowWeights: rowWeights,
                         summed: module.sumAxialOut)
    }

    /// Coordinate-attention gates.
    public struct CoordinateMaps: Sendable {
        /// a_h ⊗ a_w averaged over channels. Shape: [rows, columns].
        public var gate: Tensor
        /// a_h averaged over channels. Shape: [rows].
        public var heightProfile: [Float]
        /// a_w averaged over channels. Shape: [columns].
        public var widthProfile: [Float]
    }

    public func coordinateMaps() throws -> CoordinateMaps {
        let module = try coordinateAttention()
        let result = try module(featureMap)
        let ah = result.heightAttention                      // [1, C, rows, 1]
        let aw = result.widthAttention                       // [1, C, 1, columns]
        let c = ah.shape[1]
        var gate = Tensor(shape: [rows, columns])
        var hp = [Float](repeating: 0, count: rows), wp = [Float](repeating: 0, count: columns)
        for k in 0..<c {
            for y in 0..<rows { hp[y] += ah[0, k, y, 0] / Float(c) }
            for x in 0..<columns { wp[x] += aw[0, k, 0, x] / Float(c) }
            for y in 0..<rows {
                let a = ah[0, k, y, 0] / Float(c)
                for x in 0..<columns { gate[y, x] += a * aw[0, k, 0, x] }
            }
        }
        return CoordinateMaps(gate: gate, heightProfile: hp, widthProfile: wp)
    }

    /// Glimpses chosen on the saliency map and sampled from the working image.
    public struct Glimpses: Sendable {
        /// Centres in [-1, 1]² as (x, y), in scan order.
        public var locations: [(x: Double, y: Double)]
        /// Boxes in working-image pixels, k per glimpse, smallest first.
        public var boxes: [GlimpseSampler.Box]
        /// What the sensor sees. Shape: [count, k·3, g, g].
        public var patches: Tensor
        public var sampler: GlimpseSampler
    }

    public func glimpses() throws -> Glimpses {
        let sampler = try GlimpseSampler(patchSize: settings.glimpsePatchSize, numPatches: settings.glimpseScales,
                                         scale: settings.glimpseScaleFactor)
        let policy: GlimpsePolicy
        if let given = settings.glimpseLocations {
            // Original pixels -> [-1, 1]², x through the width, y through the height.
            let (cw, ch) = (Double(image.canvas.width), Double(image.canvas.height))
            policy = GlimpsePolicy(.given(given.map { p in
                (x: 2 * (p.x * image.scale / cw) - 1, y: 2 * (p.y * image.scale / ch) - 1)
            }))
        } else if let seed = settings.glimpseSeed {
            policy = GlimpsePolicy(.stochastic(standardDeviation: 0.05, seed: seed))
        } else {
            policy = GlimpsePolicy(.greedy)
        }
        let (h, w) = (image.working.shape[2], image.working.shape[3])
        let largest = sampler.patchSides.last ?? settings.glimpsePatchSize
        // Suppress half the largest patch around each pick (normalised units span 2 per image side).
        let radius = Double(largest) / Double(Swift.max(h, w))
        let count = settings.glimpseLocations?.count ?? settings.glimpseCount
        let locations = policy.locations(saliency: saliency, count: count, inhibitionRadius: radius)
        var flat = [Float]()
        for l in locations { flat += [Float(l.x), Float(l.y)] }
        let locationTensor = Tensor(shape: [locations.count, 2], storage: flat)
        let batch = Tensor(shape: [locations.count, 3, h, w],
                           storage: Array(repeatElement(image.working.storage, count: locations.count).joined()))
        let patches = try sampler(batch, locations: locationTensor)
        let boxes = sampler.boxes(locations: locationTensor, height: h, width: w)
        return Glimpses(locations: locations, boxes: boxes, patches: patches, sampler: sampler)
    }

    /// First three principal components of the patch embeddings, each scaled to [0, 1].
    ///
    /// Shape: [rows, columns, 3]. Components come from power iteration with deflation on
    /// the E×E covariance; signs are fixed so each component's largest loading is positive.
    public func patchComponents() -> Tensor {
        let n = embeddings.shape[0], e = embeddings.shape[1]
        var centered = embeddings.storage
        for j in 0..<e {
            var mean: Float = 0
            for i in 0..<n { mean += centered[i * e + j] }
            mean /= Float(n)
            for i in 0..<n { centered[i * e + j] -= mean }
        }
        let x = Tensor(shape: [n, e], storage: centered)
        var covariance = x.matmul(x, transposeSelf: true)     // [E, E]
        var out = Tensor(shape: [rows, columns, 3])
        for component in 0..<Swift.min(3, e) {
            var v = (0..<e).map { Float(1 + ($0 * 7 + component) % 5) }
            for _ in 0..<200 {
                var next = [Float](repeating: 0, count: e)
                for i in 0..<e { for j in 0..<e { next[i] += covariance[i, j] * v[j] } }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm < 1e-20 { break }
                v = next.map { $0 / norm }
            }
            if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            let lambda = (0..<e).reduce(Float(0)) { acc, i in acc + v[i] * (0..<e).reduce(Float(0)) { $0 + covariance[i, $1] * v[$1] } }
            for i in 0..<e { for j in 0..<e { covariance[i, j] -= lambda * v[i] * v[j] } }
            var scores = (0..<n).map { i in (0..<e).reduce(Float(0)) { $0 + centered[i * e + $1] * v[$1] } }
            let lo = scores.min() ?? 0, hi = scores.max() ?? 1
            scores = scores.map { hi > lo ? ($0 - lo) / (hi - lo) : 0 }
            for i in 0..<n { out[i / columns, i % columns, component] = scores[i] }
        }
        return out
    }
}
