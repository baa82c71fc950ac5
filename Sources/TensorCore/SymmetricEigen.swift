/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method.
///
/// Golub and Van Loan, "Matrix Computations" (4th ed.), §8.5.3 (cyclic-by-row Jacobi).
/// Each sweep visits every off-diagonal pair (p, q) in row order and applies the plane
/// rotation that zeroes A[p][q] (the stable formulas with t = sign(θ)/(|θ| + √(1 + θ²))),
/// accumulating the rotations into V. Sweeps stop when the off-diagonal Frobenius norm is
/// below 1e-12 of the matrix's Frobenius norm, or after `maximumSweeps`. All arithmetic is
/// Double, so Float32 inputs come out accurate to Float32 precision.
///
/// The method is deterministic (same input, same output bit for bit), and accurate even for
/// tiny eigenvalues; its cost is about 3n³ multiply-adds per sweep with 6–10 sweeps, fine
/// up to n ≈ 300.
///
/// Results are sorted by decreasing eigenvalue. Each eigenvector's sign is fixed so that its
/// entry of largest magnitude (the first such entry on ties) is positive.
///
/// Shape: matrix [n, n] row-major (only its symmetric part is used) -> values [n],
/// vectors [n, n] with eigenvector k in ROW k.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, largest first. Shape: [n].
    public let values: [Double]
    /// Eigenvectors, one unit vector per row, in the order of ``values``. Shape: [n·n].
    public let vectors: [Double]
    /// Matrix size n.
    public let size: Int

    /// Decomposes the symmetric n×n matrix `matrix` (row-major).
    public init(symmetric matrix: [Double], size n: Int, maximumSweeps: Int = 60) {
        precondition(n >= 0 && matrix.count == n * n, "SymmetricEigen needs \(n)×\(n) = \(n * n) values, got \(matrix.count)")
        size = n
        guard n > 0 else {
            values = []
            vectors = []
            return
        }
        // Symmetrise so that rounding asymmetries of the caller do not matter.
        var a = matrix
        for i in 0..<n {
            for j in (i + 1)..<n {
                let mean = 0.5 * (a[i * n + j] + a[j * n + i])
                a[i * n + j] = mean
                a[j * n + i] = mean
            }
        }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let tolerance = 1e-12 * total
        a.withUnsafeMutableBufferPointer { aBuffer in
            v.withUnsafeMutableBufferPointer { vBuffer in
                let a = aBuffer.baseAddress!, v = vBuffer.baseAddress!
                for _ in 0..<maximumSweeps {
                    var offDiagonal = 0.0
                    for i in 0..<n { for j in 0..<n where i != j { offDiagonal += a[i * n + j] * a[i * n + j] } }
                    if offDiagonal.squareRoot() <= tolerance { break }
                    for p in 0..<(n - 1) {
                        for q in (p + 1)..<n {
                            let apq = a[p * n + q]
                            if apq == 0 { continue }
                            let (app, aqq) = (a[p * n + p], a[q * n + q])
                            // θ = (a_qq − a_pp) / (2 a_pq); t = tan of the rotation angle.
                            let theta = (aqq - app) / (2 * apq)
                            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (1 + theta * theta).squareRoot())
                            let c = 1 / (1 + t * t).squareRoot(), s = t * c
                            // A ← Jᵀ A J on rows/columns p and q.
                            for k in 0..<n {
                                let akp = a[k * n + p], akq = a[k * n + q]
                                a[k * n + p] = c * akp - s * akq
                                a[k * n + q] = s * akp + c * akq
                            }
                            for k in 0..<n {
                                let apk = a[p * n + k], aqk = a[q * n + k]
                                a[p * n + k] = c * apk - s * aqk
                                a[q * n + k] = s * apk + c * aqk
                            }
                            a[p * n + q] = 0
                            a[q * n + p] = 0
                            // V ← V J (eigenvectors in the columns of V for now).
                            for k in 0..<n {
                                let vkp = v[k * n + p], vkq = v[k * n + q]
                                v[k * n + p] = c * vkp - s * vkq
                                v[k * n + q] = s * vkp + c * vkq
                            }
                        }
                    }
                }
            }
        }
        // Sort by decreasing eigenvalue (stable on ties: lower original index first).
        let order = (0..<n).sorted { lhs, rhs in
            let (l, r) = (a[lhs * n + lhs], a[rhs * n + rhs])
            return l != r ? l > r : lhs < rhs
        }
        var sortedVectors = [Double](repeating: 0, count: n * n)
        for (row, column) in order.enumerated() {
            // Column `column` of V becomes row `row`, sign fixed by its largest entry.
            var largest = 0.0, sign = 1.0
            for k in 0..<n where abs(v[k * n + column]) > largest {
                largest = abs(v[k * n + column])
                sign = v[k * n + column] < 0 ? -1 : 1
            }
            for k in 0..<n { sortedVectors[row * n + k] = sign * v[k * n + column] }
        }
        values = order.map { a[$0 * n + $0] }
        vectors = sortedVectors
    }

    /// Eigenvector `k` (the k-th largest eigenvalue's). Shape: [n].
    public func vector(_ k: Int) -> ArraySlice<Double> {
        vectors[(k * size)..<((k + 1) * size)]
    }
}
