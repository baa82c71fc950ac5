/// The 64-bit FNV-1a hash (Fowler, Noll, Vo): for each byte, `hash ^= byte; hash *= prime`,
/// starting from the offset basis `0xcbf29ce484222325`, prime `0x100000001b3`.
///
/// Chosen for shard assignment because it is tiny, has no seed (Swift's `Hasher` is seeded
/// per process) and has published test vectors, so any program in any language agrees.
public enum FNV1a {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Hash of bytes.
    public static func hash64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return hash
    }

    /// Hash of a string's UTF-8 bytes.
    public static func hash64(_ text: String) -> UInt64 { hash64(text.utf8) }
}
