/// The timm architectures whose `config.json` `architecture` this package runs, with the
/// arguments timm's model function passes (`vision_transformer.py`, `deit.py`); a pretrained
/// tag after a dot (`vit_base_patch16_224.dino`) names weights, not a structure, and is
/// ignored. `model_args` in `config.json` override these.
struct TimmArchitecture: Sendable {
    var patchSize: Int
    var dimension: Int
    var depth: Int
    var numHeads: Int
    var imageSize: Int = 224
    /// `init_values` given: LayerScale present.
    var layerScale = false
    var registerTokens = 0
    var noEmbedClass = false

    static let table: [String: TimmArchitecture] = {
        var table: [String: TimmArchitecture] = [:]
        for (family, prefix) in [("vit", "vit_"), ("deit", "deit_")] {
            let sizes: [(String, Int, Int, Int)] = [("tiny", 192, 12, 3), ("small", 384, 12, 6), ("base", 768, 12, 12),
                                                    ("large", 1024, 24, 16)]
            for (size, dimension, depth, heads) in sizes {
                for patch in family == "vit" ? [16, 32, 8] : [16] {
                    table["\(prefix)\(size)_patch\(patch)_224"] = TimmArchitecture(
                        patchSize: patch, dimension: dimension, depth: depth, numHeads: heads)
                    table["\(prefix)\(size)_patch\(patch)_384"] = TimmArchitecture(
                        patchSize: patch, dimension: dimension, depth: depth, numHeads: heads, imageSize: 384)
                }
            }
        }
        for (size, dimension, depth, heads) in [("small", 384, 12, 6), ("base", 768, 12, 12), ("large", 1024, 24, 16)] {
            table["vit_\(size)_patch14_dinov2"] = TimmArchitecture(
                patchSize: 14, dimension: dimension, depth: depth, numHeads: heads, imageSize: 518, layerScale: true)
            table["vit_\(size)_patch14_reg4_dinov2"] = TimmArchitecture(
                patchSize: 14, dimension: dimension, depth: depth, numHeads: heads, imageSize: 518, layerScale: true,
                registerTokens: 4, noEmbedClass: true)
        }
        return table
    }()

    static var knownNames: [String] { table.keys.sorted() }

    /// The architecture named `name` (pretrained tag ignored), or nil.
    static func named(_ name: String) -> TimmArchitecture? {
        let base = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        return table[base]
    }
}
