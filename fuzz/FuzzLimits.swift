// Shared by the image harnesses: a pixel limit well below the default (179 M) so that one
// input cannot allocate gigabytes and trip libFuzzer's RSS limit; the bomb guard itself is
// the same code path whatever the limit (tests check the default limit separately).
enum FuzzLimits {
    static let maxPixels = 1 << 22
}
