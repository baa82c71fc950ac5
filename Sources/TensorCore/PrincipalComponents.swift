/// The leading principal components of a set of rows: the eigenvectors of largest eigenvalue
/// of the scatter matrix XᵀX of the centred rows, and each row's scores on them.
///
/// Small problems go to ``SymmetricEigen`` whole. Beyond `directLimit` (Jacobi's ~3n³
/// multiply-adds per sweep, for all n vectors when 3 are wanted, grow too slow; see
/// BENCHMARKS.md) the leading vectors come from subspace iteration with
/// Rayleigh–Ritz (Golub and Van Loan, "Matrix Computations", 4th ed., §8.3.7 and §8.2.4):
/// a block of `count + 5` vectors is multiplied by the matrix and re-orthonormalised until
/// the Ritz pairs of the projected matrix (decomposed by ``SymmetricEigen``) have residuals
/// below 1e-9 of the largest eigenvalue, or 2000 steps have run. With fewer rows than columns
/// the N×N Gram matrix X·Xᵀ is decomposed instead (the same non-zero eigenvalues; loading
/// v = Xᵀu normalised), so the problem is never larger than min(N, E).
///
/// Sign convention (an eigenvector's sign is arbitrary): each loading vector's entry of
/// largest magnitude, the first on ties, is positive, as ``SymmetricEigen`` fixes it.
/// Everything after the Float32 scatter product (BLAS) is Double and deterministic.
///
/// Shape: rows [N, E] -> loadings [count, E] (component k in row k), values [count],
/// scores [N, count] row-major; count = min(wanted, E).
public struct PrincipalComponents: Sendable {
    /// Unit loading vectors, one per row, largest eigenvalue first. Shape: [count·E].
    public let loadings: [Double]
    /// Eigenvalues of XᵀX (not divided by N − 1), largest first. Shape: [count].
    public let values: [Double]
    /// Centred rows times the loadings. Shape: [N·count], row-major.
    public let scores: [Double]
    /// Components kept.
    public let count: Int

    /// Largest matrix decomposed whole by ``SymmetricEigen``.
    public static let directLimit = 128

    public init(rows x: Tensor, count wanted: Int, directLimit: Int = PrincipalComponents.directLimit) {
        precondition(x.rank == 2 && wanted >= 0, "PrincipalComponents needs rows [N, E] and a count ≥ 0, got \(x.shape), \(wanted)")
        let (n, e) = (x.shape[0], x.shape[1])
        var centered = x.storage
        for j in 0..<e {
            var mean: Float = 0
            for i in 0..<n { mean += centered[i * e + j] }
            mean /= Float(Swift.max(n, 1))
            for i in 0..<n { centered[i * e + j] -= mean }
        }
        let rows = Tensor(shape: [n, e], storage: centered)
        let useGram = n < e
        let scatter = useGram ? rows.matmul(rows, transposeOther: true) : rows.matmul(rows, transposeSelf: true)  // [N, N] or [E, E]
        let size = scatter.shape[0]
        let count = Swift.min(wanted, e, size)
        let matrix = scatter.storage.map(Double.init)
        var (vectors, values) = size <= directLimit
            ? Self.direct(matrix, size: size, count: count)
            : Self.subspace(matrix, size: size, count: count)
        if useGram {   // loading v = Xᵀu / ‖Xᵀu‖
            for k in 0..<count {
                let u = vectors[k]
                var v = (0..<e).map { j in (0..<n).reduce(0.0) { $0 + Double(centered[$1 * e + j]) * u[$1] } }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { v = v.map { $0 / norm } }
                vectors[k] = v
            }
        }
        for k in 0..<count { vectors[k] = Self.signFixed(vectors[k]) }
        self.count = count
        self.values = values
        loadings = vectors.flatMap { $0 }
        scores = (0..<n).flatMap { i in
            (0..<count).map { k in (0..<e).reduce(0.0) { $0 + Double(centered[i * e + $1]) * vectors[k][$1] } }
        }
    }

    /// The leading `count` eigenpairs from the whole decomposition.
    static func direct(_ matrix: [Double], size: Int, count: Int) -> ([[Double]], [Double]) {
        let eigen = SymmetricEigen(symmetric: matrix, size: size)
        return ((0..<count).map { Array(eigen.vector($0)) }, Array(eigen.values.prefix(count)))
    }

