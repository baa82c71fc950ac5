/// `--shard K/N`: this process takes the K-th of N disjoint parts of the input (1-based).
///
/// A file belongs to part `FNV1a.hash64(relativePath) % N + 1`. The assignment depends only
/// on the file's path relative to its folder argument, never on the order or number of the
/// other files, so independent processes (a Slurm array task, a Kubernetes indexed job)
/// given the same arguments agree without talking to each other, and the N parts together
/// cover every file exactly once. Parts are about, not exactly, 1/N of the files.
public struct Shard: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// K, in 1...count.
    public let index: Int
    /// N, at least 1.
    public let count: Int

    /// Everything (`1/1`).
    public static let all = Shard(checkedIndex: 1, count: 1)

    public init(index: Int, count: Int) throws(ParseError) {
        guard count >= 1 else { throw .zeroCount("\(index)/\(count)") }
        guard index >= 1 else { throw .zeroIndex("\(index)/\(count)") }
        guard index <= count else { throw .indexBeyondCount(index: index, count: count) }
        self.init(checkedIndex: index, count: count)
    }

    private init(checkedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `"K/N"` (spaces around the numbers are not accepted).
    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }),
              let index = Int(parts[0]), let count = Int(parts[1])
        else { throw .malformed(text) }
        try self.init(index: index, count: count)
    }

    /// Whether a file with this relative path belongs to this shard.
    public func contains(relativePath: String) -> Bool {
        Int(FNV1a.hash64(relativePath) % UInt64(count)) + 1 == index
    }

    /// The elements of this shard, in their original order.
    public func select(_ inputs: [BatchInput]) -> [BatchInput] {
        inputs.filter { contains(relativePath: $0.relativePath) }
    }

    /// The jobs of this shard, in their original order (select after `OutputLayout.plan`,
    /// so that collision-resolved names are the same in every shard).
    public func select<Output>(_ jobs: [BatchJob<Output>]) -> [BatchJob<Output>] {
        jobs.filter { contains(relativePath: $0.input.relativePath) }
    }

    /// `"K/N"`.
    public var description: String { "\(index)/\(count)" }

    /// Why a `--shard` value was refused; the description is a full sentence for the user.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not of the form K/N with K and N decimal numbers.
        case malformed(String)
        /// N is 0.
        case zeroCount(String)
        /// K is 0 (shards count from 1).
        case zeroIndex(String)
        /// K is larger than N.
        case indexBeyondCount(index: Int, count: Int)

        public var description: String {
            switch self {
            case .malformed(let text):
                return "invalid shard '\(text)': expected K/N with whole numbers 1 ≤ K ≤ N, e.g. 2/8"
            case .zeroCount(let text):
                return "invalid shard '\(text)': the number of shards N must be at least 1"
            case .zeroIndex(let text):
                return "invalid shard '\(text)': shards are numbered from 1, so K must be at least 1"
            case .indexBeyondCount(let index, let count):
                return "invalid shard '\(index)/\(count)': K (\(index)) must not exceed N (\(count))"
            }
        }
    }
}
