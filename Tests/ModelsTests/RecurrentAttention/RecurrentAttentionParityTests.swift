import Foundation
import Testing
import TensorCore
@testable import Models

/// The Swift model against the PyTorch transcription of `models/README.md`
/// (`tools/make_ram_fixtures.py`) on the real checkpoint: every output within
/// 1e-4 + 1e-4·|ref|.
@Suite struct RecurrentAttentionParityTests {
    @Test func fixturesExist() {
        #expect(RAMFixtures.cases.count >= 4)
    }

    @Test(arguments: RAMFixtures.cases)
    func matchesTheTranscription(_ folder: String) throws {
        let input = try RAMFixtures.tensors(folder + "/input.safetensors")
        let expected = try RAMFixtures.tensors(folder + "/expected.safetensors")
        let run = try RAMFixtures.model.run(input["input"]!, firstLocations: input["locations"]!, noise: input["noise"])
        #expect(input["input"]!.shape[0] > 1)
        let outputs = ["log_probs": run.logProbabilities, "locations": run.locations, "hidden": run.hidden]
        for (name, got) in outputs.sorted(by: { $0.key < $1.key }) {
            let (largest, within) = compare(got, expected[name]!)
            print("ram parity \((folder as NSString).lastPathComponent) \(name): largest |error| = \(largest)")
            #expect(within, "\(folder) \(name): largest |error| \(largest)")
        }
    }

    /// Without noise the run is the mean policy: the centre case's noise is all zeros.
    @Test func absentNoiseIsTheMeanPolicy() throws {
        let folder = try #require(RAMFixtures.cases.first { $0.hasSuffix("centre_mean") })
        let input = try RAMFixtures.tensors(folder + "/input.safetensors")
        let expected = try RAMFixtures.tensors(folder + "/expected.safetensors")
        let (average, runs) = try RAMFixtures.model.run(input["input"]!, policy: .mean)
        #expect(compare(average, expected["log_probs"]!).within)
        #expect(compare(runs.locations, expected["locations"]!).within)
        // The first digits of the MNIST test set are 7 2 1 0 4 1 4 9.
        #expect(runs.predictions == [7, 2, 1, 0, 4, 1, 4, 9])
    }
}
