import Testing
import TensorCore

/// Cyclic Jacobi against hand-worked and constructed eigen-decompositions.
struct SymmetricEigenTests {
    @Test func twoByTwoByHand() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, vectors (1, 1)/√2 and (1, −1)/√2.
        let eigen = SymmetricEigen(symmetric: [2, 1, 1, 2], size: 2)
        #expect(abs(eigen.values[0] - 3) < 1e-14 && abs(eigen.values[1] - 1) < 1e-14)
        let r = 1 / 2.0.squareRoot()
        let expected = [r, r, r, -r]
        #expect(zip(eigen.vectors, expected).allSatisfy { abs($0 - $1) < 1e-14 }, "\(eigen.vectors)")
    }

    @Test func diagonalIsSortedWithPositiveLargestEntry() {
        let eigen = SymmetricEigen(symmetric: [1, 0, 0, 0, -2, 0, 0, 0, 5], size: 3)
        #expect(eigen.values == [5, 1, -2])
        #expect(Array(eigen.vector(0)) == [0, 0, 1])
        #expect(Array(eigen.vector(1)) == [1, 0, 0])
        #expect(Array(eigen.vector(2)) == [0, 1, 0])
    }

    /// A = Q·diag(λ)·Qᵀ with Q the Householder reflection I − 2uuᵀ/|u|², u = (1, 2, 3, 4, 5).
    @Test func constructedFiveByFive() {
        let u: [Double] = [1, 2, 3, 4, 5]
        let norm = u.reduce(0) { $0 + $1 * $1 }
        let lambda: [Double] = [7, 3.5, 1e-6, -0.25, -4]
        let n = 5
        var q = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { q[i * n + j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / norm } }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { a[i * n + j] += q[i * n + k] * lambda[k] * q[j * n + k] } } }
        let eigen = SymmetricEigen(symmetric: a, size: n)
        for k in 0..<n { #expect(abs(eigen.values[k] - lambda[k]) < 1e-12, "λ\(k) = \(eigen.values[k])") }
        for k in 0..<n {
            // The eigenvector is ± column k of Q.
            let v = Array(eigen.vector(k))
            let column = (0..<n).map { q[$0 * n + k] }
            let dot = zip(v, column).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(dot) - 1) < 1e-12, "vector \(k) · q\(k) = \(dot)")
            let largest = v.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
    }
}
