/// Decoded pixels: row-major, channels interleaved, origin top-left.
///
/// Shape: `height × width × channels` samples; channels is 1 (grey), 2 (grey+alpha),
/// 3 (RGB) or 4 (RGBA). Samples are 8-bit or, for 16-bit PNGs, 16-bit (no gamma applied).
public struct Image: Sendable, Equatable {
    /// Sample storage, 8 or 16 bits per sample.
    public enum Samples: Sendable, Equatable {
        case uint8([UInt8])
        case uint16([UInt16])

        /// Number of samples.
        public var count: Int {
            switch self {
            case .uint8(let s): return s.count
            case .uint16(let s): return s.count
            }
        }
    }

    public let width: Int
    public let height: Int
    public let channels: Int
    public var samples: Samples

    public init(width: Int, height: Int, channels: Int, samples: Samples) {
        precondition((1...4).contains(channels), "channels must be 1...4, got \(channels)")
        precondition(samples.count == width * height * channels,
                     "\(width)×\(height)×\(channels) needs \(width * height * channels) samples, got \(samples.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    /// 8-bit image from interleaved samples.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.init(width: width, height: height, channels: channels, samples: .uint8(pixels))
    }

    /// Bits per sample: 8 or 16.
    public var bitDepth: Int {
        if case .uint16 = samples { return 16 }
        return 8
    }

    /// Whether the last channel is alpha (channels 2 and 4).
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// The samples as 8-bit (16-bit ones rounded: v·255/65535).
    public var uint8Samples: [UInt8] {
        switch samples {
        case .uint8(let s): return s
        case .uint16(let s): return s.map { UInt8((UInt32($0) * 255 + 32767) / 65535) }
        }
    }

    /// RGB, 8-bit: grey replicated, alpha dropped (not composited).
    public func rgb8() -> [UInt8] {
        let src = uint8Samples
        if channels == 3 { return src }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let c = channels
        out.withUnsafeMutableBufferPointer { o in
            src.withUnsafeBufferPointer { s in
                for i in 0..<(width * height) {
                    if c <= 2 {
                        let v = s[i * c]
                        o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v
                    } else {
                        o[3 * i] = s[i * c]; o[3 * i + 1] = s[i * c + 1]; o[3 * i + 2] = s[i * c + 2]
                    }
                }
            }
        }
        return out
    }
}
