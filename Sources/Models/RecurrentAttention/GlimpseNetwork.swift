import Attention
import TensorCore

/// The glimpse network of the Recurrent Attention Model: what the sensor sees, fused with
/// where it looked.
///
/// g_t = ReLU( fc3(ReLU(fc1(φ))) + fc4(ReLU(fc2(l))) ), φ the sensor's glimpse at l.
/// Mnih et al., "Recurrent Models of Visual Attention" (NeurIPS 2014); follows
/// `GlimpseNetwork` of kevinzakka/recurrent-visual-attention at commit 3f04ccb, as written
/// out in `models/README.md`.
///
/// Shape: image [B, C, H, W], locations [B, 2] -> g [B, hidden] (hidden = fc3's outputs);
/// fc1 [glimpseHidden, k·C·g²], fc2 [locationHidden, 2], fc3 [hidden, glimpseHidden],
/// fc4 [hidden, locationHidden].
struct GlimpseNetwork: Sendable {
    /// φ: the foveated glimpse, reused from the single-mechanism module (`Retina.foveate`).
    let sensor: GlimpseSampler
    let fc1: Linear, fc2: Linear, fc3: Linear, fc4: Linear

    /// Loads `sensor.fc1` … `sensor.fc4` with the sizes of the model's hyperparameters.
    init(loading weights: inout WeightSet, sensor: GlimpseSampler, channels: Int, glimpseHidden: Int,
         locationHidden: Int, hidden: Int, module: String) throws {
        self.sensor = sensor
        let glimpseFeatures = sensor.numPatches * channels * sensor.patchSize * sensor.patchSize
        fc1 = try Linear(loading: &weights, prefix: "sensor.fc1", inputFeatures: glimpseFeatures,
                         outputFeatures: glimpseHidden, bias: .required, module: module)
        fc2 = try Linear(loading: &weights, prefix: "sensor.fc2", inputFeatures: 2,
                         outputFeatures: locationHidden, bias: .required, module: module)
        fc3 = try Linear(loading: &weights, prefix: "sensor.fc3", inputFeatures: glimpseHidden,
                         outputFeatures: hidden, bias: .required, module: module)
        fc4 = try Linear(loading: &weights, prefix: "sensor.fc4", inputFeatures: locationHidden,
                         outputFeatures: hidden, bias: .required, module: module)
    }

    /// g_t and the flattened glimpse φ it was computed from.
    ///
    /// Shape: image [B, C, H, W], locations [B, 2] -> (g [B, hidden], φ [B, k·C·g²]).
    func callAsFunction(_ image: Tensor, locations: Tensor) throws -> (g: Tensor, glimpse: Tensor) {
        let b = image.shape[0]
        // [B, k·C, g, g] -> [B, k·C·g²], row-major as torch's `view(B, -1)`.
        let phi = try sensor(image, locations: locations).reshaped([b, fc1.inputFeatures])
        var what = fc3(fc1(phi).relu())
        let where_ = fc4(fc2(locations).relu())
        what.add(where_)
        return (what.relu(), phi)
    }
}
