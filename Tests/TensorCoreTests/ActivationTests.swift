import Testing
@testable import TensorCore

struct ActivationTests {
    @Test(arguments: Activation.allCases)
    func matchesTorch(_ activation: Activation) {
        let reference = OperationFixtures.named(activation.rawValue)
        let got = reference.input("input").applying(activation)
        #expect(isClose(got, reference.expected, absolute: 1e-7, relative: 1e-6),
                "largest difference \(Fixtures.maximumDifference(got.storage, reference.expected.storage))")
    }

    @Test func handWorkedValues() {
        var x = Tensor(shape: [5], storage: [-4, -1.5, 0, 1.5, 4])
        #expect(x.applying(.relu).storage == [0, 0, 0, 1.5, 4])
        #expect(x.applying(.hardSigmoid).storage == [0, 0.25, 0.5, 0.75, 1])
        #expect(x.applying(.hardSwish).storage == [-0, -0.375, 0, 1.125, 4])
        x.apply(.sigmoid)
        #expect(x.storage[2] == 0.5)
        #expect(abs(x.storage[4] - 0.98201379) < 1e-7)
    }
}
