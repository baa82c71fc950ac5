import TensorCore

/// How the tokens of a vision transformer are laid out along the sequence axis.
///
/// Tokens are ordered class token (when present), registers, then the patches of a
/// `rows × columns` grid in row-major order (timm `VisionTransformer` and transformers
/// `ViTModel`/`Dinov2Model` both concatenate `[cls, registers, patches]`; DINOv2 with
/// registers puts the registers after the class token). Patch (row, column) is token
/// `prefixCount + row·columns + column`.
///
/// Shape: `tokenCount = prefixCount + rows·columns`, with
/// `prefixCount = (hasClassToken ? 1 : 0) + registerCount`.
public struct TokenLayout: Sendable, Equatable, Hashable {
    /// Whether token 0 is a class token (false for average-pooling models without one).
    public var hasClassToken: Bool
    /// Number of register tokens (Darcet et al. 2024, "Vision Transformers Need Registers").
    public var registerCount: Int
    /// Patch grid height.
    public var rows: Int
    /// Patch grid width.
    public var columns: Int

    public init(hasClassToken: Bool = true, registerCount: Int = 0, rows: Int, columns: Int) {
        precondition(registerCount >= 0 && rows > 0 && columns > 0,
                     "token layout needs registerCount ≥ 0 and a non-empty grid, got \(registerCount) registers, \(rows)×\(columns)")
        self.hasClassToken = hasClassToken
        self.registerCount = registerCount
        self.rows = rows
        self.columns = columns
    }

    /// Tokens before the first patch (class token and registers).
    public var prefixCount: Int { (hasClassToken ? 1 : 0) + registerCount }
    /// Number of patches, `rows·columns`.
    public var patchCount: Int { rows * columns }
    /// Length of the token sequence.
    public var tokenCount: Int { prefixCount + patchCount }

    /// The token index of one query: the class token, a register, or a patch.
    public func tokenIndex(_ token: Token) throws(AnalysisError) -> Int {
        switch token {
        case .classToken:
            guard hasClassToken else { throw .noClassToken }
            return 0
        case let .register(index):
            guard (0..<registerCount).contains(index) else { throw .registerOutOfRange(index: index, count: registerCount) }
            return (hasClassToken ? 1 : 0) + index
        case let .patch(row, column):
            guard (0..<rows).contains(row), (0..<columns).contains(column) else {
                throw .patchOutOfRange(row: row, column: column, rows: rows, columns: columns)
            }
            return prefixCount + row * columns + column
        }
    }

    /// One token of the sequence, named by its role.
    public enum Token: Sendable, Equatable, Hashable {
        case classToken
        /// Register `index`, counted from 0.
        case register(Int)
        /// The patch at grid row `row`, column `column` (origin top-left).
        case patch(row: Int, column: Int)
    }

    /// Checks that `attention` is one block's weights `[B, heads, T, T]` for this layout.
    ///
    /// Shape: `attention` `[B, heads, tokenCount, tokenCount]` with B ≥ 1, heads ≥ 1.
    public func validate(_ attention: Tensor, name: String) throws(AnalysisError) {
        let s = attention.shape
        guard s.count == 4, s[0] > 0, s[1] > 0, s[2] == tokenCount, s[3] == tokenCount else {
            throw .attentionShape(name: name, expected: "[B, heads, \(tokenCount), \(tokenCount)]", got: s)
        }
    }

    /// Checks that `attention` holds the rows of `queries` in one block for this layout:
    /// every query row `[B, heads, T, T]`, or only the first Q `[B, heads, Q, T]` (a pass
    /// that carried only its class token through its last block, ``VisionTransformer``'s
    /// `Readout.classToken`) when every query lies below Q.
    ///
    /// Shape: `attention` `[B, heads, Q, tokenCount]`, Q = tokenCount or Q > max(queries).
    public func validate(_ attention: Tensor, name: String, queries: [Int]) throws(AnalysisError) {
        let s = attention.shape
        guard s.count == 4, s[0] > 0, s[1] > 0, s[3] == tokenCount, s[2] >= 1, s[2] <= tokenCount else {
            throw .attentionShape(name: name, expected: "[B, heads, \(tokenCount), \(tokenCount)]", got: s)
        }
        if let highest = queries.max(), highest >= s[2] {
            throw .attentionShape(name: name, expected: "[B, heads, \(tokenCount), \(tokenCount)] (the pass kept the "
                                  + "first \(s[2]) query rows; token \(highest) needs every row)", got: s)
        }
    }
}
