/// A request an attention analysis cannot serve: a block, head, token or class count that
/// does not match the attention tensors or the token layout.
///
/// These come from user choices (`--layer`, `--query`, a model's attention file), so they
/// are thrown; each case names the value and the range it had to lie in.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No attention blocks were given.
    case noBlocks
    /// An attention tensor does not have the shape the layout needs.
    case attentionShape(name: String, expected: String, got: [Int])
    /// Two blocks disagree on batch size or head count.
    case blocksDisagree(name: String, expected: [Int], got: [Int])
    /// A block index outside `0..<count`.
    case blockOutOfRange(block: Int, count: Int)
    /// A head index outside `0..<count`.
    case headOutOfRange(head: Int, count: Int)
    /// A register index outside `0..<count`.
    case registerOutOfRange(index: Int, count: Int)
    /// A patch outside the grid.
    case patchOutOfRange(row: Int, column: Int, rows: Int, columns: Int)
    /// The class token was asked for, but the model has none.
    case noClassToken
    /// A rollout discard ratio outside [0, 1).
    case discardRatio(Double)
    /// A DINO mask mass outside [0, 1].
    case mass(Double)
    /// Logits of the wrong rank, or class names of another count.
    case logitsShape(expected: String, got: [Int])

    public var description: String {
        switch self {
        case .noBlocks:
            return "no attention blocks were given"
        case let .attentionShape(name, expected, got):
            return "attention '\(name)' has shape \(got), expected \(expected)"
        case let .blocksDisagree(name, expected, got):
            return "attention '\(name)' has batch and heads \(got), block 0 has \(expected)"
        case let .blockOutOfRange(block, count):
            return "block \(block) is outside 0..<\(count)"
        case let .headOutOfRange(head, count):
            return "head \(head) is outside 0..<\(count)"
        case let .registerOutOfRange(index, count):
            return "register \(index) is outside 0..<\(count)"
        case let .patchOutOfRange(row, column, rows, columns):
            return "patch (row \(row), column \(column)) is outside the \(rows)×\(columns) grid"
        case .noClassToken:
            return "the model has no class token"
        case let .discardRatio(ratio):
            return "discard ratio \(ratio) is outside [0, 1)"
        case let .mass(mass):
            return "mask mass \(mass) is outside [0, 1]"
        case let .logitsShape(expected, got):
            return "logits have shape \(got), expected \(expected)"
        }
    }
}
