/// Which attention weights a forward pass keeps besides its output.
///
/// Large grids make the full maps expensive: a 64×64 axial grid has 2·64³ weights per
/// head, a 4096-token self-attention 4096² per head. With ``none`` or ``queries(_:)`` the
/// weights are computed block by block in a small scratch buffer and never all held at once.
public enum AttentionCapture: Sendable, Equatable {
    /// Keep no weights (the output alone).
    case none
    /// Keep every weight (Contract 2's `attention`, `attention.height`, `attention.width`).
    case full
    /// Keep the weights of the given query positions only. For self-attention a position is
    /// a token index `n` in `0..<N`; for axial attention it is a pixel index `y·W + x`.
    case queries([Int])
}
