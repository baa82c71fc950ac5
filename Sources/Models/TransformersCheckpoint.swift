import Attention
import TensorCore

/// Loads a Hugging Face transformers vision transformer (`model.safetensors` and
/// `config.json` as `save_pretrained` writes them) into timm's structure.
///
/// `model_type` `vit`, `deit`, `dinov2`, `dinov2_with_registers`; key names of `ViTModel`,
/// `ViTForImageClassification`, `DeiTModel`, `Dinov2Model`, `Dinov2WithRegistersModel`, with or
/// without the `vit.`/`deit.`/`dinov2.` prefix. The separate query, key and value projections
/// are stacked into timm's one `qkv`; DeiT's distillation token is kept as a second prefix token
/// with its position embedding. Position embeddings are resampled as each model's
/// `interpolate_pos_encoding` does: plain bicubic (a = −0.75) for ViT, DeiT and DINOv2,
/// antialiased for DINOv2 with registers, whose registers have no position embedding. The
/// `ViTModel` pooler and the DINOv2 mask token play no part in the outputs and are ignored.
/// Errors name the checkpoint's own tensor names.
enum TransformersCheckpoint {
    static let modelTypes = ["vit", "deit", "dinov2", "dinov2_with_registers"]

    static func load(weights source: WeightSet, config: ConfigurationJSON?, numHeads override: Int?,
                     file: String) throws -> (model: VisionTransformer, labels: [String]) {
        guard let config else {
            throw ModelError.badConfiguration(file: file, reason: "a transformers checkpoint needs its config.json beside it")
        }
        guard let type = try config.string("model_type"), modelTypes.contains(type) else {
            throw ModelError.unknownModelType(name: (try? config.string("model_type")) ?? "?", file: config.file)
        }
        var source = source
        let names = source.names
        let base = ["vit.", "deit.", "dinov2.", ""].first { p in names.contains(p + "embeddings.cls_token") } ?? ""
        let dinov2 = type.hasPrefix("dinov2")
        let (sizes, counts) = (1...ViTConfiguration.largestSize, 1...ViTConfiguration.largestCount)
        guard let d = try config.integer("hidden_size", in: sizes) else {
            throw ModelError.missingSetting(name: "hidden_size", option: nil, reason: "\(config.file) does not give it")
        }
        let depth = try config.integer("num_hidden_layers", in: counts) ?? TimmCheckpoint.depth(names, prefix: base + "encoder.layer.", file: file)
        guard let heads = try override ?? source.optionalInteger("num_heads") ?? config.integer("num_attention_heads", in: counts) else {
            throw ModelError.missingSetting(name: "the number of attention heads", option: "--num-heads",
                                            reason: "\(config.file) has no num_attention_heads")
        }
        let hidden = dinov2 ? (try config.mlpWidth(dimension: d, dimensionName: "hidden_size") ?? 4 * d)
            : (try config.integer("intermediate_size", in: sizes) ?? 4 * d)
        if try config.boolean("use_swiglu_ffn") == true {
            throw ModelError.invalidSetting(name: "use_swiglu_ffn", value: "true", reason: "the SwiGLU MLP is not supported")
        }
        if let act = try config.string("hidden_act"), act != "gelu" {
            throw ModelError.invalidSetting(name: "hidden_act", value: act, reason: "only the exact GELU ('gelu') is supported")
        }
        let patch = try config.integer("patch_size", in: sizes) ?? 16
        let image = try config.integer("image_size", in: sizes) ?? 224
        let registers = type == "dinov2_with_registers" ? (try config.integer("num_register_tokens", in: 0...ViTConfiguration.largestCount) ?? 0)
            : (type == "deit" ? 1 : 0)
        let classes = source.tensors["classifier.weight"]?.shape.first ?? 0
        if let shape = source.tensors["classifier.weight"]?.shape, shape.count == 2, shape[1] != d {
            throw ModelError.invalidSetting(name: "classifier", value: "\(shape)",
                                            reason: "only a classifier on the class token ([K, \(d)]) is supported")
        }
        let configuration = ViTConfiguration(
            patchSize: patch, inputChannels: try config.integer("num_channels", in: sizes) ?? 3, dimension: d, depth: depth,
            numHeads: heads, mlpDimension: hidden, classToken: true, registerTokens: registers,
            positionedPrefixTokens: type == "deit" ? 2 : 1,
            positionGrid: .init(rows: image / patch, columns: image / patch),
            resampling: type == "dinov2_with_registers" ? .antialiasedBicubic : .bicubic,
            layerNormEpsilon: Float(try config.number("layer_norm_eps", in: 0...1) ?? (dinov2 ? 1e-6 : 1e-12)),
            layerScale: dinov2, qkvBias: try config.boolean("qkv_bias") ?? true, finalNorm: true, poolNorm: false,
            pooling: .token, numClasses: classes)

        // timm name -> the checkpoint's name, for the tensors read and for error messages.
        var names_: [String: String] = [
            "patch_embed.proj.weight": base + "embeddings.patch_embeddings.projection.weight",
            "patch_embed.proj.bias": base + "embeddings.patch_embeddings.projection.bias",
            "cls_token": base + "embeddings.cls_token",
            "pos_embed": base + "embeddings.position_embeddings",
            "reg_token": base + (type == "deit" ? "embeddings.distillation_token" : "embeddings.register_tokens"),
            "norm.weight": base + "layernorm.weight", "norm.bias": base + "layernorm.bias",
            "head.weight": "classifier.weight", "head.bias": "classifier.bias",
        ]
        for i in 0..<depth {
            let layer = base + "encoder.layer.\(i)."
            let block = "blocks.\(i)."
            let pairs: [(String, String)] = dinov2
                ? [("norm1", "norm1"), ("norm2", "norm2"), ("attn.proj", "attention.output.dense"),
                   ("mlp.fc1", "mlp.fc1"), ("mlp.fc2", "mlp.fc2")]
                : [("norm1", "layernorm_before"), ("norm2", "layernorm_after"), ("attn.proj", "attention.output.dense"),
                   ("mlp.fc1", "intermediate.dense"), ("mlp.fc2", "output.dense")]
            for (timm, hf) in pairs {
                names_[block + timm + ".weight"] = layer + hf + ".weight"
                names_[block + timm + ".bias"] = layer + hf + ".bias"
            }
            if dinov2 {
                names_[block + "ls1.gamma"] = layer + "layer_scale1.lambda1"
                names_[block + "ls2.gamma"] = layer + "layer_scale2.lambda1"
            }
            names_[block + "attn.qkv.weight"] = layer + "attention.attention.{query,key,value}.weight"
            names_[block + "attn.qkv.bias"] = layer + "attention.attention.{query,key,value}.bias"
        }
        let module = file
        var renamed = WeightSet(metadata: source.metadata)
        for (timm, hf) in names_ {
            if timm.hasSuffix("attn.qkv.weight") || timm.hasSuffix("attn.qkv.bias") {
                let layer = String(hf.prefix { $0 != "{" })
                let suffix = timm.hasSuffix("weight") ? "weight" : "bias"
                let parts = try ["query", "key", "value"].map { part -> Tensor? in
                    try source.optional(layer + part + "." + suffix, shape: suffix == "weight" ? [d, d] : [d], module: module)
                }
                if parts.allSatisfy({ $0 != nil }) {
                    let stacked = parts.flatMap { $0!.storage }
                    renamed.set(Tensor(shape: suffix == "weight" ? [3 * d, d] : [3 * d], storage: stacked), for: timm)
                } else if let missing = zip(["query", "key", "value"], parts).first(where: { $0.1 == nil }),
                          suffix == "weight" || configuration.qkvBias {
                    throw AttentionError.missingTensor(name: layer + missing.0 + "." + suffix, module: module)
                }
                continue
            }
            guard var tensor = try source.optional(hf, module: module) else { continue }
            if timm == "reg_token", type == "deit" { tensor = tensor.reshaped([1, 1, d]) }
            renamed.set(tensor, for: timm)
        }
        for ignored in [base + "embeddings.mask_token", base + "pooler.dense.weight", base + "pooler.dense.bias"] {
            _ = try source.optional(ignored, module: module)
        }
        let model: VisionTransformer
        do {
            model = try VisionTransformer(loading: &renamed, configuration: configuration, module: module)
        } catch let error as AttentionError {
            func original(_ name: String) -> String { names_[name] ?? name }
            switch error {
            case let .missingTensor(name, module): throw AttentionError.missingTensor(name: original(name), module: module)
            case let .shapeMismatch(name, expected, got):
                throw AttentionError.shapeMismatch(name: original(name), expected: expected, got: got)
            case let .rankMismatch(name, rank, got):
                throw AttentionError.rankMismatch(name: original(name), expectedRank: rank, got: got)
            default: throw error
            }
        }
        let unused = source.unusedNames
        guard unused.isEmpty else { throw ModelError.unusedTensors(names: unused, file: file) }
        return (model, try config.labels("id2label") ?? [])
    }
}
