import Attention
import Foundation
import Rendering
import TensorCore
import Testing

/// The axial mode's composition and the patch mode's principal components against
/// `Fixtures/rendering.safetensors`, NumPy transcriptions of the formulas written by
/// `tools/make_rendering_fixtures.py` (see its docstring): not of this package's code.
@Suite struct IndependentMapsTests {
    static func fixture() throws -> SafetensorsFile {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try SafetensorsFile.read(path: folder.appendingPathComponent("rendering.safetensors").path)
    }

    /// Largest absolute difference, and where.
    static func largestDifference(_ got: [Float], _ expected: [Float]) -> (value: Float, index: Int) {
        precondition(got.count == expected.count, "\(got.count) values, expected \(expected.count)")
        var worst: (value: Float, index: Int) = (0, 0)
        for i in got.indices where abs(got[i] - expected[i]) > worst.value { worst = (abs(got[i] - expected[i]), i) }
        return worst
    }

    @Test(arguments: ["summed", "sequential"])
    func axialCompositionMatchesNumPy(_ variant: String) throws {
        let file = try Self.fixture()
        var weights = try WeightSet(file: file, prefix: "axial.")
        weights.metadata = ["module": "axial_attention", "heads": "2", "dim_heads": "3",
                            "sum_axial_out": variant == "summed" ? "true" : "false"]
        let module = try AxialAttention(weights: weights)
        let query = try file.tensor("axial.query").storage
        let maps = try AttentionScene.AxialMaps(module: module, featureMap: file.tensor("axial.input"),
                                                query: (Int(query[0]), Int(query[1])))
        #expect(maps.summed == (variant == "summed"))
        let expected = try file.tensor("axial.\(variant).effective")
        #expect(maps.effective.shape == expected.shape)
        for (name, got, want) in [("effective", maps.effective.storage, expected.storage),
                                  ("column_weights", maps.columnWeights, try file.tensor("axial.\(variant).column_weights").storage),
                                  ("row_weights", maps.rowWeights, try file.tensor("axial.\(variant).row_weights").storage)] {
            let worst = Self.largestDifference(got, want)
            #expect(worst.value < 1e-5, "\(variant) \(name)[\(worst.index)]: got \(got[worst.index]), expected \(want[worst.index])")
        }
    }

    @Test func principalComponentsMatchNumPy() throws {
        let file = try Self.fixture()
        let expected = try file.tensor("pca.components")
        let components = AttentionScene.principalComponents(of: try file.tensor("pca.embeddings"), rows: 5, columns: 7)
        #expect(components.shape == expected.shape)
        let worst = Self.largestDifference(components.storage, expected.storage)
        #expect(worst.value < 1e-5, "component value [\(worst.index)]: got \(components.storage[worst.index]), expected \(expected.storage[worst.index])")
    }

    /// 40 channels, decomposed whole (Jacobi) and by subspace iteration (`directLimit` 0).
    @Test(arguments: [PrincipalComponents.directLimit, 0])
    func widePrincipalComponentsMatchNumPy(directLimit: Int) throws {
        let file = try Self.fixture()
        let expected = try file.tensor("pca.wide.components")
        let components = AttentionScene.principalComponents(of: try file.tensor("pca.wide.embeddings"), rows: 6, columns: 10,
                                                            directLimit: directLimit)
        let worst = Self.largestDifference(components.storage, expected.storage)
        #expect(worst.value < 1e-5, "directLimit \(directLimit) [\(worst.index)]: got \(components.storage[worst.index]), expected \(expected.storage[worst.index])")
    }

    /// With fewer cells than channels the Gram matrix is decomposed: the same components as
    /// the covariance route. Six cells (2×3) with 5 channels take the covariance route; the
    /// same cells with 3 channels of zeros added (which change no component) take the Gram one.
    @Test func gramRouteGivesTheCovarianceRoutesComponents() throws {
        let five = try Self.fixture().tensor("pca.embeddings").slice(axis: 0, range: 0..<6).slice(axis: 1, range: 0..<5)
        let padded = Tensor(shape: [6, 8], storage: (0..<6).flatMap { i in (0..<8).map { j in j < 5 ? five[i, j] : 0 } })
        let covariance = AttentionScene.principalComponents(of: five, rows: 2, columns: 3)
        let gram = AttentionScene.principalComponents(of: padded, rows: 2, columns: 3)
        let worst = Self.largestDifference(gram.storage, covariance.storage)
        #expect(worst.value < 1e-4, "[\(worst.index)]: Gram \(gram.storage[worst.index]), covariance \(covariance.storage[worst.index])")
        #expect(covariance.storage.contains { $0 > 0.1 && $0 < 0.9 }, "components are not all 0 or 1")
    }
}
