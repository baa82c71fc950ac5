#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The SplitMix64 generator (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number
/// Generators", OOPSLA 2014) with Box–Muller standard normals: a tiny, fully specified
/// source of reproducible randomness (the same seed gives the same numbers on every
/// platform, unlike `SystemRandomNumberGenerator`).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in (0, 1): the top 53 bits, offset by half a step so 0 never occurs.
    public mutating func nextUnitInterval() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Two independent standard normals by the Box–Muller transform (Box and Muller, 1958):
    /// `r = √(−2 ln u₁)`, `(r cos 2πu₂, r sin 2πu₂)`.
    public mutating func nextNormalPair() -> (Double, Double) {
        let (u1, u2) = (nextUnitInterval(), nextUnitInterval())
        let radius = (-2 * log(u1)).squareRoot()
        return (radius * cos(2 * Double.pi * u2), radius * sin(2 * Double.pi * u2))
    }
}
