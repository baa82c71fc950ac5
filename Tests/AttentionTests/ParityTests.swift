import Foundation
import Testing
import TensorCore
@testable import Attention

/// Every case folder under `Fixtures/<module>/` (made by `tools/make_attention_fixtures.py`
/// from the PyTorch references) must match to |got − ref| ≤ 1e-4 + 1e-4·|ref|.
@Suite struct ParityTests {
    static let modules = AttentionModule.Kind.allCases.map(\.rawValue)

    @Test func everyModuleHasFixtures() {
        for module in Self.modules { #expect(!ParityFixture.cases(of: module).isEmpty, "no fixtures for \(module)") }
    }

    /// Loads the model, runs `forward` and compares every expected tensor; the output names
    /// must be exactly Contract 2's.
    static func check(_ fixture: ParityFixture, module: AttentionModule, expectedFile: String = "expected.safetensors",
                      label: String? = nil) throws {
        let outputs = try module.forward(inputs: fixture.tensors("input.safetensors"))
        let expected = try fixture.tensors(expectedFile)
        #expect(Set(outputs.keys) == Set(expected.keys), "\(fixture.testDescription): output names")
        #expect(Set(outputs.keys) == Set(module.outputNames))
        for name in expected.keys.sorted() {
            guard let got = outputs[name] else { continue }
            print("parity \(label ?? fixture.testDescription) \(name): largest |error| = \(largestError(got, expected[name]!))")
            expectClose(got, expected[name]!, absolute: 1e-4, relative: 1e-4, "\(fixture.testDescription) \(name)")
        }
    }

    static func load(_ fixture: ParityFixture) throws -> AttentionModule {
        var weights = try fixture.weights()
        let module = try AttentionModule(loading: &weights)
        #expect(module.name == fixture.module)
        #expect(weights.unusedNames.isEmpty, "\(fixture.testDescription): unused \(weights.unusedNames)")
        return module
    }

    @Test(arguments: ParityFixture.cases(of: "patch_embed"))
    func patchEmbedding(_ fixture: ParityFixture) throws { try Self.check(fixture, module: Self.load(fixture)) }

    @Test(arguments: ParityFixture.cases(of: "self_attention"))
    func selfAttention(_ fixture: ParityFixture) throws { try Self.check(fixture, module: Self.load(fixture)) }

    @Test(arguments: ParityFixture.cases(of: "axial_attention"))
    func axialAttention(_ fixture: ParityFixture) throws { try Self.check(fixture, module: Self.load(fixture)) }

    @Test(arguments: ParityFixture.cases(of: "coordinate_attention"))
    func coordinateAttention(_ fixture: ParityFixture) throws { try Self.check(fixture, module: Self.load(fixture)) }

    /// The reference denormalises x with the height: exact parity with `expected`.
    @Test(arguments: ParityFixture.cases(of: "glimpse"))
    func glimpseReferenceAxes(_ fixture: ParityFixture) throws {
        let module = try AttentionModule(weights: fixture.weights(), referenceGlimpseAxes: true)
        try Self.check(fixture, module: module, label: fixture.testDescription + " (reference axes)")
    }

    /// Our default maps x through the width: parity with `expected_xw`.
    @Test(arguments: ParityFixture.cases(of: "glimpse"))
    func glimpseWidthForX(_ fixture: ParityFixture) throws {
        try Self.check(fixture, module: Self.load(fixture), expectedFile: "expected_xw.safetensors",
                       label: fixture.testDescription + " (x through width)")
    }
}
