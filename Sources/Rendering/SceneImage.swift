import ImageCodecs
import Overlay
import TensorCore

/// The image as rendered (canvas) and as the mechanisms see it (working tensor).
///
/// The working image is the canvas area-resampled to exactly `rows·cellSize × columns·cellSize`
/// pixels, so grid cell (r, c) covers canvas rows `r·H/rows ..< (r+1)·H/rows` (and columns
/// alike) and a `[rows, columns]` map upsampled to the canvas with pixel-centre alignment
/// lands on the right pixels.
public struct SceneImage: Sendable {
    /// What the overlays are drawn on (original size, or capped by `maxSize`).
    public internal(set) var canvas: RGBCanvas
    /// Shape: [1, 3, rows·cellSize, columns·cellSize], values in [0, 1]. Made on first use
    /// (only the weight-free defaults and the glimpses read it).
    public var working: Tensor { workingImage.value }
    /// The working tensor if something has made it already.
    public var workingIfMade: Tensor? { workingImage.computed }
    private let workingImage: SharedLazy<Tensor>
    public let rows: Int
    public let columns: Int
    public let cellSize: Int
    /// Canvas pixels per original image pixel.
    public internal(set) var scale: Double
    /// The whole factor a small image was enlarged by (`RenderSettings.enlargeBelow`), else 1.
    public let enlargement: Int

    /// Grid size for a long side of `longSide` cells, keeping the aspect ratio.
    public static func gridSize(width: Int, height: Int, longSide: Int) -> (rows: Int, columns: Int) {
        if width >= height {
            return (Swift.max(1, Int((Double(height) / Double(width) * Double(longSide)).rounded())), longSide)
        }
        return (longSide, Swift.max(1, Int((Double(width) / Double(height) * Double(longSide)).rounded())))
    }

    /// Decodes `path` (JPEG through DCT scaling when a smaller size is enough).
    public static func load(path: String, settings: RenderSettings) throws(ImageCodecError) -> SceneImage {
        let (image, originalWidth) = try decode(path: path, settings: settings)
        return SceneImage(image: image, originalWidth: originalWidth, settings: settings)
    }

    /// The first half of ``load(path:settings:)``: the decoded image as 8-bit RGB (what
    /// ``init(image:originalWidth:settings:)`` takes) and the file's own width.
    public static func decode(path: String, settings: RenderSettings) throws(ImageCodecError)
        -> (image: Image, originalWidth: Int) {
        var options = DecodeOptions()
        let info = try ImageDecoder.probe(path: path)
        let longSide = Swift.max(info.width, info.height)
        let needed = Swift.max(settings.maxSize ?? longSide, settings.gridLongSide * settings.cellSize)
        if needed < longSide {
            let ratio = Double(needed) / Double(longSide)
            options.minimumSize = (Int((Double(info.width) * ratio).rounded(.up)), Int((Double(info.height) * ratio).rounded(.up)))
        }
        let image = try ImageDecoder.decode(path: path, options: options)
        let rgb = image.channels == 3 && image.bitDepth == 8 ? image
            : Image(width: image.width, height: image.height, channels: 3, pixels: image.rgb8())
        return (rgb, info.width)
    }

    /// Whether the canvas of a decoded `width × height` image is that image itself (no
    /// `maxSize` cap applies), so it can be used before the scene is built.
    public static func canvasIsImage(width: Int, height: Int, settings: RenderSettings) -> Bool {
        if let below = settings.enlargeBelow, Swift.max(width, height) < below { return false }
        guard let cap = settings.maxSize else { return true }
        return width <= cap && height <= cap
    }

    public init(image: Image, originalWidth: Int, settings: RenderSettings) {
        var canvas = RGBCanvas(width: image.width, height: image.height, pixels: image.rgb8())
        if let cap = settings.maxSize { canvas = canvas.fitted(maxWidth: cap, maxHeight: cap) }
        let factor = Self.enlargement(width: canvas.width, height: canvas.height, below: settings.enlargeBelow)
        if factor > 1 { canvas = canvas.resized(width: canvas.width * factor, height: canvas.height * factor, method: .nearest) }
        self.enlargement = factor
        self.canvas = canvas
        self.scale = Double(canvas.width) / Double(originalWidth)
        let (rows, columns) = Self.gridSize(width: canvas.width, height: canvas.height, longSide: settings.gridLongSide)
        self.rows = rows
        self.columns = columns
        let cellSize = settings.cellSize
        self.cellSize = cellSize
        let shown = canvas
        workingImage = SharedLazy {
            Self.tensor(shown.resized(width: columns * cellSize, height: rows * cellSize, method: .area))
        }
    }

    /// The whole factor that brings a `width × height` image's long side to at least `below`
    /// (1 when it is there already or `below` is nil).
    static func enlargement(width: Int, height: Int, below: Int?) -> Int {
        let long = Swift.max(1, Swift.max(width, height))
        guard let below, long < below else { return 1 }
        return (below + long - 1) / long
    }

    /// The canvas before enlargement (each block of `enlargement`² equal pixels averaged back
    /// to the one it came from).
    public var unenlarged: RGBCanvas {
        enlargement == 1 ? canvas
            : canvas.resized(width: canvas.width / enlargement, height: canvas.height / enlargement, method: .area)
    }

    /// Shape: canvas H×W RGB -> [1, 3, H, W] in [0, 1].
    public static func tensor(_ canvas: RGBCanvas) -> Tensor {
        canvas.pixels.withUnsafeBufferPointer {
            Tensor.planes(interleaved: $0, height: canvas.height, width: canvas.width, channels: 3, divisor: 255)
        }
    }

    /// The grid cell under an original-image pixel (clamped to the grid).
    public func cell(x: Double, y: Double) -> (row: Int, column: Int) {
        let cx = x * scale, cy = y * scale
        let column = Swift.min(columns - 1, Swift.max(0, Int(cx * Double(columns) / Double(canvas.width))))
        let row = Swift.min(rows - 1, Swift.max(0, Int(cy * Double(rows) / Double(canvas.height))))
        return (row, column)
    }

    /// Canvas pixel at the centre of a grid cell.
    public func canvasCenter(row: Int, column: Int) -> (x: Int, y: Int) {
        (Int((Double(column) + 0.5) * Double(canvas.width) / Double(columns)),
         Int((Double(row) + 0.5) * Double(canvas.height) / Double(rows)))
    }
}
