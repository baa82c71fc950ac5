/// Which heads a per-block attention map shows.
///
/// Shape: a map over `heads` heads gives `panelCount(heads:)` panels — `heads` for
/// ``each``, 1 for ``mean`` and ``head(_:)``.
public enum HeadSelection: Sendable, Equatable, Hashable {
    /// The mean over the heads (one panel; what vit-explain's `mean` fusion and most
    /// overlays show).
    case mean
    /// One head, counted from 0.
    case head(Int)
    /// Every head, one panel each (what DINO's `visualize_attention.py` writes).
    case each

    /// Number of panels for a block with `heads` heads.
    public func panelCount(heads: Int) -> Int {
        if case .each = self { return heads }
        return 1
    }

    /// Throws when a chosen head is not one of `heads`.
    public func validate(heads: Int) throws(AnalysisError) {
        if case let .head(h) = self, !(0..<heads).contains(h) {
            throw .headOutOfRange(head: h, count: heads)
        }
    }
}
