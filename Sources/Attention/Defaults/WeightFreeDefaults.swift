import TensorCore

/// Weights made from the image itself, used when no model file is given: every map they
/// produce means something on a photograph (similar colour, similar texture, the salient
/// object), and the same image always gives the same maps. No random weights anywhere.
///
/// The pipeline: ``featureGrid(image:cellSize:)`` describes each p×p cell by its mean
/// colour, its texture (the image's own patch principal components, see `TextureBasis`)
/// and its position, through a genuine timm-style `PatchEmbedding`; the attention weights
/// then make each head an exact non-local-means similarity over a subset of these features
/// (see `SimilarityHead`), and the coordinate-attention gates follow the spectral-residual
/// saliency (``saliency(image:)``).
///
/// Token layout (``dimension`` = 64 channels):
///
/// | channels | content |
/// |---|---|
/// | 0..<3 | colour: mean R, G, B of the cell, centred and divided by the colour spread |
/// | 3..<11 | texture: 8 patch principal components, divided by the texture spread |
/// | 11..<13 | position: x, y of the cell centre in [0, 1] (x along the width) |
/// | 13..<17 | |g|² of head 0…3's weighted features (makes the NLM keys linear) |
/// | 17 | the constant 1 |
/// | 18 | the cell's saliency in [0, 1] (read by the coordinate-attention gates) |
/// | 19..<64 | 0 |
///
/// "Spread" of a group is √(Σ variances over cells), i.e. the RMS distance of a cell's
/// group vector to the group mean; each group is divided by its own spread so that colour
/// and texture weigh the same (a spread under 1e-3 is left unscaled).
public enum WeightFreeDefaults {
    /// Token channels; heads · headDimension.
    public static let dimension = 64, heads = 4, headDimension = 16
    /// What each head compares, in head order.
    public static let headNames = ["colour", "texture", "appearance", "appearance+position"]

    /// Features per cell (columns of ``ImageFeatureGrid/features``).
    public static let featureCount = 13
    /// Feature and token channels of each group.
    public static let colourChannels = 0..<3, textureChannels = 3..<11, positionChannels = 11..<13
    /// Token channel of the constant 1.
    public static let constantChannel = 17
    /// Token channel of the saliency.
    public static let saliencyChannel = 18
    /// Token channel of head h's squared feature norm |g|².
    public static func normChannel(_ head: Int) -> Int { 13 + head }

    /// Groups whose spread is below this are not rescaled.
    static let minimumSpread = 1e-3

    /// Describes every p×p cell of the image.
    ///
    /// Steps: (1) the texture basis of the grey cells; (2) a patch embedding with
    /// `proj.weight` [11, C, p, p] — rows 0..<3 average one colour channel (1/p² on it; a grey
    /// image feeds all three), rows 3..<11 apply texture component k to the grey patch
    /// (its p×p weight / C on every channel, bias −v_k·μ); (3) colour and texture rows are
    /// divided by their group's spread (measured on a first run), colour also centred; (4)
    /// the embedder is run again to produce the features, followed by the cell-centre
    /// position; (5) the tokens are laid out as in the table above.
    ///
    /// Shape: image [1, C, H, W] in [0, 1] (C = 1 or 3) -> grid of ⌊H/p⌋ × ⌊W/p⌋ cells.
    /// Precondition: 1 ≤ cellSize ≤ min(H, W).
    public static func featureGrid(image: Tensor, cellSize p: Int) -> ImageFeatureGrid {
        checkImage(image)
        let (c, height, width) = (image.shape[1], image.shape[2], image.shape[3])
        precondition(p >= 1 && p <= height && p <= width, "cell size \(p) must be in 1…min(\(height), \(width))")
        let (rows, columns) = (height / p, width / p)
        let n = rows * columns
        let basis = TextureBasis(grey: grey(image), height: height, width: width, cellSize: p,
                                 rows: rows, columns: columns)

        // Raw embedder: mean colour and centred texture projections.
        let embedded = colourChannels.count + textureChannels.count
        var weight = [Double](repeating: 0, count: embedded * c * p * p)
        var bias = [Double](repeating: 0, count: embedded)
        for k in colourChannels {
            let channel = c == 3 ? k : 0
            for i in 0..<(p * p) { weight[(k * c + channel) * p * p + i] = 1 / Double(p * p) }
        }
        for k in 0..<TextureBasis.componentCount {
            let row = textureChannels.lowerBound + k
            let patchWeight = basis.patchWeight(k)
            for channel in 0..<c {
                for i in 0..<(p * p) { weight[(row * c + channel) * p * p + i] = patchWeight[i] / Double(c) }
            }
            bias[row] = basis.bias(k)
        }
        let raw = run(embedding(weight: weight, bias: bias, channels: c, cellSize: p), on: image, cells: n)

        // Scale each group to unit spread (colour also centred).
        for group in [colourChannels, textureChannels] {
            let spread = SimilarityHead.spread(raw, channels: Array(group))
            let scale = spread > minimumSpread ? 1 / spread : 1
            for k in group {
                var mean = 0.0
                if group == colourChannels {
                    for i in 0..<n { mean += Double(raw.storage[i * embedded + k]) }
                    mean /= Double(n)
                }
                for j in 0..<(c * p * p) { weight[k * c * p * p + j] *= scale }
                bias[k] = (bias[k] - mean) * scale
            }
        }
        let embedding = embedding(weight: weight, bias: bias, channels: c, cellSize: p)
        let appearance = run(embedding, on: image, cells: n)

        // Features: [colour | texture] from the embedder, then the cell centre.
        var features = [Float](repeating: 0, count: n * featureCount)
        for i in 0..<n {
            for k in 0..<embedded { features[i * featureCount + k] = appearance.storage[i * embedded + k] }
            features[i * featureCount + positionChannels.lowerBound] = Float((Double(i % columns) + 0.5) / Double(columns))
            features[i * featureCount + positionChannels.lowerBound + 1] = Float((Double(i / columns) + 0.5) / Double(rows))
        }
        let featureTensor = Tensor(shape: [n, featureCount], storage: features)
        let saliency = cellSaliency(image: image, cellSize: p, rows: rows, columns: columns)
        let tokens = layOut(features: featureTensor, saliency: saliency)
        return ImageFeatureGrid(rows: rows, columns: columns, cellSize: p, tokens: tokens, saliency: saliency,
                                embedding: embedding, features: featureTensor)
    }

