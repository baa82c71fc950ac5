import Testing
@testable import TensorCore

/// `BLAS.sgemm` against a naive triple loop on odd shapes, every transpose combination and
/// padded leading dimensions.
struct BLASTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(z >> 40) / Float(1 << 24) * 2 - 1
        }
        mutating func values(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
    }

    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (7, 13, 5), (3, 1, 9), (16, 17, 33)]

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matchesNaiveLoop(transA: Bool, transB: Bool) {
        var random = Random(state: 42)
        for (m, n, k) in Self.shapes {
            // Stored shapes: A is [k, m] when transposed else [m, k]; pad each row by 3.
            let (aRows, aColumns) = transA ? (k, m) : (m, k)
            let (bRows, bColumns) = transB ? (n, k) : (k, n)
            let (lda, ldb, ldc) = (aColumns + 3, bColumns + 2, n + 1)
            let a = random.values(aRows * lda), b = random.values(bRows * ldb)
            let c0 = random.values(m * ldc)
            let (alpha, beta): (Float, Float) = (0.75, -0.5)
            var expected = c0
            for i in 0..<m {
                for j in 0..<n {
                    var total: Double = 0
                    for p in 0..<k {
                        let x = transA ? a[p * lda + i] : a[i * lda + p]
                        let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                        total += Double(x) * Double(y)
                    }
                    expected[i * ldc + j] = Float(Double(alpha) * total + Double(beta) * Double(c0[i * ldc + j]))
                }
            }
            var c = c0
            c.withUnsafeMutableBufferPointer { cp in
                BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                           a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: ldc)
            }
            let difference = Fixtures.maximumDifference(c, expected)
            #expect(difference < 1e-5, "m \(m) n \(n) k \(k): largest difference \(difference)")
            // Padding columns of C are untouched.
            for i in 0..<m { #expect(c[i * ldc + n] == c0[i * ldc + n]) }
        }
    }

    @Test func matmulUsesTransposes() {
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
        #expect(a.matmul(b) == Tensor(shape: [2, 2], storage: [58, 64, 139, 154]))
        #expect(a.matmul(a, transposeOther: true) == Tensor(shape: [2, 2], storage: [14, 32, 32, 77]))
        #expect(a.matmul(a, transposeSelf: true).shape == [3, 3])
        #expect(a.matmul(a, transposeSelf: true)[0, 0] == 17)
    }
}
