import Attention
import TensorCore

/// Reads the hyperparameters of a timm `VisionTransformer` checkpoint: `model.safetensors`
/// (timm's `state_dict()` names) beside timm's `config.json`.
///
/// Precedence: the `--num-heads` override, the file's `__metadata__`, then `config.json`
/// (`model_args` over the defaults of its `architecture`, see ``TimmArchitecture``), then the
/// tensor shapes (width, depth from the `blocks.<i>.` names, MLP width, tokens, LayerScale,
/// head). The head count cannot be read off any shape: without it the error names
/// `--num-heads`. Settings follow timm's `VisionTransformer.__init__`: `global_pool`
/// `'token'` or `'avg'`; `fc_norm` defaults to average pooling, and then the final norm moves
/// after the pooling; `final_norm: false` drops it.
enum TimmCheckpoint {
    static func configuration(weights: WeightSet, config: ConfigurationJSON?, numHeads override: Int?,
                              file: String) throws -> ViTConfiguration {
        var weights = weights
        let module = file
        let projection = try weights.require("patch_embed.proj.weight", rank: 4, module: module).shape
        var architecture: TimmArchitecture?
        var arguments = ConfigurationJSON(file: file, object: [:])
        if let config {
            guard let name = try config.string("architecture") else {
                throw ModelError.badConfiguration(file: config.file, reason: "no 'architecture' (timm) or 'model_type' (transformers)")
            }
            guard let known = TimmArchitecture.named(name) else {
                throw ModelError.unknownArchitecture(name: name, file: config.file)
            }
            architecture = known
            arguments = try config.nested("model_args")
            for unsupported in ["pre_norm", "qk_norm", "scale_attn_norm", "scale_mlp_norm", "dynamic_img_pad"] {
                if try arguments.boolean(unsupported) == true {
                    throw ModelError.invalidSetting(name: unsupported, value: "true", reason: "not supported")
                }
            }
            if let embedding = try arguments.string("pos_embed"), embedding != "learn" {
                throw ModelError.invalidSetting(name: "pos_embed", value: embedding, reason: "only learned position embeddings are supported")
            }
        }
        let (sizes, counts) = (1...ViTConfiguration.largestSize, 1...ViTConfiguration.largestCount)
        let patchSize = try arguments.integer("patch_size", in: sizes) ?? architecture?.patchSize ?? projection[2]
        let dimension = try arguments.integer("embed_dim", in: sizes) ?? architecture?.dimension ?? projection[0]
        let channels = try arguments.integer("in_chans", in: sizes) ?? (architecture != nil ? 3 : projection[1])
        let depth = try arguments.integer("depth", in: counts) ?? architecture?.depth ?? Self.depth(weights.names, file: file)
        guard let heads = try override ?? weights.optionalInteger("num_heads") ?? arguments.integer("num_heads", in: counts)
            ?? architecture?.numHeads
        else {
            throw ModelError.missingSetting(
                name: "the number of attention heads", option: "--num-heads",
                reason: "\(file) has no config.json beside it and no num_heads in its metadata")
        }
        let mlpDimension: Int
        if let width = try arguments.mlpWidth(dimension: dimension, dimensionName: "embed_dim") {
            mlpDimension = width
        } else if architecture != nil {
            mlpDimension = 4 * dimension
        } else {
            mlpDimension = weights.tensors["blocks.0.mlp.fc1.weight"]?.shape.first ?? 4 * dimension
        }
        let classToken = try arguments.boolean("class_token") ?? (architecture != nil || weights.tensors["cls_token"] != nil)
        let registers = try arguments.integer("reg_tokens", in: 0...ViTConfiguration.largestCount) ?? architecture?.registerTokens
            ?? (weights.tensors["reg_token"]?.shape.dropFirst().first ?? 0)
        let prefix = (classToken ? 1 : 0) + registers
        let positions = weights.tensors["pos_embed"]?.shape.dropFirst().first ?? 0
        let noEmbedClass = try arguments.boolean("no_embed_class") ?? architecture?.noEmbedClass
            ?? (prefix > 0 && Self.isSquare(positions) && !Self.isSquare(positions - prefix))
        let positioned = noEmbedClass ? 0 : prefix
        // The trained grid: img_size / patch when it matches the table's length, else square.
        var imageSize = (architecture?.imageSize ?? 0, architecture?.imageSize ?? 0)
        if let config {
            if let input = try Self.inputSize(config.nested("pretrained_cfg")) { imageSize = (input[1], input[2]) }
        }
        if let sides = try arguments.integerPair("img_size", in: sizes) { imageSize = sides }
        var grid = ViTConfiguration.Grid(rows: imageSize.0 / max(patchSize, 1), columns: imageSize.1 / max(patchSize, 1))
        if grid.count != positions - positioned {
            let side = Int(Double(max(positions - positioned, 0)).squareRoot().rounded())
            grid = ViTConfiguration.Grid(rows: side, columns: side)
        }
        let layerScale: Bool
        if arguments.object["init_values"] != nil {
            layerScale = !arguments.isNull("init_values")
        } else {
            layerScale = architecture?.layerScale ?? (weights.tensors["blocks.0.ls1.gamma"] != nil)
        }
        let qkvBias = try arguments.boolean("qkv_bias") ?? (architecture != nil || weights.tensors["blocks.0.attn.qkv.bias"] != nil)
        let poolName = try config?.string("global_pool") ?? arguments.string("global_pool")
            ?? (config == nil && weights.tensors["fc_norm.weight"] != nil ? "avg" : "token")
        let pooling: ViTConfiguration.Pooling
        switch poolName {
        case "token": pooling = .token
        case "avg": pooling = .average
        default:
            throw ModelError.invalidSetting(name: "global_pool", value: poolName, reason: "only 'token' and 'avg' are supported")
        }
        let useFcNorm = try arguments.boolean("fc_norm") ?? (pooling == .average)
        let finalNorm = try arguments.boolean("final_norm") ?? (config != nil || weights.tensors["norm.weight"] != nil
            || weights.tensors["fc_norm.weight"] != nil)
        let classes = try config?.integer("num_classes", in: 0...ViTConfiguration.largestSize)
            ?? arguments.integer("num_classes", in: 0...ViTConfiguration.largestSize)
            ?? (architecture != nil ? 1000 : weights.tensors["head.weight"]?.shape.first ?? 0)
        return ViTConfiguration(
            patchSize: patchSize, inputChannels: channels, dimension: dimension, depth: depth, numHeads: heads,
            mlpDimension: mlpDimension, classToken: classToken, registerTokens: registers,
            positionedPrefixTokens: positioned, positionGrid: grid, resampling: .antialiasedBicubic,
            layerNormEpsilon: 1e-6, layerScale: layerScale, qkvBias: qkvBias,
            finalNorm: finalNorm && !useFcNorm, poolNorm: finalNorm && useFcNorm, pooling: pooling,
            numClasses: classes)
    }

