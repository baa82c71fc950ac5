/// What a run loads once and every image shares: the settings and the user's modules.
///
/// Built once per `vis render` before the batch starts; each image's ``AttentionScene`` and
/// each mode receive it, so a mode that needs a loaded model (a whole network, a weights
/// file) finds it here instead of loading it per image.
public struct RenderContext: Sendable {
    public let settings: RenderSettings
    /// The user's modules (`--weights`); nil for the weight-free defaults.
    public let models: LoadedModules?

    public init(settings: RenderSettings, models: LoadedModules? = nil) {
        self.settings = settings
        self.models = models
    }

    /// Reads, checks and builds `--weights FILE [--prefix P]` once.
    public init(settings: RenderSettings, weightsPath: String?, prefix: String = "") throws {
        let models = try weightsPath.map { LoadedModules(weights: try ModelWeights(path: $0, prefix: prefix)) }
        self.init(settings: settings, models: models)
    }
}
