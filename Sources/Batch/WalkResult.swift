/// What `InputWalker.walk` found: the images to process, the files skipped because they are
/// not images, and the arguments that could not be used.
public struct WalkResult: Sendable, Equatable {
    /// A file inside a folder argument whose content is not a PNG or JPEG. Skipped, counted,
    /// never a failure.
    public struct NotAnImage: Sendable, Equatable, Hashable {
        public let path: String
        /// The recognised format vis does not read (`"GIF"`), or `nil` for no known signature.
        public let format: String?

        public init(path: String, format: String?) {
            self.path = path
            self.format = format
        }
    }

    /// Images, in argument order, each folder's files in UTF-8 byte order of their relative
    /// path; each file at most once (the first path that reaches it wins).
    public var inputs: [BatchInput]
    public var notImages: [NotAnImage]
    /// Missing paths, unreadable folders or files, and files given explicitly that are not
    /// images.
    public var failures: [BatchFailure]

    public init(inputs: [BatchInput] = [], notImages: [NotAnImage] = [], failures: [BatchFailure] = []) {
        self.inputs = inputs
        self.notImages = notImages
        self.failures = failures
    }
}