    /// `pretrained_cfg` mean, std, input size and crop fraction, when given.
    static func preprocessing(_ config: ConfigurationJSON) throws -> ViTCheckpoint.Preprocessing? {
        let pretrained = try config.nested("pretrained_cfg")
        guard let mean = try pretrained.numbers("mean", count: nil, expected: "finite", accepts: { _ in true }),
              let std = try pretrained.numbers("std", count: nil, expected: "above 0", accepts: { $0 > 0 })
        else { return nil }
        // A centre crop keeps a part of the image: crop_pct in (0, 1].
        let crop = try pretrained.number("crop_pct", in: 0...1)
        if crop == 0 {
            throw ModelError.invalidSetting(name: "crop_pct", value: "0", reason: "the crop would be empty in \(config.file)")
        }
        return ViTCheckpoint.Preprocessing(mean: mean, std: std, inputSize: try Self.inputSize(pretrained), cropPercent: crop)
    }

    /// `pretrained_cfg.input_size`, [C, H, W] in whole pixels, each from 1 to
    /// ``ViTConfiguration/largestSize``.
    static func inputSize(_ pretrained: ConfigurationJSON) throws -> [Int]? {
        try pretrained.numbers("input_size", count: 3, expected: "a whole number from 1 to \(ViTConfiguration.largestSize)") {
            $0 >= 1 && $0 <= Double(ViTConfiguration.largestSize) && $0.rounded() == $0
        }?.map { Int($0) }
    }

    /// One more than the largest i of the `blocks.<i>.` names.
    static func depth(_ names: [String], prefix: String = "blocks.", file: String) throws -> Int {
        let depth = names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix) else { return nil }
            return Int(name.dropFirst(prefix.count).prefix { $0 != "." })
        }.max().map { $0 + 1 } ?? 0
        guard depth <= ViTConfiguration.largestCount else {
            throw ModelError.invalidSetting(name: "depth", value: "\(depth)",
                                            reason: "the tensors name block \(depth - 1) in \(file); at most \(ViTConfiguration.largestCount) blocks are read")
        }
        return depth
    }

    static func isSquare(_ n: Int) -> Bool {
        guard n > 0 else { return false }
        let side = Int(Double(n).squareRoot().rounded())
        return side * side == n
    }
}
