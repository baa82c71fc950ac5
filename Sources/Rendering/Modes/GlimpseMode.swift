import Attention
import Overlay
import TensorCore

extension RenderMode {
    /// RAM glimpses: nested squares, scan path, and the patches the sensor sees.
    public static let glimpse = RenderMode(GlimpseMode())
}

/// Glimpses of the Recurrent Attention Model (Mnih et al., 2014) placed on the saliency map:
/// k nested squares per glimpse, the scan path, and below it what the sensor sees. With the
/// trained model (`--model`): its learned scan path on the digit (``LearnedGlimpsePanel``).
struct GlimpseMode: ModeDefinition {
    let name = "glimpse"
    let summary = "RAM glimpses: nested squares, scan path, and the patches the sensor sees (the learned path with --model)"

    enum Maps: Sendable {
        case saliency(AttentionScene.Glimpses)
        case learned(LearnedGlimpsePanel)
    }

    func maps(of scene: AttentionScene) throws -> Maps {
        if case .recurrentAttention(let model) = scene.network { return .learned(try scene.learnedGlimpses(model)) }
        return .saliency(try scene.glimpses())
    }

    func draw(_ maps: Maps, with renderer: Renderer) throws -> RGBCanvas {
        switch maps {
        case .learned(let panel): return panel.render()
        case .saliency(let glimpses): return draw(glimpses, with: renderer)
        }
    }

    static let glimpseColors: [RGBColor] = [.yellow, .cyan, .magenta, .green, .red, .white, .blue]

    func draw(_ g: AttentionScene.Glimpses, with renderer: Renderer) -> RGBCanvas {
        let scene = renderer.scene
        var canvas = scene.image.canvas
        let (h, w) = (scene.image.working.shape[2], scene.image.working.shape[3])
        let sx = Double(canvas.width) / Double(w), sy = Double(canvas.height) / Double(h)
        let thickness = Swift.max(1, canvas.width / 300)
        var centres: [(Int, Int)] = []
        for (i, l) in g.locations.enumerated() {
            let colour = Self.glimpseColors[i % Self.glimpseColors.count]
            for box in g.boxes where box.batch == i {
                let rect = PixelRect(x: Int((Double(box.x) * sx).rounded()), y: Int((Double(box.y) * sy).rounded()),
                                     width: Int((Double(box.size) * sx).rounded()), height: Int((Double(box.size) * sy).rounded()))
                canvas.drawRectangle(rect, color: colour, thickness: thickness)
            }
            let cx = Int(((l.x + 1) / 2 * Double(w)) * sx), cy = Int(((l.y + 1) / 2 * Double(h)) * sy)
            centres.append((cx, cy))
        }
        for i in 1..<Swift.max(1, centres.count) {
            canvas.drawArrow(x0: centres[i - 1].0, y0: centres[i - 1].1, x1: centres[i].0, y1: centres[i].1,
                             color: .white, thickness: thickness, headLength: 6 * thickness + 4)
        }
        let textScale = Swift.max(1, canvas.width / 250)
        for (i, c) in centres.enumerated() {
            canvas.drawText("\(i + 1)", x: c.0 + 3, y: c.1 + 3, color: .black, scale: textScale, background: .white)
        }
        let labelled = Mosaic(columns: 1, gap: 6, labelScale: 2)
            .render([Mosaic.Panel(strip(g, width: canvas.width), label: "what the sensor sees")])
        return Renderer.stack(Mosaic(columns: 1, gap: 6).render([Mosaic.Panel(canvas)]), labelled)
    }

    /// The glimpse patches, one column per glimpse, k scales stacked, upscaled to fit `width`.
    func strip(_ g: AttentionScene.Glimpses, width: Int) -> RGBCanvas {
        let (count, channels, side) = (g.patches.shape[0], g.patches.shape[1], g.patches.shape[2])
        let k = channels / 3
        var panels: [Mosaic.Panel] = []
        for i in 0..<count {
            var column: [Mosaic.Panel] = []
            for s in 0..<k {
                var patch = RGBCanvas(width: side, height: side)
                for y in 0..<side {
                    for x in 0..<side {
                        var rgb = [UInt8](repeating: 0, count: 3)
                        for c in 0..<3 {
                            let v = g.patches[i, s * 3 + c, y, x]
                            rgb[c] = UInt8(Swift.max(0, Swift.min(255, (v * 255).rounded())))
                        }
                        patch[x, y] = RGBColor(red: rgb[0], green: rgb[1], blue: rgb[2])
                    }
                }
                column.append(Mosaic.Panel(patch.resized(width: side * 2, height: side * 2, method: .nearest)))
            }
            panels.append(Mosaic.Panel(Mosaic(columns: 1, gap: 2).render(column), label: "\(i + 1)"))
        }
        let strip = Mosaic(columns: count, gap: 4, labelScale: 1).render(panels)
        return strip.width > width ? strip.fitted(maxWidth: width, maxHeight: strip.height) : strip
    }
}

/// The glimpses the glimpse mode draws, chosen on a scene's saliency.
extension AttentionScene {
    /// Glimpses chosen on the saliency map and sampled from the working image.
    public struct Glimpses: Sendable {
        /// Centres in [-1, 1]² as (x, y), in scan order.
        public var locations: [(x: Double, y: Double)]
        /// Boxes in working-image pixels, k per glimpse, smallest first.
        public var boxes: [GlimpseSampler.Box]
        /// What the sensor sees. Shape: [count, k·3, g, g].
        public var patches: Tensor
        public var sampler: GlimpseSampler
    }

    public func glimpses() throws -> Glimpses {
        let sampler = try GlimpseSampler(patchSize: settings.glimpsePatchSize, numPatches: settings.glimpseScales,
                                         scale: settings.glimpseScaleFactor)
        let policy: GlimpsePolicy
        if let given = settings.glimpseLocations {
            // Original pixels -> [-1, 1]², x through the width, y through the height.
            let (cw, ch) = (Double(image.canvas.width), Double(image.canvas.height))
            policy = GlimpsePolicy(.given(given.map { p in
                (x: 2 * (p.x * image.scale / cw) - 1, y: 2 * (p.y * image.scale / ch) - 1)
            }))
        } else if let seed = settings.glimpseSeed {
            policy = GlimpsePolicy(.stochastic(standardDeviation: 0.05, seed: seed))
        } else {
            policy = GlimpsePolicy(.greedy)
        }
        let (h, w) = (image.working.shape[2], image.working.shape[3])
        let largest = sampler.patchSides.last ?? settings.glimpsePatchSize
        // Suppress half the largest patch around each pick (normalised units span 2 per image side).
        let radius = Double(largest) / Double(Swift.max(h, w))
        let count = settings.glimpseLocations?.count ?? settings.glimpseCount
        let locations = policy.locations(saliency: saliency, count: count, inhibitionRadius: radius)
        var flat = [Float]()
        for l in locations { flat += [Float(l.x), Float(l.y)] }
        let locationTensor = Tensor(shape: [locations.count, 2], storage: flat)
        let batch = Tensor(shape: [locations.count, 3, h, w],
                           storage: Array(repeatElement(image.working.storage, count: locations.count).joined()))
        let patches = try sampler(batch, locations: locationTensor)
        let boxes = sampler.boxes(locations: locationTensor, height: h, width: w)
        return Glimpses(locations: locations, boxes: boxes, patches: patches, sampler: sampler)
    }
}
