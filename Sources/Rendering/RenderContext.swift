/// What a run loads once and every image shares: the settings and the user's modules.
///
/// Built once per `vis render` before the batch starts; each image's ``AttentionScene`` and
/// each mode receive it, so a mode that needs a loaded model (a whole network, a weights
/// file) finds it here instead of loading it per image.
public struct RenderContext: Sendable {
    public let settings: RenderSettings
    /// The user's modules (`--weights`); nil for the weight-free defaults.
    public let models: LoadedModules?
    /// The trained network (`--model`); nil without one.
    public let network: TrainedNetwork?

    public init(settings: RenderSettings, models: LoadedModules? = nil, network: TrainedNetwork? = nil) {
        self.settings = settings
        self.models = models
        self.network = network
    }

    /// Reads, checks and builds `--weights FILE [--prefix P]` and `--model FILE` once.
    public init(settings: RenderSettings, weightsPath: String?, prefix: String = "",
                networkPath: String? = nil, numHeads: Int? = nil) throws {
        let models = try weightsPath.map { LoadedModules(weights: try ModelWeights(path: $0, prefix: prefix)) }
        let network = try networkPath.map { try TrainedNetwork(path: $0, numHeads: numHeads) }
        self.init(settings: settings, models: models, network: network)
    }
}