    /// The leading `count` eigenpairs by subspace iteration with Rayleigh–Ritz.
    static func subspace(_ matrix: [Double], size: Int, count: Int) -> ([[Double]], [Double]) {
        let m = Swift.min(size, count + 5)
        // Deterministic start: a fixed pseudo-random block (64-bit LCG), orthonormalised.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var q = (0..<(m * size)).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }                                                            // [m, size]: vector j in row j
        orthonormalize(&q, count: m, size: size)
        var z = [Double](repeating: 0, count: m * size)
        var last: ([[Double]], [Double]) = ([], [])
        for _ in 0..<2000 {
            // Z = A·Q (A symmetric, so row j of Z is A times row j of Q).
            matrix.withUnsafeBufferPointer { a in
                for j in 0..<m {
                    for i in 0..<size {
                        var sum = 0.0
                        for k in 0..<size { sum += a[i * size + k] * q[j * size + k] }
                        z[j * size + i] = sum
                    }
                }
            }
            // T = Qᵀ A Q [m, m]; its eigenpairs (θ, y) give Ritz vectors Q·y.
            var t = [Double](repeating: 0, count: m * m)
            for r in 0..<m { for c in 0..<m { t[r * m + c] = (0..<size).reduce(0.0) { $0 + q[r * size + $1] * z[c * size + $1] } } }
            let small = SymmetricEigen(symmetric: t, size: m)
            let scale = Swift.max(abs(small.values.first ?? 0), Double.leastNormalMagnitude)
            var ritz: [[Double]] = []
            var converged = true
            for k in 0..<count {
                let y = small.vector(k)
                var v = [Double](repeating: 0, count: size), av = [Double](repeating: 0, count: size)
                for (j, yj) in zip(0..<m, y) {
                    for i in 0..<size { v[i] += yj * q[j * size + i]; av[i] += yj * z[j * size + i] }
                }
                let residual = zip(av, v).reduce(0.0) { $0 + ($1.0 - small.values[k] * $1.1) * ($1.0 - small.values[k] * $1.1) }
                if residual.squareRoot() > 1e-9 * scale { converged = false }
                ritz.append(v)
            }
            last = (ritz, Array(small.values.prefix(count)))
            if converged { return last }
            q = z
            orthonormalize(&q, count: m, size: size)
        }
        return last   // not converged in 2000 steps (eigenvalues nearly equal): the last Ritz pairs
    }

    /// Modified Gram–Schmidt, twice, on the rows of `q` ([count, size]); a row that vanishes
    /// (all but 1e-10 of it in the span of the rows before) is replaced by the first unit
    /// basis vector that is not.
    static func orthonormalize(_ q: inout [Double], count: Int, size: Int) {
        for j in 0..<count {
            var candidate = 0
            while true {
                let before = (0..<size).reduce(0.0) { $0 + q[j * size + $1] * q[j * size + $1] }.squareRoot()
                for _ in 0..<2 {
                    for p in 0..<j {
                        let dot = (0..<size).reduce(0.0) { $0 + q[p * size + $1] * q[j * size + $1] }
                        for i in 0..<size { q[j * size + i] -= dot * q[p * size + i] }
                    }
                }
                let norm = (0..<size).reduce(0.0) { $0 + q[j * size + $1] * q[j * size + $1] }.squareRoot()
                let kept = norm > 1e-10 * before && norm > 0
                if kept || candidate >= size {
                    for i in 0..<size { q[j * size + i] = kept ? q[j * size + i] / norm : 0 }
                    break
                }
                for i in 0..<size { q[j * size + i] = i == candidate ? 1 : 0 }
                candidate += 1
            }
        }
    }

    /// `v` with its entry of largest magnitude (the first on ties) made positive.
    static func signFixed(_ v: [Double]) -> [Double] {
        var largest = 0.0, sign = 1.0
        for x in v where abs(x) > largest {
            largest = abs(x)
            sign = x < 0 ? -1 : 1
        }
        return sign < 0 ? v.map { -$0 } : v
    }
}
