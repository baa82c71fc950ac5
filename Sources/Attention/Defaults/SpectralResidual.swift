#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Spectral-residual saliency of a small grey plane.
///
/// Hou and Zhang, "Saliency Detection: A Spectral Residual Approach" (CVPR 2007); follows
/// the authors' five-line Matlab code step by step:
/// ```
/// myFFT = fft2(inImg);  myLogAmplitude = log(abs(myFFT));  myPhase = angle(myFFT);
/// mySpectralResidual = myLogAmplitude - imfilter(myLogAmplitude, fspecial('average', 3), 'replicate');
/// saliencyMap = abs(ifft2(exp(mySpectralResidual + i*myPhase))).^2;
/// saliencyMap = mat2gray(imfilter(saliencyMap, fspecial('gaussian', [10, 10], 2.5)));
/// ```
/// Choices where the Matlab code is silent: the amplitude gets `amplitudeFloor` (1e-9)
/// added before the logarithm so that exactly zero frequencies (a constant image) stay
/// finite; the 10×10 Gaussian is Matlab's (sampled at −4.5…4.5, normalised) applied as
/// `imfilter` does by default — correlation, zero padding, kernel origin at index 5 of
/// 1…10, so offsets −4…+5; `mat2gray` maps min…max to 0…1, and a constant map becomes all
/// zeros; a constant input plane has zero saliency. All arithmetic is Double.
///
/// Shape: plane [h, w] -> saliency [h, w] in [0, 1].
enum SpectralResidual {
    /// Added to |FFT| before the logarithm.
    static let amplitudeFloor = 1e-9
    /// σ and side of the smoothing Gaussian (Hou's `fspecial('gaussian', [10, 10], 2.5)`).
    static let blurSigma = 2.5, blurSize = 10

    /// The saliency map of `plane`.
    ///
    /// Shape: plane [h, w] -> [h, w] in [0, 1].
    static func saliency(_ plane: [Double], height h: Int, width w: Int) -> [Double] {
        // A constant plane has nothing salient (and a spectrum of exact zeros whose
        // logarithms would only paint the floor's ripples).
        if let low = plane.min(), let high = plane.max(), high - low <= 1e-12 * max(abs(high), abs(low), 1) {
            return [Double](repeating: 0, count: plane.count)
        }
        let transform = DiscreteFourierTransform(height: h, width: w)
        let spectrum = transform.forward(real: plane, imaginary: [Double](repeating: 0, count: h * w))
        var logAmplitude = [Double](repeating: 0, count: h * w)
        var phase = [Double](repeating: 0, count: h * w)
        for i in 0..<(h * w) {
            let (re, im) = (spectrum.real[i], spectrum.imaginary[i])
            logAmplitude[i] = log((re * re + im * im).squareRoot() + amplitudeFloor)
            phase[i] = atan2(im, re)
        }
        let smoothed = boxMean3x3Replicate(logAmplitude, height: h, width: w)
        // exp(residual + i·phase)
        var real = [Double](repeating: 0, count: h * w), imaginary = real
        for i in 0..<(h * w) {
            let magnitude = exp(logAmplitude[i] - smoothed[i])
            real[i] = magnitude * cos(phase[i])
            imaginary[i] = magnitude * sin(phase[i])
        }
        let back = transform.inverse(real: real, imaginary: imaginary)
        var energy = [Double](repeating: 0, count: h * w)
        for i in 0..<(h * w) { energy[i] = back.real[i] * back.real[i] + back.imaginary[i] * back.imaginary[i] }
        return normalizedToUnitRange(gaussianBlur(energy, height: h, width: w))
    }

    /// 3×3 mean with replicated borders (`imfilter(x, fspecial('average', 3), 'replicate')`).
    ///
    /// Shape: [h, w] -> [h, w].
    static func boxMean3x3Replicate(_ plane: [Double], height h: Int, width w: Int) -> [Double] {
        var result = [Double](repeating: 0, count: h * w)
        for y in 0..<h {
            for x in 0..<w {
                var sum = 0.0
                for dy in -1...1 {
                    let row = min(h - 1, max(0, y + dy))
                    for dx in -1...1 { sum += plane[row * w + min(w - 1, max(0, x + dx))] }
                }
                result[y * w + x] = sum / 9
            }
        }
        return result
    }

    /// Matlab's 1-D factor of `fspecial('gaussian', [10, 10], 2.5)`: samples at −4.5…4.5,
    /// normalised to sum 1 (the 2-D kernel is its outer product).
    static var gaussianTaps: [Double] {
        let half = Double(blurSize - 1) / 2
        let taps = (0..<blurSize).map { exp(-(Double($0) - half) * (Double($0) - half) / (2 * blurSigma * blurSigma)) }
        let total = taps.reduce(0, +)
        return taps.map { $0 / total }
    }

    /// `imfilter(x, fspecial('gaussian', [10, 10], 2.5))`: separable correlation with zero
    /// padding, tap j at offset j − 4.
    ///
    /// Shape: [h, w] -> [h, w].
    static func gaussianBlur(_ plane: [Double], height h: Int, width w: Int) -> [Double] {
        let taps = gaussianTaps
        let origin = (blurSize - 1) / 2  // 4: Matlab's centre floor((10 + 1) / 2) = 5, 1-based.
        var along = [Double](repeating: 0, count: h * w)
        for y in 0..<h {
            for x in 0..<w {
                var sum = 0.0
                for (j, tap) in taps.enumerated() {
                    let source = x + j - origin
                    if source >= 0 && source < w { sum += tap * plane[y * w + source] }
                }
                along[y * w + x] = sum
            }
        }
        var result = [Double](repeating: 0, count: h * w)
        for y in 0..<h {
            for (j, tap) in taps.enumerated() {
                let source = y + j - origin
                guard source >= 0 && source < h else { continue }
                for x in 0..<w { result[y * w + x] += tap * along[source * w + x] }
            }
        }
        return result
    }

    /// `mat2gray`: (x − min) / (max − min); a constant plane becomes zeros.
    static func normalizedToUnitRange(_ plane: [Double]) -> [Double] {
        guard let low = plane.min(), let high = plane.max(), high - low > 1e-12 * max(abs(high), abs(low)) else {
            return [Double](repeating: 0, count: plane.count)
        }
        return plane.map { ($0 - low) / (high - low) }
    }
}
