/// The name of an atomic write's temporary file: `.NAME.vis-tmp-PID-RANDOM` beside the target.
///
/// The one place that spells the pattern: ``AtomicFile`` makes names with it, and the batch's
/// sweep of a killed run's leftovers recognises exactly these names and no others (a leading
/// dot, the target's name, the marker, a decimal PID, a dash, a decimal number).
public struct TemporaryName: Sendable, Equatable {
    /// What marks a temporary file of an atomic write.
    public static let marker = ".vis-tmp-"

    /// The file it would have become (`a_axial.png`).
    public let target: String
    /// The process that was writing it.
    public let processID: Int32

    public init(target: String, processID: Int32) {
        (self.target, self.processID) = (target, processID)
    }

    /// `.TARGET.vis-tmp-PID-RANDOM`.
    public func fileName(random: UInt32) -> String {
        "." + target + Self.marker + "\(processID)-\(random)"
    }

    /// Parses `.NAME.vis-tmp-PID-RANDOM`; `nil` for any other name.
    public init?(parsing fileName: String) {
        let bytes = Array(fileName.utf8)
        let mark = Array(Self.marker.utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count > mark.count + 1,
              let start = (1...(bytes.count - mark.count)).reversed().first(where: { bytes[$0..<($0 + mark.count)].elementsEqual(mark) })
        else { return nil }
        let target = String(decoding: bytes[1..<start], as: UTF8.self)
        let tail = String(decoding: bytes[(start + mark.count)...], as: UTF8.self)
            .split(separator: "-", omittingEmptySubsequences: false)
        func decimal(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { (48...57).contains($0) } }
        guard !target.isEmpty, tail.count == 2, decimal(tail[0]), decimal(tail[1]),
              let pid = Int32(tail[0]), pid > 0
        else { return nil }
        self.init(target: target, processID: pid)
    }
}
