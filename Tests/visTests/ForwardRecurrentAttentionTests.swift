import Foundation
import TensorCore
import Testing

/// `vis forward` on the trained Recurrent Attention Model, run as the built binary, against
/// the PyTorch transcription's fixtures (`tools/make_ram_fixtures.py`).
@Suite struct ForwardRecurrentAttentionTests {
    static let model = VisBinary.repositoryFile("models/ram-mnist/model.safetensors")
    static let fixtures = VisBinary.repositoryFile("Tests/ModelsTests/Fixtures/ram")

    static func expectWithinTolerance(_ out: String, _ expectedPath: String, _ label: String) throws {
        let got = try SafetensorsFile.read(path: out)
        let expected = try SafetensorsFile.read(path: expectedPath)
        #expect(Set(got.names) == ["log_probs", "locations", "hidden"])
        for name in expected.names {
            let (want, have) = (try expected.tensor(name), try got.tensor(name))
            #expect(have.shape == want.shape, "\(label) \(name)")
            let worst = zip(have.storage, want.storage).map { abs($0 - $1) - (1e-4 + 1e-4 * abs($1)) }.max() ?? 0
            #expect(worst <= 0, "\(label) \(name): beyond 1e-4 + 1e-4·|ref| by \(worst)")
        }
    }

    @Test(arguments: ["corners_edges", "pushed_to_borders"])
    func matchesTheTranscription(_ name: String) throws {
        let folder = Self.fixtures + "/" + name
        let out = VisBinary.temporaryFolder() + "/out.safetensors"
        let result = try VisBinary.run(["forward", Self.model, folder + "/input.safetensors", "-o", out,
                                        "--repeat", "2", "--json"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"module\": \"recurrent_attention_model\""))
        try Self.expectWithinTolerance(out, folder + "/expected.safetensors", name)
    }

    /// Without `noise` the run is the mean policy (the centre case was made with ε = 0).
    @Test func absentNoiseIsZero() throws {
        let folder = Self.fixtures + "/centre_mean"
        let input = try SafetensorsFile.read(path: folder + "/input.safetensors")
        var writer = SafetensorsWriter()
        for name in ["input", "locations"] { writer.add(name: name, tensor: try input.tensor(name)) }
        let scratch = VisBinary.temporaryFolder()
        try writer.write(to: scratch + "/in.safetensors")
        let result = try VisBinary.run(["forward", Self.model, scratch + "/in.safetensors", "-o", scratch + "/out.safetensors"])
        #expect(result.status == 0, "\(result.error)")
        try Self.expectWithinTolerance(scratch + "/out.safetensors", folder + "/expected.safetensors", "centre_mean")
    }

    @Test func missingLocationsIsNamed() throws {
        let folder = Self.fixtures + "/centre_mean"
        let input = try SafetensorsFile.read(path: folder + "/input.safetensors")
        var writer = SafetensorsWriter()
        writer.add(name: "input", tensor: try input.tensor("input"))
        let scratch = VisBinary.temporaryFolder()
        try writer.write(to: scratch + "/in.safetensors")
        let result = try VisBinary.run(["forward", Self.model, scratch + "/in.safetensors", "-o", scratch + "/out.safetensors"])
        #expect(result.status != 0)
        #expect(result.error.contains("missing input tensor 'locations'"))
    }
}