    /// The tokens of the table above from features and cell saliency.
    ///
    /// Shape: features [N, 13], saliency [rows, columns] -> [N, 64].
    static func layOut(features: Tensor, saliency: Tensor) -> Tensor {
        let n = features.shape[0]
        let heads = SimilarityHead.heads(features: features)
        var tokens = [Float](repeating: 0, count: n * dimension)
        for i in 0..<n {
            let row = features.storage[(i * featureCount)..<((i + 1) * featureCount)]
            for k in 0..<featureCount { tokens[i * dimension + k] = row[row.startIndex + k] }
            for (h, head) in heads.enumerated() { tokens[i * dimension + normChannel(h)] = Float(head.squaredNorm(row)) }
            tokens[i * dimension + constantChannel] = 1
            tokens[i * dimension + saliencyChannel] = saliency.storage[i]
        }
        return Tensor(shape: [n, dimension], storage: tokens)
    }

    /// The saliency map area-averaged over each cell's pixel rectangle, then rescaled to
    /// span [0, 1] (min-max; a constant grid becomes zeros).
    ///
    /// Shape: image [1, C, H, W] -> [rows, columns].
    static func cellSaliency(image: Tensor, cellSize p: Int, rows: Int, columns: Int) -> Tensor {
        let (height, width) = (image.shape[2], image.shape[3])
        let (h, w) = saliencySize(height: height, width: width)
        // Cell r spans image rows [r·p, (r+1)·p), i.e. map rows scaled by h / H.
        let rowWeights = AreaResampling.weights(sourceCount: h, start: 0, step: Double(p * h) / Double(height), count: rows)
        let columnWeights = AreaResampling.weights(sourceCount: w, start: 0, step: Double(p * w) / Double(width),
                                                   count: columns)
        let cells = AreaResampling.apply(saliencyPlane(image: image), height: h, width: w, rows: rowWeights,
                                         outputHeight: rows, columns: columnWeights, outputWidth: columns)
        return Tensor(shape: [rows, columns], storage: SpectralResidual.normalizedToUnitRange(cells).map(Float.init))
    }

    private static func embedding(weight: [Double], bias: [Double], channels c: Int, cellSize p: Int) -> PatchEmbedding {
        PatchEmbedding(weight: Tensor(shape: [bias.count, c, p, p], storage: weight.map(Float.init)),
                       bias: Tensor(shape: [bias.count], storage: bias.map(Float.init)))
    }

    /// Shape: image [1, C, H, W] -> [N, D].
    private static func run(_ embedding: PatchEmbedding, on image: Tensor, cells n: Int) -> Tensor {
        do {
            return try embedding(image).reshaped([n, embedding.embeddingDimension])
        } catch {
            preconditionFailure("the weight-free embedding rejected its own image: \(error)")
        }
    }
}
