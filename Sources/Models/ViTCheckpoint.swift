import Attention
import FileSystem
import Foundation
import TensorCore

/// A vision transformer loaded from the files its library saves, with what the checkpoint
/// says about its inputs and classes.
///
/// `path` is the `.safetensors` file (its `config.json` beside it) or the folder holding
/// `model.safetensors` and `config.json`. The format follows from `config.json`: timm's
/// (`architecture`, ``TimmCheckpoint``) or transformers' (`model_type`,
/// ``TransformersCheckpoint``); without `config.json` the tensor names decide and the
/// structure comes from the shapes. Tensors are read one at a time
/// (``TensorCore/SafetensorsReader``); F32, F16 and BF16 are widened to Float32.
public struct ViTCheckpoint: Sendable {
    /// Which library's layout the checkpoint follows.
    public enum Format: String, Sendable {
        case timm
        case transformers
    }

    /// How the checkpoint's images were prepared (timm `pretrained_cfg`).
    public struct Preprocessing: Sendable, Equatable {
        public var mean: [Double]
        public var std: [Double]
        /// (C, H, W).
        public var inputSize: [Int]?
        public var cropPercent: Double?
    }

    public let model: VisionTransformer
    public let format: Format
    public let preprocessing: Preprocessing?
    /// Class names by index (timm `label_names`, transformers `id2label`); empty when unknown.
    public let labels: [String]

    /// Loads the checkpoint at `path`; `numHeads` overrides every other source of the head count.
    ///
    /// - Throws: ``ModelError`` (unknown architecture, unknown heads, unused tensors, no
    ///   checkpoint), ``AttentionError`` naming a missing or mis-shaped tensor,
    ///   ``TensorCore/SafetensorsError`` for an unreadable file.
    public init(path: String, numHeads: Int? = nil) throws {
        let kind = FileKind.of(path)
        guard kind != .missing else { throw ModelError.noCheckpoint(path: path) }
        let folder: String, file: String
        if kind == .directory {
            folder = path
            file = (path as NSString).appendingPathComponent("model.safetensors")
            guard FileKind.of(file) != .missing else { throw ModelError.noCheckpoint(path: path) }
        } else {
            file = path
            folder = (path as NSString).deletingLastPathComponent
        }
        let reader = try SafetensorsReader(path: file)
        var weights = try Self.weights(from: reader)
        let config = try ConfigurationJSON.read((folder.isEmpty ? "." : folder) + "/config.json")
        let isTransformers = config.map { $0.object["model_type"] != nil }
            ?? weights.names.contains { $0.hasSuffix("embeddings.cls_token") || $0.hasPrefix("encoder.layer.") }
        if isTransformers {
            let loaded = try TransformersCheckpoint.load(weights: weights, config: config, numHeads: numHeads, file: file)
            (model, labels) = (loaded.model, loaded.labels)
            format = .transformers
            preprocessing = nil
        } else {
            let configuration = try TimmCheckpoint.configuration(
                weights: weights, config: config, numHeads: numHeads, file: file)
            model = try VisionTransformer(loading: &weights, configuration: configuration, module: file)
            let unused = weights.unusedNames
            guard unused.isEmpty else { throw ModelError.unusedTensors(names: unused, file: file) }
            format = .timm
            preprocessing = try config.flatMap(TimmCheckpoint.preprocessing)
            labels = try config?.labels("label_names") ?? []
        }
    }

    /// Every floating-point tensor of the file, read one at a time, names without the
    /// `module.`/`backbone.` prefixes of training frameworks.
    static func weights(from reader: SafetensorsReader) throws -> WeightSet {
        var tensors: [String: Tensor] = [:]
        for name in reader.names {
            guard let info = reader.info(name), info.dtype.isFloatingPoint else { continue }
            tensors[name] = try reader.tensor(name)
        }
        return WeightSet(tensors: tensors, metadata: reader.metadata).strippingCheckpointPrefixes()
    }
}
